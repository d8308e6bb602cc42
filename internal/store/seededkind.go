package store

import "github.com/klaviyo-mock/mockserver/internal/rcache"

// seededKind is one kind's entities in a catalog made on demand (issue 20,
// in progress; not yet read by the catalog): the source's, less the
// indexes hidden (deleted, or replaced by a held value), and the held ones
// (created, or seeded ones replaced), by id and in position order. A
// seeded entity's stamp is base + its index, as a seeded job's is, so the
// render caches keep working; made entities are kept by stamp in a bounded
// cache so a hot page is not made anew.
type seededKind struct {
	src    EntitySource
	base   uint64
	hidden map[int]struct{}
	held   map[string]*Entity
	order  *posTree
	made   *madeEntities
}

// madeEntities keeps seeded entities recently made, by stamp (nil: none).
type madeEntities = rcache.Cache[uint64, *Entity]

// newMadeEntities returns a cache of at most budget estimated bytes (nil
// when budget <= 0).
func newMadeEntities(budget int64) *madeEntities {
	if budget <= 0 {
		return nil
	}
	return rcache.NewOf(budget, 8, func(_ uint64, e *Entity) int64 { return e.memSize() }, nil)
}

// newSeededKind returns the entities of src, whose entity i has the stamp
// base+i (the caller reserves Len stamps).
func newSeededKind(src EntitySource, base uint64, made *madeEntities) *seededKind {
	return &seededKind{src: src, base: base, hidden: map[int]struct{}{}, held: map[string]*Entity{}, order: newPosTree(), made: made}
}

// len returns how many entities the kind holds.
func (k *seededKind) len() int { return k.src.Len() - len(k.hidden) + len(k.held) }

// seeded returns the index of id in the source when it is shown from there.
func (k *seededKind) seeded(id string) (int, bool) {
	i, ok := k.src.Index(id)
	if !ok {
		return 0, false
	}
	_, gone := k.hidden[i]
	return i, !gone
}

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

// put holds e (a new value with its own stamp): a created entity, or a
// seeded one replaced, whose index is then hidden.
func (k *seededKind) put(e *Entity) {
	if i, ok := k.src.Index(e.ID); ok {
		k.hidden[i] = struct{}{}
	}
	if old := k.held[e.ID]; old != nil {
		k.order.Delete(positionOf(old))
	}
	k.held[e.ID] = e
	k.order.ReplaceOrInsert(positionOf(e))
}

// remove deletes the entity with id; it reports whether there was one.
func (k *seededKind) remove(id string) bool {
	if old := k.held[id]; old != nil {
		k.order.Delete(positionOf(old))
		delete(k.held, id)
		if i, ok := k.src.Index(id); ok {
			k.hidden[i] = struct{}{} // the value held replaced it
		}
		return true
	}
	if i, ok := k.seeded(id); ok {
		k.hidden[i] = struct{}{}
		return true
	}
	return false
}

// walk calls fn with the entities after the cursor in position order
// (reverse when desc) until fn returns false: O(page + log n) plus the
// hidden indexes passed.
func (k *seededKind) walk(after *Position, desc bool, work *lockWork, fn func(e *Entity) bool) {
	s := rangeStream(k.src, 0, k.src.Len())
	hidden := func(i int) bool { _, gone := k.hidden[i]; return gone }
	mergeWalk(s, hidden, k.order, after, desc, work, func(p Position, i int) bool {
		if i < 0 {
			return fn(k.held[p.ID])
		}
		return fn(k.make(i))
	})
}
