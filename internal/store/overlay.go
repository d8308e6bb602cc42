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
	// `from` when desc) until fn returns false.
	scan func(from int, desc bool, fn func(i int) bool)
}

// rangeStream is the indexes [lo, hi) of a source.
func rangeStream(src EntitySource, lo, hi int) seededStream {
	return seededStream{n: src.Len(), pos: src.Position, scan: func(from int, desc bool, fn func(int) bool) {
		if desc {
			for i := min(from, hi-1); i >= lo; i-- {
				if !fn(i) {
					return
				}
			}
			return
		}
		for i := max(from, lo); i < hi; i++ {
			if !fn(i) {
				return
			}
		}
	}}
}

// start returns the first index past the cursor after (exclusive) in the
// walk's direction, by a binary search over positions: O(log n).
func (s seededStream) start(after *Position, desc bool) int {
	if after == nil {
		if desc {
			return s.n - 1
		}
		return 0
	}
	first := sort.Search(s.n, func(i int) bool { return after.Less(s.pos(i)) }) // first index sorting after the cursor
	if desc {
		j := sort.Search(s.n, func(i int) bool { return !s.pos(i).Less(*after) }) // first not before it
		return j - 1
	}
	return first
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
	// Walk the held tree and, before each of its positions, emit the
	// seeded ones that sort before it; then the seeded ones left.
	cont := true
	cur := s.start(after, desc)
	next := func(i int) int {
		if desc {
			return i - 1
		}
		return i + 1
	}
	emitSeeded := func(before *Position) {
		if !cont || cur < 0 || cur >= s.n {
			return
		}
		s.scan(cur, desc, func(i int) bool {
			work.list()
			// A hidden index emits nothing, so it is passed without its
			// position: the next one shown decides where the held one goes.
			if hidden != nil && hidden(i) {
				cur = next(i)
				return true
			}
			p := s.pos(i)
			if before != nil && (desc && !before.Less(p) || !desc && !p.Less(*before)) {
				cur = i
				return false
			}
			cur = next(i)
			cont = fn(p, i)
			return cont
		})
		if before == nil || !cont {
			cur = -1
		}
	}
	visit := func(p Position) bool {
		work.list()
		if emitSeeded(&p); !cont {
			return false
		}
		cont = fn(p, -1)
		return cont
	}
	if held != nil {
		held(after, desc, visit)
	}
	emitSeeded(nil)
}
