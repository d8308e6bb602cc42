package store

import "testing"

// A page read again finds its made entities without searching the
// made-entity cache's map: the hot ones are also kept in a table indexed
// by stamp, one load each.
func TestMadeEntities_APageReadAgainSearchesNoMap(t *testing.T) {
	k, makes := seededKindOf(1000)
	first := pageIDs(k, nil, false, 100)
	pageIDs(k, nil, false, 100) // kept now, whichever way they are
	hits, misses := k.made.Stats()
	again := pageIDs(k, nil, false, 100)
	if h, m := k.made.Stats(); h != hits || m != misses {
		t.Fatalf("a page read again searched the map %d times", h-hits+m-misses)
	}
	if *makes != 100 || len(again) != 100 || again[99] != first[99] {
		t.Fatalf("made %d entities; read %d, last %s (want %s)", *makes, len(again), again[len(again)-1], first[99])
	}
}

// What the made-entity cache keeps counts in its bytes, within its bound
// (the bound Options.MadeJobBytes gives), and a reset leaves nothing kept.
func TestMadeEntities_EverythingKeptIsCountedAndCleared(t *testing.T) {
	const budget = 1 << 20
	m := newMadeEntities(budget)
	var sum int64
	for i := range 200 {
		e := ent(itemKind, EntityID("S"+string(rune('a'+i%26))), "title", "kept")
		e.stamp = uint64(1000 + i)
		m.Put(e.stamp, e)
		sum += e.memSize()
	}
	if held, limit := m.Bytes(), m.Budget(); held < sum || held > limit || limit > budget {
		t.Fatalf("kept %d bytes of entities: %d held, bound %d (want <= %d)", sum, held, limit, budget)
	}
	if _, ok := m.Get(1042); !ok {
		t.Fatal("an entity kept a moment ago was not found")
	}
	m.Clear()
	if _, ok := m.Get(1042); ok || m.Bytes() != 0 {
		t.Fatalf("after a reset: found %v, %d bytes held", ok, m.Bytes())
	}
}
