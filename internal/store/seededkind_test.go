package store

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// itemSourceOf seeds n items ten seconds apart, S0000000 first, counting
// the entities it makes.
type itemSourceOf struct {
	n     int
	makes *int
}

func (s itemSourceOf) Len() int { return s.n }
func (s itemSourceOf) Position(i int) Position {
	return Position{At: t0.Add(time.Duration(i) * 10 * time.Second).UnixMicro(), ID: EntityID(fmt.Sprintf("S%07d", i))}
}
func (s itemSourceOf) At(i int) *Entity {
	*s.makes++
	e := ent(itemKind, fmt.Sprintf("S%07d", i), "title", fmt.Sprint("seeded ", i))
	e.Created = t0.Add(time.Duration(i) * 10 * time.Second)
	e.Updated = e.Created
	return e
}
func (s itemSourceOf) Index(id string) (int, bool) {
	num, ok := strings.CutPrefix(id, EntityID("S"))
	i, err := strconv.Atoi(num)
	return i, ok && err == nil && i >= 0 && i < s.n && fmt.Sprintf("%07d", i) == num
}
func (s itemSourceOf) Lookup(int, string) (int, bool) { return 0, false }
func (s itemSourceOf) Bytes() int64                   { return 0 }

func seededKindOf(n int) (*seededKind, *int) {
	makes := new(int)
	return newSeededKind(itemSourceOf{n, makes}, 1000, newMadeEntities(1<<20)), makes
}

func pageIDs(k *seededKind, after *Position, desc bool, limit int) []string {
	var out []string
	k.walk(after, desc, nil, func(e *Entity) bool { out = append(out, e.ID); return len(out) < limit })
	return out
}

// A seeded entity is made on demand with the stamp base + its index, and
// made once while the cache keeps it.
func TestSeededKind_MakesSeededEntitiesWithStableStamps(t *testing.T) {
	k, makes := seededKindOf(1000)
	e := k.get(EntityID("S0000042"))
	if e == nil {
		t.Fatal("seeded entity 42 not found")
	}
	if e.Stamp() != 1042 || k.get(EntityID("S0000042")) != e || *makes != 1 {
		t.Fatalf("entity 42: stamp %d, made %d times", e.Stamp(), *makes)
	}
	if k.get(EntityID("S0001000")) != nil || k.get(EntityID("S42")) != nil || k.len() != 1000 {
		t.Fatal("an id the source does not seed was found, or the count is off")
	}
}

// Replacing, deleting and creating show in lookups, counts and lists: a
// replaced entity once, at its position, with its new value; a deleted one
// nowhere; a created one in position order among the seeded.
func TestSeededKind_OverlayShowsInEveryList(t *testing.T) {
	k, _ := seededKindOf(10)
	repl := *k.get(EntityID("S0000003"))
	repl.stamp = 5
	setAttr(&repl, "title", "replaced")
	k.put(&repl)
	k.remove(EntityID("S0000005"))
	created := ent(itemKind, "NEW", "title", "created")
	created.Created = t0.Add(65 * time.Second) // between 6 and 7
	created.stamp = 6
	k.put(created)
	want := []string{"S0000000", "S0000001", "S0000002", "S0000003", "S0000004", "S0000006", "NEW", "S0000007", "S0000008", "S0000009"}
	for i := range want {
		want[i] = EntityID(want[i])
	}
	if got := pageIDs(k, nil, false, 100); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("list %v, want %v", got, want)
	}
	if k.len() != 10 || k.get(EntityID("S0000005")) != nil || k.get(EntityID("S0000003")) != &repl || k.get(created.ID) != created {
		t.Fatalf("count %d, or a lookup shows what the overlay changed wrongly", k.len())
	}
	from := k.src.Position(4)
	if got := pageIDs(k, &from, true, 3); fmt.Sprint(got) != fmt.Sprint([]string{want[3], want[2], want[1]}) {
		t.Fatalf("before S0000004 backwards: %v", got)
	}
	if !k.remove(created.ID) || !k.remove(EntityID("S0000003")) || k.remove(EntityID("S0000003")) || k.len() != 8 {
		t.Fatalf("removing the created and the replaced: count %d", k.len())
	}
}

// A page from the middle makes a page of entities and visits a page of
// positions, at a thousand and at a million.
func TestSeededKind_APageCostsAPageAtAMillion(t *testing.T) {
	for _, n := range []int{1_000, 1_000_000} {
		k, makes := seededKindOf(n)
		for i := 0; i < n; i += 7 {
			k.remove(EntityID(fmt.Sprintf("S%07d", i)))
		}
		mid := k.src.Position(n / 2)
		var w lockWork
		var got int
		k.walk(&mid, false, &w, func(*Entity) bool { got++; return got < 100 })
		if got != 100 || *makes != 100 || w.lists.Load() > 120 {
			t.Errorf("n=%d: a page of %d made %d entities and visited %d positions", n, got, *makes, w.lists.Load())
		}
	}
}

// A new account makes a kind of every entity, and most are never written:
// making each kind's three maps and its order tree (with its own list of
// free nodes) was most of making its catalog.
func TestNewSeededKind_MakesNoMapUntilWritten(t *testing.T) {
	var k *seededKind
	if n := testing.AllocsPerRun(100, func() { k = newSeededKind(nil, 0, nil) }); n > 1 || k == nil {
		t.Fatalf("a new kind allocates %.0f times, want 1 (the kind alone)", n)
	}
}

// A kind whose maps and order are made at its first write reads and snapshots as one
// made with them, before and after the write, and removing an id it does
// not hold changes neither.
func TestSeededKind_MadeLazilyBehavesAsMadeEagerly(t *testing.T) {
	lazy, _ := seededKindOf(10)
	eager, _ := seededKindOf(10)
	eager.writable()
	same := func(when string) {
		t.Helper()
		for _, k := range []*seededKind{lazy, eager, lazy.snapshot(), eager.snapshot()} {
			if got, want := fmt.Sprint(pageIDs(k, nil, false, 100), k.len(), k.isGone(3), k.isHeld(EntityID("S0000003"))),
				fmt.Sprint(pageIDs(eager, nil, false, 100), eager.len(), eager.isGone(3), eager.isHeld(EntityID("S0000003"))); got != want {
				t.Fatalf("%s: %s, want %s", when, got, want)
			}
		}
	}
	same("unwritten")
	for _, k := range []*seededKind{lazy, eager} {
		if k.remove(EntityID("NOT-HELD")) {
			t.Fatal("removed an id the kind does not hold")
		}
	}
	same("after removing nothing")
	for _, k := range []*seededKind{lazy, eager} {
		repl := *k.get(EntityID("S0000003"))
		setAttr(&repl, "title", "replaced")
		k.put(&repl)
		k.remove(EntityID("S0000005"))
	}
	same("written")
}
