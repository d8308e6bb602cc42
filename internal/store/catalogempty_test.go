package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// A restore keeps a new account's catalog instead of making another only
// while catalog.empty reports it holds nothing (a new account's, restored,
// costs no second catalog). empty lists the fields that can hold something
// by hand; these tests fail when a field or a write path escapes it.

// catalogShape names the fields newCatalog sets the same way in every new
// catalog (what the schema declares, and what is set only with a source
// empty reads): they hold nothing of an account's own, so empty need not
// read them. Any other field can hold something and must make empty false.
var catalogShape = map[string]string{
	"catalog.work":     "a test's lock-work counter",
	"relIndex.rel":     "the declared relation the index is of",
	"relIndex.tree":    "from the declaration: an owner's list is a tree",
	"relIndex.holders": "from the declaration: the relation is a Reference",
	"valueIndex.on":    "from the declaration: the attribute is filtered by equality",
	"seededKind.base":  "set with src (the stamps the source's entities take), which empty reads",
	"seededKind.made":  "set with src (the cache of its made entities), which empty reads",
}

// catalogLeaf is a field of a catalog that can hold something (not in
// catalogShape), found by the way to reach it in any catalog.
type catalogLeaf struct {
	path string
	at   func(c *catalog) reflect.Value
}

// catalogLeaves returns the leaves of c: walking its fields, its slices by
// element and the kinds they point to, down to maps, trees, overlays,
// interfaces, numbers and other pointers. Fields in catalogShape are
// passed over.
func catalogLeaves(c *catalog) []catalogLeaf {
	var out []catalogLeaf
	var walk func(path string, at func(c *catalog) reflect.Value)
	walk = func(path string, at func(c *catalog) reflect.Value) {
		v := at(c)
		switch {
		case v.Kind() == reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if _, shape := catalogShape[v.Type().Name()+"."+f.Name]; !shape {
					walk(path+"."+f.Name, func(c *catalog) reflect.Value { return at(c).Field(i) })
				}
			}
		case v.Kind() == reflect.Slice && !v.IsNil(): // a slice a new catalog makes (its shape): its elements
			for i := 0; i < v.Len(); i++ {
				walk(fmt.Sprintf("%s[%d]", path, i), func(c *catalog) reflect.Value { return at(c).Index(i) })
			}
		case v.Kind() == reflect.Pointer && !v.IsNil() && v.Type() != reflect.TypeFor[*posTree]() &&
			v.Type() != reflect.TypeFor[*memberOverlay](): // a kind: its fields
			walk(path, func(c *catalog) reflect.Value { return at(c).Elem() })
		default:
			out = append(out, catalogLeaf{path, at})
		}
	}
	walk("catalog", func(c *catalog) reflect.Value { return reflect.ValueOf(c).Elem() })
	return out
}

// holds reports whether leaf value v holds something: a map with an
// entry, a slice or a tree with an element, a pointer or an interface
// set, a number not zero.
func holds(v reflect.Value) bool {
	if v.Type() == reflect.TypeFor[*posTree]() {
		return !v.IsNil() && exported(v).Interface().(*posTree).Len() > 0
	}
	if v.Kind() == reflect.Map || v.Kind() == reflect.Slice {
		return v.Len() > 0
	}
	return !v.IsZero()
}

// exported returns v (addressable, perhaps an unexported field) as a value
// the test may read and set.
func exported(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// held returns the leaves of c that hold something.
func held(c *catalog) []catalogLeaf {
	var out []catalogLeaf
	for _, l := range catalogLeaves(c) {
		if holds(l.at(c)) {
			out = append(out, l)
		}
	}
	return out
}

// anySource and anyRelations are non-nil values of the catalog's interface
// fields.
type (
	anySource    struct{ EntitySource }
	anyRelations struct{ SeededRelations }
)

// catalogFill sets v, a field that holds nothing in a new catalog, to hold
// something, reporting false for a type it cannot fill.
func catalogFill(v reflect.Value) bool {
	v = exported(v)
	switch {
	case v.Type() == reflect.TypeFor[*posTree]():
		t := newPosTree()
		t.ReplaceOrInsert(Position{ID: "x"})
		v.Set(reflect.ValueOf(t))
	case v.Kind() == reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case v.Kind() == reflect.Map:
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(reflect.Zero(v.Type().Key()), reflect.Zero(v.Type().Elem()))
		v.Set(m)
	case v.Type() == reflect.TypeFor[EntitySource]():
		v.Set(reflect.ValueOf(anySource{}))
	case v.Type() == reflect.TypeFor[SeededRelations]():
		v.Set(reflect.ValueOf(anyRelations{}))
	case v.CanInt():
		v.SetInt(1)
	case v.CanUint():
		v.SetUint(1)
	default:
		return false
	}
	return true
}

// TestCatalogEmpty_ReadsEveryFieldThatCanHoldSomething: in a new catalog,
// each field (of the catalog, of each kind, relation index, value index
// and overlay slot) that is not the schema's shape is made to hold one
// thing, alone; empty must then report false. A field added to the
// catalog or to one of its parts that empty does not read fails here,
// naming it.
func TestCatalogEmpty_ReadsEveryFieldThatCanHoldSomething(t *testing.T) {
	nc := newCatalog(nil)
	if got := held(&nc); len(got) > 0 {
		t.Fatalf("a new catalog holds %v", got[0].path)
	}
	if !nc.empty() {
		t.Fatal("a new catalog is not empty()")
	}
	for _, l := range catalogLeaves(&nc) {
		c := newCatalog(nil)
		if !catalogFill(l.at(&c)) {
			t.Errorf("%s: the test cannot fill a %s; teach catalogFill", l.path, l.at(&c).Type())
			continue
		}
		if c.empty() {
			t.Errorf("%s holds something and empty() reports the catalog empty: make empty() read it "+
				"(or, if every new catalog sets it alike, add it to catalogShape)", l.path)
		}
	}
	fields := map[string]bool{}
	for _, v := range []any{catalog{}, seededKind{}, relIndex{}, valueIndex{}} {
		for _, f := range reflect.VisibleFields(reflect.TypeOf(v)) {
			fields[reflect.TypeOf(v).Name()+"."+f.Name] = true
		}
	}
	for name := range catalogShape {
		if !fields[name] {
			t.Errorf("catalogShape names %s, which the catalog no longer has", name)
		}
	}
}

// TestCatalogEmpty_EveryWritePathLeavesACatalogThatIsNotEmpty: one thing
// through each exported write that reaches the catalog, in an account
// whose catalog is new: every write but the one undone must leave the
// catalog not empty, and each field the write filled must, alone in a new
// catalog, make it not empty.
func TestCatalogEmpty_EveryWritePathLeavesACatalogThatIsNotEmpty(t *testing.T) {
	item := func(ext string) Element {
		return Element{ID: EntityID(ext), Set: itemKind.SetOf("external_id", "title"), Values: *ent(itemKind, ext, "title", ext)}
	}
	write := func(a *Account, k JobKind, el Element) {
		t.Helper()
		if _, eerr, err := a.Write(k, el, false); eerr != nil || err != nil {
			t.Fatal(eerr, err)
		}
	}
	for _, c := range []struct {
		name   string
		seeded bool // the account has a seeder
		undone bool // the write leaves nothing behind
		do     func(t *testing.T, a *Account)
	}{
		{"a collection's first use installs its source", true, false, func(t *testing.T, a *Account) { a.Count(collItems) }},
		{"an item written", false, false, func(t *testing.T, a *Account) { write(a, jobItemCreate, item("A")) }},
		{"a variant written", false, false, func(t *testing.T, a *Account) {
			write(a, jobItemCreate, item("B"))
			write(a, jobVariantCreate, Element{ID: EntityID("B-V"), Values: Entity{ExternalID: "B-V"}, Set: variantKind.SetOf("external_id"),
				HasRelated: true, Related: []string{EntityID("B")}})
		}},
		{"a category written", false, false, func(t *testing.T, a *Account) {
			write(a, jobCategoryCreate, Element{ID: EntityID("C"), Values: *ent(categoryKind, "C", "name", "C"), Set: categoryKind.SetOf("external_id", "name")})
		}},
		{"an item updated", false, false, func(t *testing.T, a *Account) {
			write(a, jobItemCreate, item("A"))
			write(a, jobItemUpdate, Element{ID: EntityID("A"), Set: itemKind.SetOf("title"), Values: *ent(itemKind, "A", "title", "new")})
		}},
		{"an item created and deleted", false, true, func(t *testing.T, a *Account) {
			write(a, jobItemCreate, item("A"))
			write(a, jobItemDelete, Element{ID: EntityID("A")})
		}},
		{"a membership related", false, false, func(t *testing.T, a *Account) {
			write(a, jobCategoryCreate, Element{ID: EntityID("C"), Values: *ent(categoryKind, "C", "name", "C"), Set: categoryKind.SetOf("external_id", "name")})
			write(a, jobItemCreate, item("B"))
			if eerr, err := a.Relate(categoryKind, rel(categoryKind, "items"), EntityID("C"), RelAdd, []string{EntityID("B")}); eerr != nil || err != nil {
				t.Fatal(eerr, err)
			}
		}},
		{"a job's effect", false, false, func(t *testing.T, a *Account) {
			run(t, a, CreateRequest{Kind: jobItemCreate, Pointer: "/p", Elements: []Element{item("J")}})
		}},
		{"a subscription submitted", false, false, func(t *testing.T, a *Account) { subscribe(t, a, EntityID("V"), []string{"EMAIL"}) }},
		{"a control replace", false, false, func(t *testing.T, a *Account) {
			if cs, err := a.Replace(&Contents{Entities: map[EntityKind][]*Entity{itemKind: {ent(itemKind, "R")}}}, ReplaceOptions{Now: t0}); len(cs) > 0 || err != nil {
				t.Fatal(cs, err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Seed: 1, Now: func() time.Time { return t0 }, Lifecycle: Lifecycle{Mode: Immediate}}
			if c.seeded {
				o.Seeder = catalogSeeder()
			}
			a, err := New(o).Mutable("k")
			if err != nil {
				t.Fatal(err)
			}
			if !a.cat.empty() {
				t.Fatal("a new account's catalog is not empty")
			}
			c.do(t, a)
			a.mu.RLock()
			defer a.mu.RUnlock()
			written := held(&a.cat)
			if empty := a.cat.empty(); empty != (len(written) == 0) || empty != c.undone {
				t.Fatalf("empty() = %v after the write, holding %d fields (want empty: %v)", empty, len(written), c.undone)
			}
			for _, l := range written { // each alone in a new catalog
				n := newCatalog(nil)
				exported(l.at(&n)).Set(exported(l.at(&a.cat)))
				if n.empty() {
					t.Errorf("the write fills %s, and a catalog holding that alone is reported empty", l.path)
				}
			}
		})
	}
}
