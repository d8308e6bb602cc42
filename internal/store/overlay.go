package store

import (
	"sort"
)

// The overlay's list:
// every list of a catalog made on demand — a kind's entities, an item's
// variants, a category's items — is a merge, in position order from a
// cursor, of a seeded stream (indexes of an EntitySource, less those the
// overlay hides: deleted, or replaced by a held value) and the overlay's
// tree of held positions (entities requests created, and seeded ones they
// replaced). A page costs O(page + log n) plus the hidden indexes it
// passes, whatever the catalog's size.

// seededStream is a subset of an EntitySource's indexes in position order:
// all of them, an item's variants (a range), a category's items.
type seededStream struct {
	// n bounds the indexes; pos returns index i's position, increasing in i.
	n   int
	pos func(i int) Position
	// scan calls fn with the subset's indexes from `from` on (down from
	// `from` when desc) until fn returns false; nil: the indexes [lo, hi),
	// walked by the merge itself (no call per index).
	scan   func(from int, desc bool, fn func(i int) bool)
	lo, hi int
}

// rangeStream is the indexes [lo, hi) of a source.
func rangeStream(src EntitySource, lo, hi int) seededStream {
	return seededStream{n: src.Len(), pos: src.Position, lo: lo, hi: hi}
}

// start returns the first index past the cursor after (exclusive) in the
// walk's direction, by a binary search over positions: O(log n).
func (m *merger) start(after *Position) int {
	n := m.s.n
	if after == nil {
		if m.desc {
			return n - 1
		}
		return 0
	}
	if m.desc {
		j := sort.Search(n, func(i int) bool { return !m.hooks.position(i).Less(*after) }) // first not before it
		return j - 1
	}
	return sort.Search(n, func(i int) bool { return after.Less(m.hooks.position(i)) }) // first index sorting after the cursor
}

// mergeWalk calls fn with the list's positions after the cursor (exclusive;
// nil: from the start) in position order, or reverse order when desc, until
// fn returns false: each either seeded (i its index) or held (i = -1).
// hidden reports the seeded indexes the overlay deletes or replaces; held
// may be nil. work, when set, counts the positions visited.
func mergeWalk(s seededStream, hidden func(i int) bool, held *posTree, after *Position, desc bool, work *lockWork, fn func(p Position, i int) bool) {
	var w walker
	if held != nil {
		w = treeWalker(held)
	}
	mergeWalker(s, hidden, w, after, desc, work, fn)
}

// mergeWalker is mergeWalk with the held positions read through a walker
// (a tree's or a sorted slice's; nil: none).
func mergeWalker(s seededStream, hidden func(i int) bool, held walker, after *Position, desc bool, work *lockWork, fn func(p Position, i int) bool) {
	m := &merger{s: s, desc: desc, work: work}
	m.hooks = funcHooks{posFn: s.pos, hiddenFn: hidden, emitFn: fn}
	m.run(held, after)
}

// mergeHooks are what a merge asks of its caller for each seeded index
// and position: where index i sorts, whether it is hidden (hides says
// whether any may be), and fn, given each position emitted (i < 0: a
// held one). A walk that keeps state of its own implements them itself
// (madeWalk): one value, where a function for each was an allocation of
// every page.
type mergeHooks interface {
	position(i int) Position
	hides() bool
	hidden(i int) bool
	emit(p Position, i int) bool
}

// funcHooks are mergeHooks made of functions (hidden nil: none is).
type funcHooks struct {
	posFn    func(i int) Position
	hiddenFn func(i int) bool
	emitFn   func(p Position, i int) bool
}

func (h funcHooks) position(i int) Position     { return h.posFn(i) }
func (h funcHooks) hides() bool                 { return h.hiddenFn != nil }
func (h funcHooks) hidden(i int) bool           { return h.hiddenFn(i) }
func (h funcHooks) emit(p Position, i int) bool { return h.emitFn(p, i) }

// merger is the state of one merge: the stream's next index (cur; -1 when
// it is done) and whether the hooks' emit asked for more (cont). It is
// one value, not variables captured one by one by the merge's closures:
// each of those was an allocation of every page.
type merger struct {
	s     seededStream
	hooks mergeHooks
	hides bool
	desc  bool
	work  *lockWork
	// held, when set, is the tree of held positions run walks (rather
	// than a walker it is given): walked directly, its visitor is no
	// allocation.
	held *posTree
	cur  int
	cont bool
}

// run walks the held positions and, before each, emits the seeded ones
// that sort before it; then the seeded ones left.
func (m *merger) run(held walker, after *Position) {
	m.cur, m.cont, m.hides = m.start(after), true, m.hooks.hides()
	switch {
	case m.held != nil:
		walkTree(m.held, after, m.desc, m.heldAt)
	case held != nil:
		held(after, m.desc, m.heldAt)
	}
	m.emitSeeded(Position{}, false)
}

// heldAt emits the seeded positions sorting before the held position p,
// then p, and reports whether the walk goes on.
func (m *merger) heldAt(p Position) bool {
	m.work.list()
	if m.emitSeeded(p, true); !m.cont {
		return false
	}
	m.cont = m.hooks.emit(p, -1)
	return m.cont
}

// emitSeeded emits the stream's positions from cur on, those sorting
// before `before` when bounded (all of them when not).
func (m *merger) emitSeeded(before Position, bounded bool) {
	if !m.cont || m.cur < 0 || m.cur >= m.s.n {
		return
	}
	switch {
	case m.s.scan != nil:
		m.s.scan(m.cur, m.desc, func(i int) bool { return m.step(i, before, bounded) })
	case m.desc:
		for i := min(m.cur, m.s.hi-1); i >= m.s.lo && m.step(i, before, bounded); i-- {
		}
	default:
		for i := max(m.cur, m.s.lo); i < m.s.hi && m.step(i, before, bounded); i++ {
		}
	}
	if !bounded || !m.cont {
		m.cur = -1
	}
}

// step emits index i unless it is hidden, or stops (false) before it when
// it sorts at or past `before` (bounded) or fn asks for no more.
func (m *merger) step(i int, before Position, bounded bool) bool {
	m.work.list()
	// A hidden index emits nothing, so it is passed without its position:
	// the next one shown decides where the held one goes.
	if m.hides && m.hooks.hidden(i) {
		m.cur = m.next(i)
		return true
	}
	p := m.hooks.position(i)
	if bounded && (m.desc && !before.Less(p) || !m.desc && !p.Less(before)) {
		m.cur = i
		return false
	}
	m.cur = m.next(i)
	m.cont = m.hooks.emit(p, i)
	return m.cont
}

// next is the index after i in the merge's direction.
func (m *merger) next(i int) int {
	if m.desc {
		return i - 1
	}
	return i + 1
}
