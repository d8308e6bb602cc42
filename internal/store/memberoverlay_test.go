package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// fakeRelations puts member i in owner i%c, and every fourth also in
// (2i+1)%c.
type fakeRelations struct{ n, c int }

func (r fakeRelations) Parent(int) int          { return 0 }
func (r fakeRelations) Children(int) (int, int) { return 0, 0 }
func (r fakeRelations) MemberOf(i int) []int {
	out := []int{i % r.c}
	if o := (2*i + 1) % r.c; i%4 == 0 && o != out[0] {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}
func (r fakeRelations) Members(c, from int, desc bool, fn func(int) bool) {
	step := 1
	if desc {
		step = -1
		from = min(from, r.n-1)
	}
	for i := from; i >= 0 && i < r.n; i += step {
		if slices.Contains(r.MemberOf(i), c) && !fn(i) {
			return
		}
	}
}

// Random links, unlinks and wholesale replacements of seeded and created
// members leave every owner's list and every member's owners as a plain
// model of sets says.
func TestMemberOverlay_AgreesWithAModelOfSets(t *testing.T) {
	const n, owners = 200, 6
	rel := fakeRelations{n, owners}
	src := fakeSource{n}
	m := newMemberOverlay(rel, src)
	type member struct {
		p Position
		i int
	}
	var all []member
	for i := range n {
		all = append(all, member{src.Position(i), i})
	}
	for k := range 30 { // created members, between seeded ones
		all = append(all, member{Position{At: int64(k)*60 + 5, ID: fmt.Sprintf("N%03d", k)}, -1})
	}
	model := make([]map[string]bool, owners)
	for c := range owners {
		model[c] = map[string]bool{}
		for i := range n {
			if slices.Contains(rel.MemberOf(i), c) {
				model[c][src.Position(i).ID] = true
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for step := range 400 {
		c := rng.IntN(owners)
		x := all[rng.IntN(len(all))]
		switch op := rng.IntN(10); {
		case op < 5:
			if got := m.link(c, x.p, x.i); got == model[c][x.p.ID] {
				t.Fatalf("step %d: link %s to %d reported %v", step, x.p.ID, c, got)
			}
			model[c][x.p.ID] = true
		case op < 9:
			if got := m.unlink(c, x.p, x.i); got != model[c][x.p.ID] {
				t.Fatalf("step %d: unlink %s from %d reported %v", step, x.p.ID, c, got)
			}
			delete(model[c], x.p.ID)
		default:
			tree := newPosTree()
			model[c] = map[string]bool{}
			for range rng.IntN(40) {
				y := all[rng.IntN(len(all))]
				tree.ReplaceOrInsert(y.p)
				model[c][y.p.ID] = true
			}
			m.replace(c, tree)
		}
		for o := range owners {
			var want []Position
			for _, y := range all {
				if model[o][y.p.ID] {
					want = append(want, y.p)
				}
			}
			slices.SortFunc(want, Position.Compare)
			var got []Position
			m.walk(o, nil, nil, false, nil, func(p Position, _ int) bool { got = append(got, p); return true })
			if !slices.EqualFunc(got, want, Position.same) {
				t.Fatalf("step %d: owner %d holds %d members, the model %d", step, o, len(got), len(want))
			}
		}
		for _, y := range all {
			var want []int
			for o := range owners {
				if model[o][y.p.ID] {
					want = append(want, o)
				}
			}
			if got := m.ownersOf(y.p, y.i); !slices.Equal(got, want) {
				t.Fatalf("step %d: %s is in %v, the model says %v", step, y.p.ID, got, want)
			}
		}
	}
}

// Replacing an owner's 65,000 members is one step under the lock: the
// tree is built before, and nothing is done per member.
func TestMemberOverlay_ReplacingIsOneStep(t *testing.T) {
	m := newMemberOverlay(fakeRelations{100_000, 20}, fakeSource{100_000})
	tree := newPosTree()
	for i := range 65_000 {
		tree.ReplaceOrInsert(fakeSource{100_000}.Position(i))
	}
	var w lockWork
	m.replace(3, tree)
	var page []Position
	m.walk(3, nil, &Position{At: 500_000, ID: "S0050000"}, false, &w, func(p Position, _ int) bool { page = append(page, p); return len(page) < 100 })
	if len(page) != 100 || page[0].ID != "S0050001" || w.lists.Load() > 101 {
		t.Fatalf("a page from the middle of the replaced set: %d, from %v, %d visited", len(page), page[0], w.lists.Load())
	}
	if got := m.ownersOf(fakeSource{100_000}.Position(3), 3); !slices.Equal(got, []int{3}) {
		t.Fatalf("member 3 is in %v, want only the replaced owner (its computed one is 3)", got)
	}
	if got := m.ownersOf(fakeSource{100_000}.Position(4), 4); !slices.Equal(got, []int{3, 4, 9}) {
		t.Fatalf("member 4 is in %v, want 3 (replaced), 4 and 9 (computed)", got)
	}
}
