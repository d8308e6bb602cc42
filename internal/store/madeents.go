package store

import (
	"sync/atomic"

	"github.com/klaviyo-mock/mockserver/internal/rcache"
)

// frontSlots is the size of the made-entity cache's table of hot entities:
// a power of two, so a stamp's slot is its low bits (consecutive seeded
// entities, as a page shows them, take consecutive slots).
const frontSlots = 1 << 10

// madeEntities keeps seeded entities recently made, by stamp (nil: none):
// a bounded cache, and in front of it a table indexed by the stamp's low
// bits holding the entity last made or found at each slot. A page read
// again finds each of its entities with one load instead of a search of
// the cache's large map under its shard's lock (about a tenth of a
// changing iteration's CPU). A stamp names one immutable value, and a
// slot's entity is returned only for its own stamp, so the table answers
// what the cache would. Both count their bytes, within one bound.
type madeEntities struct {
	cache       *rcache.Cache[uint64, *Entity]
	front       []atomic.Pointer[Entity]
	frontBytes  atomic.Int64
	frontBudget int64
}

// newMadeEntities returns a cache of at most budget estimated bytes (nil
// when budget <= 0), an eighth of it for the table of hot entities.
func newMadeEntities(budget int64) *madeEntities {
	if budget <= 0 {
		return nil
	}
	front := budget / 8
	return &madeEntities{
		cache:       rcache.NewOf(budget-front, 8, func(_ uint64, e *Entity) int64 { return e.memSize() }, nil),
		front:       make([]atomic.Pointer[Entity], frontSlots),
		frontBudget: front,
	}
}

// Get returns the entity kept under stamp.
func (m *madeEntities) Get(stamp uint64) (*Entity, bool) {
	if e := m.front[stamp%frontSlots].Load(); e != nil && e.stamp == stamp {
		return e, true
	}
	e, ok := m.cache.Get(stamp)
	if ok {
		m.remember(stamp, e)
	}
	return e, ok
}

// Put keeps e, just made, under stamp.
func (m *madeEntities) Put(stamp uint64, e *Entity) {
	m.cache.Put(stamp, e)
	m.remember(stamp, e)
}

// remember puts e in its slot of the table, replacing what was there,
// unless the table's bytes would pass its bound. Each replacement counts
// the bytes it adds and removes, so the count is exact; the bound may be
// passed by an entity per writer racing for the last room.
func (m *madeEntities) remember(stamp uint64, e *Entity) {
	slot := &m.front[stamp%frontSlots]
	old := slot.Load()
	var oldSize int64
	if old != nil {
		oldSize = old.memSize()
	}
	size := e.memSize()
	if m.frontBytes.Load()-oldSize+size > m.frontBudget || !slot.CompareAndSwap(old, e) {
		return
	}
	m.frontBytes.Add(size - oldSize)
}

// Clear drops every entity kept.
func (m *madeEntities) Clear() {
	m.cache.Clear()
	for i := range m.front {
		if old := m.front[i].Swap(nil); old != nil {
			m.frontBytes.Add(-old.memSize())
		}
	}
}

// Bytes returns the estimated bytes kept (an entity in both the cache and
// the table counted twice).
func (m *madeEntities) Bytes() int64 { return m.cache.Bytes() + m.frontBytes.Load() }

// Budget returns the most kept.
func (m *madeEntities) Budget() int64 { return m.cache.Budget() + m.frontBudget }

// Stats returns the lookups the cache's map answered and missed (those
// the table answered are not among them).
func (m *madeEntities) Stats() (hits, misses int64) { return m.cache.Stats() }
