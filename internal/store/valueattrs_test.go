package store

import (
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// indexSize counts a position for each attribute indexed by value that an
// entity sets (valueAttrs, listed once per kind), and indexRefsLocked
// indexes an entity under those attributes (the catalog's values[k][i].on):
// for an entity of each kind with every string attribute set, the two
// count the same positions.
func TestIndexSize_CountsWhatIndexRefsIndexesByValue(t *testing.T) {
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	total := 0
	for _, k := range Kinds() {
		e := NewEntity(k, "X")
		for _, at := range k.Attrs() {
			if at.Type == schema.String {
				setAttr(e, at.Name, "v")
			}
		}
		counted := int((indexSize(e) - (positionBytes + 8)) / positionBytes) // no relation is set
		before := valuePositions(a, k)
		a.indexRefsLocked(e, positionOf(e), true)
		if got := valuePositions(a, k) - before; got != counted {
			t.Errorf("%s: indexed under %d values, indexSize counts %d", k.Type(), got, counted)
		}
		total += counted
	}
	if total == 0 {
		t.Fatal("no attribute is indexed by value")
	}
}

// valuePositions counts the positions the catalog holds under kind's
// values.
func valuePositions(a *Account, kind EntityKind) int {
	n := 0
	for _, vi := range a.cat.values[kind] {
		for _, l := range vi.byValue {
			n += len(l)
		}
	}
	return n
}

// BenchmarkIndexSize is the size of an item's index entries, counted at
// every put of an entity (twice when it replaces one).
func BenchmarkIndexSize(b *testing.B) {
	e := ent(itemKind, "X", "title", "T")
	for b.Loop() {
		indexSize(e)
	}
}
