// Package rcache holds rendered bytes for reuse: a byte-bounded map in
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
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// entryOverhead estimates what one entry costs besides its bytes and a
// string key's bytes (map slot, slice and string headers).
const entryOverhead = 96

// cost is what an entry of v under k holds: its bytes, a string key's
// bytes (a document's key carries the request's path and query, which a
// client chooses) and the overhead.
func cost[K comparable](k K, v []byte) int64 {
	n := int64(len(v)) + entryOverhead
	if s, ok := any(k).(string); ok {
		n += int64(len(s))
	}
	return n
}

// Cache maps K to bytes within a byte budget. Safe for concurrent use.
type Cache[K comparable] struct {
	shards []shard[K]
	seed   maphash.Seed
	// limit is each generation's budget per shard; maxEntry the largest
	// entry kept (half a generation).
	limit, maxEntry int64
	hits, misses    atomic.Int64
}

type shard[K comparable] struct {
	mu        sync.RWMutex
	cur, prev map[K][]byte
	curBytes  int64
	prevBytes int64
}

// New returns a cache holding at most budget bytes in n shards (0 or
// less: a cache that keeps nothing). Fewer shards keep larger entries: an
// entry may take a quarter of a shard's generation, budget/(8n).
func New[K comparable](budget int64, n int) *Cache[K] {
	c := &Cache[K]{seed: maphash.MakeSeed(), shards: make([]shard[K], max(n, 1))}
	if budget > 0 {
		c.limit = budget / int64(len(c.shards)) / 2
		c.maxEntry = c.limit / 2
	}
	for i := range c.shards {
		c.shards[i].cur = map[K][]byte{}
	}
	return c
}

func (c *Cache[K]) shard(k K) *shard[K] {
	return &c.shards[maphash.Comparable(c.seed, k)%uint64(len(c.shards))]
}

// Get returns the bytes stored under k. They must not be modified.
func (c *Cache[K]) Get(k K) ([]byte, bool) {
	if c.limit <= 0 {
		return nil, false
	}
	s := c.shard(k)
	s.mu.RLock()
	v, ok := s.cur[k]
	s.mu.RUnlock()
	if !ok {
		s.mu.Lock()
		if v, ok = s.cur[k]; !ok {
			if v, ok = s.prev[k]; ok { // read again: it moves to the current generation
				delete(s.prev, k)
				s.prevBytes -= cost(k, v)
				s.putLocked(c, k, v)
			}
		}
		s.mu.Unlock()
	}
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return v, ok
}

// Put stores a copy of v under k, unless v is larger than an entry may be.
func (c *Cache[K]) Put(k K, v []byte) {
	if c.limit <= 0 || cost(k, v) > c.maxEntry {
		return
	}
	cp := make([]byte, len(v))
	copy(cp, v)
	s := c.shard(k)
	s.mu.Lock()
	if old, ok := s.cur[k]; ok {
		s.curBytes -= cost(k, old)
		delete(s.cur, k)
	}
	if old, ok := s.prev[k]; ok { // replaced: counted once, in the current generation
		s.prevBytes -= cost(k, old)
		delete(s.prev, k)
	}
	s.putLocked(c, k, cp)
	s.mu.Unlock()
}

func (s *shard[K]) putLocked(c *Cache[K], k K, v []byte) {
	size := cost(k, v)
	if s.curBytes+size > c.limit {
		s.prev, s.prevBytes = s.cur, s.curBytes
		s.cur, s.curBytes = map[K][]byte{}, 0
	}
	s.cur[k] = v
	s.curBytes += size
}

// Bytes returns the estimated bytes held.
func (c *Cache[K]) Bytes() int64 {
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
func (c *Cache[K]) Budget() int64 { return c.limit * 2 * int64(len(c.shards)) }

// Stats returns the hits and misses so far.
func (c *Cache[K]) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Clear drops every entry.
func (c *Cache[K]) Clear() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.cur, s.prev = map[K][]byte{}, nil
		s.curBytes, s.prevBytes = 0, 0
		s.mu.Unlock()
	}
}
