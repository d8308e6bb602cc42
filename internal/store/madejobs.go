package store

import "sync"

// madeJobs keeps seeded history jobs recently made, by stamp. Jobs are
// immutable values and a stamp names one value among all the store ever
// held, so a page read again (after a change elsewhere in the collection
// made its document stale) takes the jobs it made last time instead of
// making a hundred again; entries of evicted or reset accounts are never
// asked for again and age out. Bounded in estimated bytes: two
// generations per shard, the older dropped when the newer is full.
type madeJobs struct {
	shards [8]madeShard
	limit  int64 // bytes per generation per shard
}

type madeShard struct {
	mu              sync.Mutex
	cur, prev       map[uint64]*Job
	curSize, prevSz int64
}

// newMadeJobs returns a cache of at most budget estimated bytes (nil, a
// cache that keeps nothing, when budget <= 0).
func newMadeJobs(budget int64) *madeJobs {
	if budget <= 0 {
		return nil
	}
	m := &madeJobs{limit: budget / int64(len(madeJobs{}.shards)) / 2}
	for i := range m.shards {
		m.shards[i].cur = map[uint64]*Job{}
	}
	return m
}

func (m *madeJobs) shard(stamp uint64) *madeShard {
	return &m.shards[mix(stamp)%uint64(len(m.shards))]
}

// mix spreads consecutive stamps over the shards.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	return x ^ x>>33
}

// get returns the job made under stamp, if it is kept.
func (m *madeJobs) get(stamp uint64) *Job {
	if m == nil {
		return nil
	}
	s := m.shard(stamp)
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.cur[stamp]; j != nil {
		return j
	}
	if j := s.prev[stamp]; j != nil { // read again: it moves to the current generation
		delete(s.prev, stamp)
		s.prevSz -= madeSize(j)
		s.putLocked(m, stamp, j)
		return j
	}
	return nil
}

// put keeps j, made under stamp.
func (m *madeJobs) put(stamp uint64, j *Job) {
	if m == nil {
		return
	}
	s := m.shard(stamp)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cur[stamp]; !ok {
		s.putLocked(m, stamp, j)
	}
}

// madeSize is what a kept job holds: its estimate and the bytes of the id
// strings it names (memSize counts ids as shared with a pool).
func madeSize(j *Job) int64 {
	n := j.memSize()
	for _, id := range j.IDs {
		n += 16 + int64(len(id)) - jobIDBytes // its own string header and bytes
	}
	return n
}

func (s *madeShard) putLocked(m *madeJobs, stamp uint64, j *Job) {
	size := madeSize(j)
	if size > m.limit/2 {
		return
	}
	if s.curSize+size > m.limit {
		s.prev, s.prevSz = s.cur, s.curSize
		s.cur, s.curSize = map[uint64]*Job{}, 0
	}
	s.cur[stamp] = j
	s.curSize += size
}

// clear drops every job kept.
func (m *madeJobs) clear() {
	if m == nil {
		return
	}
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		s.cur, s.prev, s.curSize, s.prevSz = map[uint64]*Job{}, nil, 0, 0
		s.mu.Unlock()
	}
}

// bytes returns the estimated bytes kept.
func (m *madeJobs) bytes() int64 {
	if m == nil {
		return 0
	}
	var n int64
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += s.curSize + s.prevSz
		s.mu.Unlock()
	}
	return n
}

// MadeJobs returns the estimated bytes of the seeded jobs kept once made,
// and their bound.
func (s *Store) MadeJobs() (held, limit int64) {
	m := s.opts.made
	if m == nil {
		return 0, 0
	}
	return m.bytes(), m.limit * 2 * int64(len(m.shards))
}
