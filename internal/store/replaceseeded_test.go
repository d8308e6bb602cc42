package store

import (
	"testing"
	"time"
)

// TestReplace_ASeededEntityHeldIsNotMadeToBeReplaced: restoring an
// account whose seeded items are kept but for one changed makes no seeded
// entity: the one replaced is not made from the source (it had no index
// entries of its own to remove), and the catalog shows the change.
func TestReplace_ASeededEntityHeldIsNotMadeToBeReplaced(t *testing.T) {
	c := &countedCatalog{n: 1000}
	s := New(Options{Seed: 1, Seeder: countedSeeder(c), Now: func() time.Time { return t0.Add(time.Hour) }, MadeJobBytes: -1})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	changed := c.made(itemKind, c.itemPos(500))
	changed.stamp = 0
	changed.Updated = t0.Add(time.Hour)
	c.makes.Store(0)
	in := &Contents{Entities: map[EntityKind][]*Entity{itemKind: {changed}},
		Catalog: map[EntityKind]KeptHistory{itemKind: {Count: 1000, First: c.itemPos(0).ID}}}
	if cs, err := a.Replace(in, ReplaceOptions{Now: t0.Add(time.Hour)}); len(cs) > 0 || err != nil {
		t.Fatal(cs, err)
	}
	if n := c.makes.Load(); n != 0 {
		t.Errorf("the restore made %d seeded entities", n)
	}
	if e, ok, _ := a.Entity(itemKind, changed.ID); !ok || !e.Updated.Equal(t0.Add(time.Hour)) {
		t.Fatalf("the changed item is %+v", e)
	}
	if n := a.Count(collItems); n != 1000 {
		t.Fatalf("%d items", n)
	}
}

// TestCatalog_EmptyIsOnlyANewCatalog: a restore keeps the catalog of a new
// account instead of making another only while it holds nothing at all.
func TestCatalog_EmptyIsOnlyANewCatalog(t *testing.T) {
	if c := newCatalog(nil); !c.empty() {
		t.Fatal("a new catalog is not empty")
	}
	a := countedAccountOf(t, &countedCatalog{n: 10}, nil) // its kinds seeded
	if a.cat.empty() {
		t.Fatal("a seeded catalog is empty")
	}
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }})
	b, _ := s.Mutable("k")
	in := &Contents{Entities: map[EntityKind][]*Entity{itemKind: {ent(itemKind, "A")}}}
	if cs, err := b.Replace(in, ReplaceOptions{Now: t0}); len(cs) > 0 || err != nil {
		t.Fatal(cs, err)
	}
	if b.cat.empty() {
		t.Fatal("a catalog holding an item is empty")
	}
}
