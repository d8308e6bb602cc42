package store

import (
	"reflect"
	"testing"
)

// A page memo keeps only pages whose filter is empty, and its key holds no
// filter: a condition empty missed would be answered from the memo of the
// unfiltered page. Each field of EntityFilter, given one element alone,
// must make the filter non-empty; a field added without updating empty
// fails here.
func TestEntityFilter_EveryFieldMakesItNonEmpty(t *testing.T) {
	if f := (EntityFilter{}); !f.empty() {
		t.Fatal("the zero filter is not empty")
	}
	typ := reflect.TypeFor[EntityFilter]()
	for i := range typ.NumField() {
		var f EntityFilter
		field := reflect.ValueOf(&f).Elem().Field(i)
		if field.Kind() != reflect.Slice {
			t.Fatalf("EntityFilter.%s is a %s: say here how it makes a filter non-empty", typ.Field(i).Name, field.Kind())
		}
		field.Set(reflect.MakeSlice(field.Type(), 1, 1))
		if f.empty() {
			t.Errorf("a filter holding only %s reports empty", typ.Field(i).Name)
		}
	}
}

// The page memos' table and ensureCatalog's room on the stack are sized by
// hand: a kind past them would silently walk every page, or allocate the
// list of collections a read needs.
func TestKinds_FitThePageMemosAndTheNeedsRoom(t *testing.T) {
	if n := len(Kinds()); n > memoKinds || 1+n > 8 {
		t.Fatalf("%d kinds: raise memoKinds (%d) and ensureCatalog's room (8)", n, memoKinds)
	}
}
