package store

import (
	"sync/atomic"
	"testing"
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
