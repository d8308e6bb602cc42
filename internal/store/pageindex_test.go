package store

import (
	"sync/atomic"
	"testing"
	"time"
)

// A page of the kind's seeded entities takes each from the index its walk
// found, not by parsing the id its position wrote back into an index (a
// hundred lookups a page, the changing row's largest store cost): the
// first page, and one from a cursor, whose cursor is looked up once.
func TestEntityPage_SeededEntitiesAreMadeByIndexNotByID(t *testing.T) {
	var visits atomic.Int64
	a, c := countedAccount(t, 1_000, &visits)
	first := entityPage(t, a, EntityPageRequest{Kind: itemKind})
	if len(first.Entities) != PageSize {
		t.Fatalf("%d items on the first page, want %d", len(first.Entities), PageSize)
	}
	if n := c.indexes.Load(); n != 0 {
		t.Errorf("the first page looked up %d item ids, want 0", n)
	}
	c.indexes.Store(0)
	after := positionOf(first.Entities[PageSize-1])
	next := entityPage(t, a, EntityPageRequest{Kind: itemKind, After: &after})
	if len(next.Entities) != PageSize || next.Entities[0].ID == first.Entities[0].ID {
		t.Fatalf("the second page has %d items", len(next.Entities))
	}
	if n := c.indexes.Load(); n > 1 {
		t.Errorf("the second page looked up %d item ids, want at most 1 (its cursor's)", n)
	}
}

// A page read again takes its seeded positions from the entities made for
// the first read (kept by stamp), not from the source, which writes each
// id anew: none is computed the second time.
func TestEntityPage_APageReadAgainReadsPositionsFromItsMadeEntities(t *testing.T) {
	a, c := cachedCountedAccount(t, 1_000)
	first := entityPage(t, a, EntityPageRequest{Kind: itemKind})
	c.positions.Store(0)
	made := a.cat.kinds[itemKind].made
	hits, misses := made.Stats()
	again := entityPage(t, a, EntityPageRequest{Kind: itemKind})
	if n := c.positions.Load(); n != 0 {
		t.Errorf("the page read again computed %d positions, want 0", n)
	}
	// Each entity is looked up once, for its position, and then taken as found.
	h, m := made.Stats()
	if n := h + m - hits - misses; n > PageSize+1 {
		t.Errorf("the page read again looked up %d made entities, want %d", n, PageSize+1)
	}
	if len(again.Entities) != len(first.Entities) || again.Entities[PageSize-1] != first.Entities[PageSize-1] {
		t.Errorf("the page read again differs: %d entities", len(again.Entities))
	}
}

// cachedCountedAccount is an account of a counted catalog of n items with
// the stores' defaults (the made-entity cache on, no collection counted
// first), unlike countedAccount, which turns that cache off and counts.
func cachedCountedAccount(t testing.TB, n int) (*Account, *countedCatalog) {
	t.Helper()
	c := &countedCatalog{n: n}
	s := New(Options{Seed: 1, Seeder: countedSeeder(c), Now: func() time.Time { return t0.Add(time.Duration(c.n+10) * 10 * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}
