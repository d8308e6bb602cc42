package store

import (
	"maps"
	"slices"
)

// seededKind is one kind's entities in the catalog: those of its source
// (made on demand; none when src is nil), less the indexes hidden (deleted,
// or replaced by a held value), and the held ones (created, or seeded ones
// replaced), by id and in position order. A seeded entity's stamp is base
// + its index, as a seeded job's is, so the render caches keep working;
// made entities are kept by stamp in a bounded cache so a hot page is not
// made anew.
type seededKind struct {
	src  EntitySource
	base uint64
	// hidden: seeded indexes not shown from the source (deleted or held);
	// gone: those deleted or held at another position than the seeded one
	// (what the seeded relations computed of them no longer holds).
	hidden map[int]struct{}
	gone   map[int]struct{}
	held   map[string]*Entity
	order  *posTree
	made   *madeEntities
}

// newSeededKind returns the entities of src (nil: none seeded), whose
// entity i has the stamp base+i (the caller reserves Len stamps). Its maps
// and its order tree are made by the first write (writable): most kinds of
// an account are never written, a nil map reads as an empty one, and a
// nil order is walked as holding nothing.
func newSeededKind(src EntitySource, base uint64, made *madeEntities) *seededKind {
	return &seededKind{src: src, base: base, made: made}
}

// writable makes the kind's maps and order tree if no write has made them
// yet.
func (k *seededKind) writable() {
	if k.held == nil {
		k.hidden, k.gone, k.held = map[int]struct{}{}, map[int]struct{}{}, map[string]*Entity{}
		k.order = newPosTree()
	}
}

// seededLen returns how many entities the source seeds.
func (k *seededKind) seededLen() int {
	if k.src == nil {
		return 0
	}
	return k.src.Len()
}

// len returns how many entities the kind holds.
func (k *seededKind) len() int { return k.seededLen() - len(k.hidden) + len(k.held) }

// index returns the index of id in the source, shown or not.
func (k *seededKind) index(id string) (int, bool) {
	if k.src == nil {
		return 0, false
	}
	return k.src.Index(id)
}

// seeded returns the index of id in the source when it is shown from there.
func (k *seededKind) seeded(id string) (int, bool) {
	i, ok := k.index(id)
	if !ok {
		return 0, false
	}
	_, gone := k.hidden[i]
	return i, !gone
}

// member returns the index the seeded relations know id by: its source
// index unless it was deleted or held at another position (-1).
func (k *seededKind) member(id string) int {
	if i, ok := k.index(id); ok {
		if _, g := k.gone[i]; !g {
			return i
		}
	}
	return -1
}

// isGone reports whether seeded index i no longer holds what the seeded
// relations say of it.
func (k *seededKind) isGone(i int) bool { _, g := k.gone[i]; return g }

// get returns the entity with id, or nil.
func (k *seededKind) get(id string) *Entity {
	if e := k.held[id]; e != nil {
		return e
	}
	if i, ok := k.seeded(id); ok {
		return k.make(i)
	}
	return nil
}

// isHeld reports whether the entity with id is held (not made).
func (k *seededKind) isHeld(id string) bool { _, ok := k.held[id]; return ok }

// make returns seeded entity i, from the cache when it was made lately.
func (k *seededKind) make(i int) *Entity {
	stamp := k.base + uint64(i)
	if k.made != nil {
		if e, ok := k.made.Get(stamp); ok {
			return e
		}
	}
	e := k.src.At(i)
	e.stamp = stamp
	if k.made != nil {
		k.made.Put(stamp, e)
	}
	return e
}

// found is what a kind holds under one id, looked up once: the entity
// held under it, and its index in the source (whether or not shown).
type found struct {
	held  *Entity
	i     int
	inSrc bool // the source holds the id
	shown bool // and shows it (not hidden)
}

// find looks id up in the held map and the source: what get, seeded and
// put would each ask again, for a caller that reads the entity, then
// writes it (a job's element, whose id is new to a map of every entity
// the account has made, so each look-up is a cold one).
func (k *seededKind) find(id string) found {
	f := found{held: k.held[id]}
	if f.i, f.inSrc = k.index(id); f.inSrc {
		_, hidden := k.hidden[f.i]
		f.shown = !hidden
	}
	return f
}

// entity returns the entity f found, as get does: the held one, else the
// seeded one shown, else nil.
func (k *seededKind) entity(f found) *Entity {
	switch {
	case f.held != nil:
		return f.held
	case f.shown:
		return k.make(f.i)
	}
	return nil
}

// put holds e (a new value with its own stamp): a created entity, or a
// seeded one replaced, whose index is then hidden. Only tests use it now:
// the account puts through putFound, with what it found of e.ID.
func (k *seededKind) put(e *Entity) { k.putFound(e, k.find(e.ID)) }

// putFound is put, with f what find(e.ID) returns now. It reports whether
// the kind's entities or their order changed (anything but a held value
// replaced at its position: see Account.shape).
func (k *seededKind) putFound(e *Entity, f found) (moved bool) {
	k.writable()
	moved = f.held == nil || !positionOf(f.held).same(positionOf(e))
	if f.inSrc {
		k.hidden[f.i] = struct{}{}
		if !positionOf(e).same(k.src.Position(f.i)) {
			k.gone[f.i] = struct{}{}
		}
	}
	if f.held != nil {
		k.order.Delete(positionOf(f.held))
	}
	k.held[e.ID] = e
	k.order.ReplaceOrInsert(positionOf(e))
	return moved
}

// remove deletes the entity with id; it reports whether there was one.
func (k *seededKind) remove(id string) bool {
	k.writable()
	if old := k.held[id]; old != nil {
		k.order.Delete(positionOf(old))
		delete(k.held, id)
		if i, ok := k.index(id); ok {
			k.gone[i] = struct{}{}
		}
		return true
	}
	if i, ok := k.seeded(id); ok {
		k.hidden[i], k.gone[i] = struct{}{}, struct{}{}
		return true
	}
	return false
}

// walk calls fn with the entities after the cursor in position order
// (reverse when desc) until fn returns false: O(page + log n) plus the
// hidden indexes passed.
func (k *seededKind) walk(after *Position, desc bool, work *lockWork, fn func(e *Entity) bool) {
	k.walkMadeWhere(after, desc, work, nil, func(p Position, i int, e *Entity) bool {
		switch {
		case i < 0:
			return fn(k.held[p.ID])
		case e == nil:
			return fn(k.make(i))
		}
		return fn(e)
	})
}

// walkPos calls fn with the positions after the cursor, each seeded (i
// its index) or held (i = -1), as walk does.
func (k *seededKind) walkPos(after *Position, desc bool, work *lockWork, fn func(p Position, i int) bool) {
	k.walkPosWhere(after, desc, work, nil, fn)
}

// walkPosWhere is walkPos passing the seeded indexes drop reports (nil:
// none) without computing their positions.
func (k *seededKind) walkPosWhere(after *Position, desc bool, work *lockWork, drop func(i int) bool, fn func(p Position, i int) bool) {
	k.walkMadeWhere(after, desc, work, drop, func(p Position, i int, _ *Entity) bool { return fn(p, i) })
}

// walkMadeWhere is walkPosWhere also passing, with a seeded index, the
// entity made for it when the made-entity cache keeps it (nil when not):
// a hot page's positions are read from its entities, so the source writes
// no id anew, and each entity is looked up once.
func (k *seededKind) walkMadeWhere(after *Position, desc bool, work *lockWork, drop func(i int) bool, fn func(p Position, i int, e *Entity) bool) {
	k.walkMadeInto(new(madeWalk), after, desc, work, drop, visitFunc(fn))
}

// walkMadeInto is walkMadeWhere with its state in w and its visitor v, a
// caller's (a page's pager holds both: each was an allocation of every
// page).
func (k *seededKind) walkMadeInto(w *madeWalk, after *Position, desc bool, work *lockWork, drop func(i int) bool, v madeVisitor) {
	*w = madeWalk{k: k, drop: drop, v: v, lastI: -1}
	w.merger = merger{hooks: w, desc: desc, work: work, held: k.order}
	if k.src != nil {
		w.s = seededStream{n: k.src.Len(), hi: k.src.Len()}
	}
	w.run(nil, after)
}

// madeVisitor is what a walk of made entities passes each position to,
// with its index (-1: held) and the entity made for it when known; visit
// reports whether the walk goes on.
type madeVisitor interface {
	visit(p Position, i int, e *Entity) bool
}

// visitFunc is a function as a madeVisitor.
type visitFunc func(p Position, i int, e *Entity) bool

func (f visitFunc) visit(p Position, i int, e *Entity) bool { return f(p, i, e) }

// madeWalk is the state of one walkMadeWhere and its merge (it is the
// merge's hooks): the entity the last position was read from (lastE, at
// index lastI). One value, where the variables its closures captured, and
// the closures, were each an allocation of every page.
type madeWalk struct {
	merger
	k     *seededKind
	drop  func(i int) bool
	v     madeVisitor
	lastI int
	lastE *Entity
}

// position is index i's position, read from its made entity when the
// made-entity cache keeps it.
func (w *madeWalk) position(i int) Position {
	if w.k.made == nil {
		return w.k.src.Position(i)
	}
	if e, ok := w.k.made.Get(w.k.base + uint64(i)); ok {
		w.lastI, w.lastE = i, e
		return positionOf(e)
	}
	return w.k.src.Position(i)
}

// hides reports whether any index may be hidden.
func (w *madeWalk) hides() bool { return len(w.k.hidden) > 0 || w.drop != nil }

// hidden reports whether index i is not shown from the source: deleted,
// held, or dropped.
func (w *madeWalk) hidden(i int) bool {
	_, gone := w.k.hidden[i]
	return gone || w.drop != nil && w.drop(i)
}

// emit passes fn a position with the entity it was read from, if any.
func (w *madeWalk) emit(p Position, i int) bool {
	var e *Entity
	if i >= 0 && i == w.lastI {
		e = w.lastE
	}
	return w.v.visit(p, i, e)
}

// kept describes the kind as a compact copy keeps it: the source's count
// and first id, and the ids of the seeded entities deleted (hidden, not
// held), in index order.
func (k *seededKind) kept() KeptHistory {
	h := KeptHistory{Count: k.src.Len(), Hidden: []string{}}
	if h.Count > 0 {
		h.First = k.src.Position(0).ID
	}
	idx := make([]int, 0, len(k.hidden))
	for i := range k.hidden {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	for _, i := range idx {
		if id := k.src.Position(i).ID; !k.isHeld(id) {
			h.Hidden = append(h.Hidden, id)
		}
	}
	return h
}

// snapshot returns a copy of k that later changes to k do not reach, for
// reading without the lock: the source and the made cache shared, what
// requests changed copied (the order tree lazily).
func (k *seededKind) snapshot() *seededKind {
	c := &seededKind{src: k.src, base: k.base, hidden: maps.Clone(k.hidden), gone: maps.Clone(k.gone),
		held: maps.Clone(k.held), made: k.made}
	if k.order != nil {
		c.order = k.order.Clone()
	}
	return c
}
