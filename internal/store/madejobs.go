package store

import "github.com/klaviyo-mock/mockserver/internal/rcache"

// madeJobs keeps seeded history jobs recently made, by stamp. Jobs are
// immutable values and a stamp names one value among all the store ever
// held, so a page read again (after a change elsewhere in the collection
// made its document stale) takes the jobs it made last time instead of
// making a hundred again; entries of evicted or reset accounts are never
// asked for again and age out (a reset also clears them). Nil keeps
// nothing.
type madeJobs = rcache.Cache[uint64, *Job]

// newMadeJobs returns a cache of at most budget estimated bytes (nil when
// budget <= 0).
func newMadeJobs(budget int64) *madeJobs {
	if budget <= 0 {
		return nil
	}
	return rcache.NewOf(budget, 8, func(_ uint64, j *Job) int64 { return madeSize(j) }, nil)
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

// MadeJobs returns the estimated bytes of the seeded jobs kept once made,
// and their bound.
func (s *Store) MadeJobs() (held, limit int64) {
	if m := s.opts.made; m != nil {
		return m.Bytes(), m.Budget()
	}
	return 0, 0
}

// MadeEntities returns the estimated bytes of the seeded entities kept once
// made, and their bound.
func (s *Store) MadeEntities() (held, limit int64) {
	if m := s.opts.madeEnts; m != nil {
		return m.Bytes(), m.Budget()
	}
	return 0, 0
}
