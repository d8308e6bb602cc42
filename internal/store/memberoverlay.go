package store

import "slices"

// memberOverlay is what requests changed in a seeded membership: which
// seeded owner (a category, by index) gained members beyond the computed
// ones, which computed members it lost, and which owners were replaced
// wholesale ("materialized": their explicit member set replaces the
// computed one).
// Members are positions (a seeded item's or a created one's); computed
// members are member indexes. A replacement is one materialization, not a
// tree operation per member.
type memberOverlay struct {
	rel     SeededRelations
	members EntitySource
	// added[c]: members owner c gained; removed[c]: computed members it
	// lost; materialized[c]: its whole member set.
	added        map[int]*posTree
	removed      map[int]map[int]struct{}
	materialized map[int]*posTree
	// addedTo[id]: the owners member id was added to (the other side).
	addedTo map[string][]int
	// n counts the entries of added, removed and materialized (what the
	// overlay holds).
	n int
}

func newMemberOverlay(rel SeededRelations, members EntitySource) *memberOverlay {
	return &memberOverlay{rel: rel, members: members, added: map[int]*posTree{}, removed: map[int]map[int]struct{}{},
		materialized: map[int]*posTree{}, addedTo: map[string][]int{}}
}

// computed reports whether member index i (-1: not seeded) is one of
// owner c's computed members.
func (m *memberOverlay) computed(c, i int) bool {
	return i >= 0 && slices.Contains(m.rel.MemberOf(i), c)
}

// has reports whether owner c holds the member at p (of index i, or -1).
func (m *memberOverlay) has(c int, p Position, i int) bool {
	if t := m.materialized[c]; t != nil {
		return t.Has(p)
	}
	if t := m.added[c]; t != nil && t.Has(p) {
		return true
	}
	_, gone := m.removed[c][i]
	return m.computed(c, i) && !gone
}

// link makes the member at p (index i, or -1) one of owner c's; it reports
// whether it was not.
func (m *memberOverlay) link(c int, p Position, i int) bool {
	if m.has(c, p, i) {
		return false
	}
	switch {
	case m.materialized[c] != nil:
		m.materialized[c].ReplaceOrInsert(p)
		m.n++
	case m.computed(c, i):
		delete(m.removed[c], i)
		m.n--
	default:
		if m.added[c] == nil {
			m.added[c] = newPosTree()
		}
		m.added[c].ReplaceOrInsert(p)
		m.addedTo[p.ID] = append(m.addedTo[p.ID], c)
		m.n++
	}
	return true
}

// unlink removes the member at p (index i, or -1) from owner c; it reports
// whether it was there.
func (m *memberOverlay) unlink(c int, p Position, i int) bool {
	if !m.has(c, p, i) {
		return false
	}
	switch {
	case m.materialized[c] != nil:
		m.materialized[c].Delete(p)
		m.n--
	case m.added[c] != nil && m.added[c].Has(p):
		m.added[c].Delete(p)
		m.addedTo[p.ID] = slices.DeleteFunc(m.addedTo[p.ID], func(o int) bool { return o == c })
		m.n--
	default:
		if m.removed[c] == nil {
			m.removed[c] = map[int]struct{}{}
		}
		m.removed[c][i] = struct{}{}
		m.n++
	}
	return true
}

// replace makes tree (built by the caller, outside any lock) owner c's
// whole member set: one step, whatever its size.
func (m *memberOverlay) replace(c int, tree *posTree) {
	if t := m.added[c]; t != nil {
		t.Ascend(func(p Position) bool {
			m.addedTo[p.ID] = slices.DeleteFunc(m.addedTo[p.ID], func(o int) bool { return o == c })
			return true
		})
		m.n -= t.Len()
	}
	if t := m.materialized[c]; t != nil {
		m.n -= t.Len()
	}
	m.n -= len(m.removed[c])
	m.n += tree.Len()
	delete(m.added, c)
	delete(m.removed, c)
	m.materialized[c] = tree
}

// walk calls fn with owner c's members after the cursor in position order
// (reverse when desc): a materialized owner's tree, or the computed members
// less those removed and those hidden (deleted items), merged with those
// added.
func (m *memberOverlay) walk(c int, hidden func(i int) bool, after *Position, desc bool, work *lockWork, fn func(p Position, i int) bool) {
	if t := m.materialized[c]; t != nil {
		mergeWalk(seededStream{}, nil, t, after, desc, work, fn)
		return
	}
	s := seededStream{n: m.members.Len(), pos: m.members.Position, scan: func(from int, desc bool, fn func(int) bool) {
		m.rel.Members(c, from, desc, fn)
	}}
	gone := m.removed[c]
	mergeWalk(s, func(i int) bool { _, g := gone[i]; return g || hidden != nil && hidden(i) }, m.added[c], after, desc, work, fn)
}

// ownersOf returns the owners the member at p (index i, or -1) belongs to,
// ascending: its computed owners still holding it, those it was added to,
// and the materialized owners holding it (O(owners materialized · log n)).
func (m *memberOverlay) ownersOf(p Position, i int) []int {
	var out []int
	if i >= 0 {
		for _, c := range m.rel.MemberOf(i) {
			if m.has(c, p, i) {
				out = append(out, c)
			}
		}
	}
	out = append(out, m.addedTo[p.ID]...) // never a materialized owner: replace drops them
	for c, t := range m.materialized {
		if t.Has(p) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
