// Package rcache holds immutable values for reuse (rendered bytes, jobs
// made from a seed): a map bounded by the values' estimated bytes, in
// shards, each shard two generations. A lookup in the older generation
// moves the entry to the current one; when the current generation is full,
// it becomes the older one and the older one is dropped, so what is read
// stays and what is not ages out, and the whole cache never holds more
// than its budget (plus one entry per shard). Keys name an immutable thing
// (a stored object's stamp, or a document and the versions of everything
// it was rendered from), so an entry is never stale: a change makes new
// keys, and old entries are never asked for again.
package rcache

import (
	"bytes"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// entryOverhead estimates what one entry costs besides its bytes and a
// string key's bytes (map slot, slice and string headers).
const entryOverhead = 96

// byteCost is what an entry of rendered bytes v under k holds: its bytes,
// a string key's bytes (a document's key carries the request's path and
// query, which a client chooses) and the overhead.
func byteCost[K comparable](k K, v []byte) int64 {
	n := int64(len(v)) + entryOverhead
	if s, ok := any(k).(string); ok {
		n += int64(len(s))
	}
	return n
}

// Cache maps K to V within a budget of estimated bytes. Safe for
// concurrent use.
type Cache[K comparable, V any] struct {
	shards []shard[K, V]
	seed   maphash.Seed
	cost   func(K, V) int64
	keep   func(V) V
	// limit is each generation's budget per shard; maxEntry the largest
	// entry kept (half a generation).
	limit, maxEntry int64
	hits, misses    atomic.Int64
}

type shard[K comparable, V any] struct {
	mu        sync.RWMutex
	cur, prev map[K]V
	curBytes  int64
	prevBytes int64
	// offered remembers the hashes of keys Offer saw, one per slot (a
	// later key whose hash falls in the same slot takes it).
	offered [offerSlots]atomic.Uint64
}

// offerSlots is how many offered keys a shard remembers.
const offerSlots = 1024

// Bytes is a cache of rendered bytes.
type Bytes[K comparable] = Cache[K, []byte]

// New returns a cache of rendered bytes holding at most budget bytes in n
// shards (0 or less: a cache that keeps nothing); it keeps a copy of what
// it is given. Fewer shards keep larger entries: an entry may take
// half a shard's generation, budget/(4n).
func New[K comparable](budget int64, n int) *Bytes[K] {
	return NewOf(budget, n, byteCost[K], bytes.Clone)
}

// NewOf returns a cache of values whose estimated size cost gives, holding
// at most budget bytes in n shards; keep (nil: the value itself) is what a
// value admitted is stored as.
func NewOf[K comparable, V any](budget int64, n int, cost func(K, V) int64, keep func(V) V) *Cache[K, V] {
	c := &Cache[K, V]{seed: maphash.MakeSeed(), shards: make([]shard[K, V], max(n, 1)), cost: cost, keep: keep}
	if budget > 0 {
		c.limit = budget / int64(len(c.shards)) / 2
		c.maxEntry = c.limit / 2
	}
	for i := range c.shards {
		c.shards[i].cur = map[K]V{}
	}
	return c
}

func (c *Cache[K, V]) shard(k K) *shard[K, V] {
	return &c.shards[maphash.Comparable(c.seed, k)%uint64(len(c.shards))]
}

// Offer stores v under k as Put does, but only when k was offered
// recently before; the first offer of a key only remembers its hash. A
// value made once and never asked for again (a document of data that
// changes before it is read twice) then costs no copy, and one asked for
// again is kept at its second making. A hash shared by two keys can only
// admit a value early, under its own key, so what Get returns is as
// correct as with Put.
func (c *Cache[K, V]) Offer(k K, v V) {
	if c.limit <= 0 || c.cost(k, v) > c.maxEntry || !c.Admit(k) {
		return
	}
	c.Put(k, v)
}

// Admit reports whether k was offered (or admitted) recently before, and
// remembers it: Offer's test, for a value the caller makes only to keep it
// (a value made at its second asking, not before).
func (c *Cache[K, V]) Admit(k K) bool {
	if c.limit <= 0 {
		return false
	}
	h := maphash.Comparable(c.seed, k)
	s := &c.shards[h%uint64(len(c.shards))]
	tag := h | 1 // never 0, an empty slot
	return s.offered[(h>>32)%offerSlots].Swap(tag) == tag
}

// CountHits counts n hits of values served without a lookup, from a copy
// the caller kept (a page of objects reused whole), so Stats tells what
// the cache saved.
func (c *Cache[K, V]) CountHits(n int64) { c.hits.Add(n) }

// CountMisses counts n misses of values the caller knows are not held
// (made after anything it gave the cache), without a lookup, so Stats
// tells what the cache saved.
func (c *Cache[K, V]) CountMisses(n int64) {
	if c.limit > 0 { // as Get counts nothing when nothing is kept
		c.misses.Add(n)
	}
}

// Get returns the value stored under k. It must not be modified. Both
// generations are searched under the shard's read lock, so a miss (every
// key of a document after a change) takes no write lock; only a hit in
// the older generation does, to move the entry to the current one.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	if c.limit <= 0 {
		var zero V
		return zero, false
	}
	s := c.shard(k)
	v, ok, old := s.lookup(k)
	if old {
		s.promote(c, k)
	}
	c.count(ok)
	return v, ok
}

// lookup finds k in both generations under the shard's read lock; old
// reports a value found in the older one (for the caller to promote).
func (s *shard[K, V]) lookup(k K) (v V, ok, old bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if v, ok = s.cur[k]; ok {
		return v, true, false
	}
	v, ok = s.prev[k]
	return v, ok, ok
}

// count counts a hit or a miss.
func (c *Cache[K, V]) count(hit bool) {
	if hit {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
}

// promote moves k from the older generation to the current one, read
// again, unless another call moved, replaced or dropped it since.
func (s *shard[K, V]) promote(c *Cache[K, V], k K) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cur[k]; ok {
		return
	}
	if v, ok := s.prev[k]; ok {
		delete(s.prev, k)
		s.prevBytes -= c.cost(k, v)
		s.putLocked(c, k, v)
	}
}

// Put stores v (what keep makes of it) under k, unless v is larger than
// an entry may be.
func (c *Cache[K, V]) Put(k K, v V) {
	if c.limit <= 0 || c.cost(k, v) > c.maxEntry {
		return
	}
	if c.keep != nil {
		v = c.keep(v)
	}
	s := c.shard(k)
	s.mu.Lock()
	if old, ok := s.cur[k]; ok {
		s.curBytes -= c.cost(k, old)
		delete(s.cur, k)
	}
	if old, ok := s.prev[k]; ok { // replaced: counted once, in the current generation
		s.prevBytes -= c.cost(k, old)
		delete(s.prev, k)
	}
	s.putLocked(c, k, v)
	s.mu.Unlock()
}

func (s *shard[K, V]) putLocked(c *Cache[K, V], k K, v V) {
	size := c.cost(k, v)
	if s.curBytes+size > c.limit {
		// The new generation will hold about as many entries as the one
		// it follows: made at that size, not grown table by table.
		s.prev, s.prevBytes = s.cur, s.curBytes
		s.cur, s.curBytes = make(map[K]V, len(s.prev)), 0
	}
	s.cur[k] = v
	s.curBytes += size
}

// Bytes returns the estimated bytes held.
func (c *Cache[K, V]) Bytes() int64 {
	var n int64
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += s.curBytes + s.prevBytes
		s.mu.Unlock()
	}
	return n
}

// Budget returns the most the cache holds.
func (c *Cache[K, V]) Budget() int64 { return c.limit * 2 * int64(len(c.shards)) }

// Stats returns the hits and misses so far.
func (c *Cache[K, V]) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Clear drops every entry.
func (c *Cache[K, V]) Clear() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.cur, s.prev = map[K]V{}, nil
		s.curBytes, s.prevBytes = 0, 0
		s.mu.Unlock()
	}
}
