package store

import "testing"

// TestCollectionNamed_FindsEachCollectionByItsNameOnly: every collection
// is found by its name, and by no name that only starts or ends like one.
func TestCollectionNamed_FindsEachCollectionByItsNameOnly(t *testing.T) {
	for _, c := range AllCollections() {
		if got, ok := CollectionNamed(c.Name()); !ok || got != c {
			t.Errorf("%s: found %v %v", c.Name(), got, ok)
		}
		for _, name := range []string{c.Name() + "s", c.Name()[1:], c.Name()[:len(c.Name())-1], "x" + c.Name()} {
			if got, ok := CollectionNamed(name); ok && got.Name() != name {
				t.Errorf("%q: found %s", name, got.Name())
			}
		}
	}
	if got, ok := CollectionNamed("jobs"); !ok || got.Name() != "item-bulk-update-jobs" {
		t.Errorf("jobs: found %v %v", got, ok)
	}
}

// TestCollection_AppendNameAppendsItsName: what AppendName appends is the
// collection's name, for every collection.
func TestCollection_AppendNameAppendsItsName(t *testing.T) {
	for _, c := range AllCollections() {
		if got := string(c.AppendName([]byte("x/"))); got != "x/"+c.Name() {
			t.Errorf("%s: appended %q", c.Name(), got)
		}
	}
}

// TestCollectionNamed_MakesNoName: a state file names each account's
// collections, so finding one by name (and appending a name, as the
// fixtures do for every stream) makes no string; and a job collection's
// name is written as the state file has always named it.
func TestCollectionNamed_MakesNoName(t *testing.T) {
	var buf [64]byte
	for _, c := range AllCollections() {
		name := c.Name()
		if n := testing.AllocsPerRun(10, func() { CollectionNamed(name) }); n != 0 {
			t.Errorf("CollectionNamed(%q) allocates %.0f times", name, n)
		}
		if n := testing.AllocsPerRun(10, func() { c.AppendName(buf[:0]) }); n != 0 {
			t.Errorf("%s: AppendName allocates %.0f times", name, n)
		}
	}
	if got := JobCollection(jobItemCreate).Name(); got != "item-bulk-create-jobs" {
		t.Errorf("the item create jobs' collection is named %q, want item-bulk-create-jobs", got)
	}
}
