package store

import (
	"fmt"
	"testing"
)

// Planning a relationship write makes the owner's member list afterwards
// once, at its size, not by growing it member by member: for 65,000
// members that was about 25 copies of a list growing to 2.6 MB, on top of
// building the member tree (7 MB of the 30 MB a replacement allocated in
// BenchmarkRelateReplace).
func TestPlan_MakesTheMembersAfterwardsAtOnce(t *testing.T) {
	const n = 20_000
	cur := make([]Position, n)
	for i := range cur {
		cur[i] = Position{At: int64(i), ID: fmt.Sprintf("I%07d", i)}
	}
	tree := testing.AllocsPerRun(3, func() {
		t := newPosTree()
		for _, q := range cur {
			t.ReplaceOrInsert(q)
		}
	})
	// Adding members the owner holds: nothing changes, the list afterwards
	// is the one before.
	plan := testing.AllocsPerRun(3, func() {
		p := memberPlan{cur: cur, ps: append([]Position(nil), cur[:n/2]...)}
		p.plan(RelAdd)
		if p.tree.Len() != n || p.added != 0 || len(p.changed) != 0 {
			t.Fatalf("tree %d, added %d, changed %d", p.tree.Len(), p.added, len(p.changed))
		}
	})
	// The tree, the list afterwards, the copy of the ids sent and a few
	// more under the race detector; growing the list took about 20.
	if plan > tree+5 {
		t.Fatalf("planning allocates %.0f times, building the tree %.0f: the list afterwards is grown, not made once", plan, tree)
	}
}
