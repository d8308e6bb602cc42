package store

import (
	"slices"
	"sort"
	"sync/atomic"

	"github.com/google/btree"
)

// History is a seeded job collection that makes each job when asked for:
// Len jobs in increasing id order, job i being At(i). A seeded history
// never changes, so a million seeded jobs cost no memory; only the jobs
// requests create or change are stored. ID and Status are cheap; At makes
// a new *Job each time.
type History interface {
	Len() int
	ID(i int) string
	Status(i int) Status
	At(i int) *Job
	// Scan calls fn with the indexes from `from` (inclusive) whose status
	// is in statuses, ascending (or descending when desc), until fn
	// returns false; it may skip ranges that hold no such status.
	Scan(from int, desc bool, statuses StatusSet, fn func(i int) bool)
	// Bytes estimates what the history holds (in the units of SizeOf).
	Bytes() int64
}

// jobSet holds the jobs of one kind: the stored ones (created, put,
// imported) in id order with one index per status, and the seeded history
// they are merged with, less the history jobs deleted or replaced.
type jobSet struct {
	all      *btree.BTreeG[*Job]
	byStatus [NumStatuses]*btree.BTreeG[*Job]

	hist     History
	histBase uint64           // the stamp of history job 0 (job i has histBase+i)
	hidden   map[int]struct{} // history jobs deleted, or replaced by a stored one
	work     *atomic.Int64    // tests: counts the jobs a page visits
	made     *madeJobs        // history jobs recently made (shared by the store)
}

// newJobSet returns an empty set. An account has a set of every kind, most
// of them never written (a restored account's are only read), so its
// indexes are made by the first write (writable); until then all and
// byStatus are nil and every read sees no stored job.
func newJobSet(compares *atomic.Int64, made *madeJobs) *jobSet {
	return &jobSet{work: compares, made: made}
}

// writable makes the set's indexes if no write has made them yet. They
// share one list of free nodes.
func (s *jobSet) writable() {
	if s.all != nil {
		return
	}
	free := btree.NewFreeListG[*Job](btree.DefaultFreeListSize)
	s.all = newTree(s.work, free)
	for i := range s.byStatus {
		s.byStatus[i] = newTree(s.work, free)
	}
}

// stored returns the stored job whose id is probe's, if there is one.
func (s *jobSet) stored(probe *Job) (*Job, bool) {
	if s.all == nil {
		return nil, false
	}
	return s.all.Get(probe)
}

// remove takes the stored job with id out of the id index, if there is one
// (the caller takes it out of its status index).
func (s *jobSet) remove(id string) (*Job, bool) {
	if s.all == nil {
		return nil, false
	}
	return s.all.Delete(&Job{ID: id})
}

// ascend calls fn with each stored job in id order until it returns false.
func (s *jobSet) ascend(fn func(*Job) bool) {
	if s.all != nil {
		s.all.Ascend(fn)
	}
}

// storedLen returns the number of stored jobs.
func (s *jobSet) storedLen() int {
	if s.all == nil {
		return 0
	}
	return s.all.Len()
}

// empty reports whether the set holds nothing: no stored job, no history.
func (s *jobSet) empty() bool { return s.storedLen() == 0 && s.hist == nil && len(s.hidden) == 0 }

// histIndex returns the index of the history job with id, if one exists
// (deleted or replaced ones included).
func (s *jobSet) histIndex(id string) (int, bool) {
	if s.hist == nil {
		return 0, false
	}
	n := s.hist.Len()
	if n == 0 || id > s.hist.ID(n-1) {
		return n, false // after the history (a job created now): one id made, not one per step
	}
	i := sort.Search(n, func(i int) bool { return s.hist.ID(i) >= id })
	return i, i < n && s.hist.ID(i) == id
}

// histJob makes history job i.
func (s *jobSet) histJob(i int, kind JobKind) *Job {
	stamp := s.histBase + uint64(i)
	if s.made != nil {
		if j, ok := s.made.Get(stamp); ok {
			return j
		}
	}
	j := s.hist.At(i)
	j.Kind, j.stamp = kind, stamp
	if s.made != nil {
		// A made job's ids may be a window on the history's whole id pool;
		// the cache keeps its own, so it holds only the ids it names.
		j.IDs = slices.Clip(slices.Clone(j.IDs))
		s.made.Put(stamp, j)
	}
	return j
}

func (s *jobSet) get(id string, kind JobKind) (*Job, bool) {
	if j, ok := s.stored(&Job{ID: id}); ok {
		return j, true
	}
	if i, ok := s.histIndex(id); ok {
		if _, gone := s.hidden[i]; !gone {
			return s.histJob(i, kind), true
		}
	}
	return nil, false
}

func (s *jobSet) len() int {
	n := s.storedLen()
	if s.hist != nil {
		n += s.hist.Len() - len(s.hidden)
	}
	return n
}

// hiddenIDs returns the ids of the history jobs deleted or replaced, in
// id order.
func (s *jobSet) hiddenIDs() []string {
	idx := make([]int, 0, len(s.hidden))
	for i := range s.hidden {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	out := make([]string, len(idx))
	for n, i := range idx {
		out[n] = s.hist.ID(i)
	}
	return out
}

// hide makes history job id (if there is one) no longer part of the set:
// it was deleted or a stored job replaces it. It reports whether it was.
func (s *jobSet) hide(id string) bool {
	i, ok := s.histIndex(id)
	if !ok {
		return false
	}
	if _, gone := s.hidden[i]; gone {
		return false
	}
	if s.hidden == nil {
		s.hidden = map[int]struct{}{}
	}
	s.hidden[i] = struct{}{}
	return true
}

// clone returns a copy of the set sharing its immutable parts (the trees
// are copied on write, the history never changes), for reading without
// the account's lock.
func (s *jobSet) clone() *jobSet {
	c := &jobSet{hist: s.hist, histBase: s.histBase, work: s.work, made: s.made}
	if s.all != nil {
		c.all = s.all.Clone()
		for i := range s.byStatus {
			c.byStatus[i] = s.byStatus[i].Clone()
		}
	}
	if len(s.hidden) > 0 {
		c.hidden = make(map[int]struct{}, len(s.hidden))
		for k := range s.hidden {
			c.hidden[k] = struct{}{}
		}
	}
	return c
}
