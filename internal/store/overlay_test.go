package store

import (
	"fmt"
	"slices"
	"testing"
)

// fakeSource seeds n entities ten microseconds apart.
type fakeSource struct{ n int }

func (s fakeSource) Len() int { return s.n }
func (s fakeSource) Position(i int) Position {
	return Position{At: int64(i) * 10, ID: fmt.Sprintf("S%07d", i)}
}
func (s fakeSource) At(i int) *Entity               { return nil }
func (s fakeSource) Index(string) (int, bool)       { return 0, false }
func (s fakeSource) Lookup(int, string) (int, bool) { return 0, false }
func (s fakeSource) Bytes() int64                   { return 0 }

// overlayFixture is a seeded list of n with every seventh index hidden
// (every fourteenth replaced: held at its own position) and a created
// entity held after every fifth.
func overlayFixture(n int) (seededStream, func(int) bool, *posTree) {
	src := fakeSource{n}
	held := newPosTree()
	for i := 0; i < n; i += 5 {
		held.ReplaceOrInsert(Position{At: int64(i)*10 + 5, ID: fmt.Sprintf("H%07d", i)})
	}
	for i := 0; i < n; i += 14 {
		held.ReplaceOrInsert(src.Position(i))
	}
	return rangeStream(src, 0, n), func(i int) bool { return i%7 == 0 }, held
}

func collect(s seededStream, hidden func(int) bool, held *posTree, after *Position, desc bool, limit int, work *lockWork) []string {
	var out []string
	mergeWalk(s, hidden, held, after, desc, work, func(p Position, i int) bool {
		out = append(out, p.ID)
		return len(out) < limit
	})
	return out
}

// The merged list is the seeded positions not hidden and the held ones, in
// position order, from any cursor, in both directions.
func TestMergeWalk_IsTheSortedUnionFromAnyCursor(t *testing.T) {
	s, hidden, held := overlayFixture(300)
	var all []Position
	for i := range 300 {
		if !hidden(i) {
			all = append(all, s.pos(i))
		}
	}
	held.Ascend(func(p Position) bool { all = append(all, p); return true })
	slices.SortFunc(all, Position.Compare)
	ids := func(ps []Position) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	for k := -1; k < len(all); k += 13 {
		var after *Position
		if k >= 0 {
			after = &all[k]
		}
		wantUp := ids(all[k+1:])
		got := collect(s, hidden, held, after, false, 1<<30, nil)
		if !slices.Equal(got, wantUp) {
			t.Fatalf("after %d ascending: %d positions, want %d (%v… against %v…)", k, len(got), len(wantUp), got[:min(3, len(got))], wantUp[:min(3, len(wantUp))])
		}
		end := len(all)
		if k >= 0 {
			end = k
		}
		wantDown := ids(all[:end])
		slices.Reverse(wantDown)
		if got := collect(s, hidden, held, after, true, 1<<30, nil); !slices.Equal(got, wantDown) {
			t.Fatalf("before %d descending: %d positions, want %d", k, len(got), len(wantDown))
		}
	}
}

// A page from the middle visits as many positions at a million seeded
// entities as at a thousand.
func TestMergeWalk_PageCostDoesNotGrowWithTheSource(t *testing.T) {
	cost := func(n int, desc bool) int64 {
		s, hidden, held := overlayFixture(n)
		mid := s.pos(n / 2)
		var w lockWork
		if got := collect(s, hidden, held, &mid, desc, 100, &w); len(got) != 100 {
			t.Fatalf("a page of %d", len(got))
		}
		return w.lists.Load()
	}
	for _, desc := range []bool{false, true} {
		small, large := cost(1_000, desc), cost(1_000_000, desc)
		if large > small+small/5+2 {
			t.Errorf("desc %v: %d positions visited at a million, %d at a thousand", desc, large, small)
		}
	}
}
