package store

import (
	"slices"
	"sync/atomic"

	"github.com/google/btree"
)

// PageSize is the number of objects on a full page of any list (jobs,
// catalog entities): the Catalogs API answers lists in pages of up to 100.
const PageSize = 100

const btreeDegree = 32

// newTree returns an empty job index ordered by id, taking its nodes
// from free (nil: a list of its own); compares, when set, counts its
// comparisons.
func newTree(compares *atomic.Int64, free *btree.FreeListG[*Job]) *btree.BTreeG[*Job] {
	if free == nil {
		free = btree.NewFreeListG[*Job](btree.DefaultFreeListSize)
	}
	if compares == nil {
		return btree.NewWithFreeListG(btreeDegree, func(a, b *Job) bool { return a.ID < b.ID }, free)
	}
	return btree.NewWithFreeListG(btreeDegree, func(a, b *Job) bool {
		compares.Add(1)
		return a.ID < b.ID
	}, free)
}

type jobRef struct {
	kind JobKind
	id   string
}

func (a *Account) insertJobLocked(j *Job) {
	if j.stamp == 0 {
		j.stamp = a.nextStamp()
	}
	a.bumpLocked(JobCollection(j.Kind))
	s := a.jobs[j.Kind]
	delta := j.memSize()
	s.writable()
	if old, ok := s.all.ReplaceOrInsert(j); ok {
		s.byStatus[old.Status].Delete(old)
		delta -= old.memSize()
	}
	if s.hide(j.ID) { // a stored job replaces a history job of its id
		delta += hiddenBytes
	}
	s.byStatus[j.Status].ReplaceOrInsert(j)
	a.grow(delta)
	a.ids.Observe(j.ID)
	if j.work != nil {
		a.active = append(a.active, jobRef{j.Kind, j.ID})
	}
}

// PageRequest asks for one page of jobs in id order.
type PageRequest struct {
	// Statuses the jobs must have.
	Statuses StatusSet
	// After, when set, starts the page after this id (a next cursor).
	After string
	// Before, when set, returns the page that ends just before this id (a
	// prev cursor). After and Before are exclusive.
	Before string
	// Limit is the page size; PageSize when zero.
	Limit int
}

// Page is one page of jobs and whether there are matching jobs on either side.
type Page struct {
	Jobs    []*Job
	HasNext bool
	HasPrev bool
}

// Page returns one page of jobs of a kind, in O(page + log n).
func (a *Account) Page(kind JobKind, req PageRequest) (Page, error) {
	if err := a.ensure(JobCollection(kind)); err != nil {
		return Page{}, err
	}
	a.settle()
	limit := req.Limit
	if limit <= 0 {
		limit = PageSize
	}
	if req.Statuses&AllStatuses == 0 {
		return Page{Jobs: []*Job{}}, nil
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.pageLocked(kind, req, limit), nil
}

func (a *Account) pageLocked(kind JobKind, req PageRequest, limit int) Page {
	set := a.jobs[kind]
	var p Page
	if req.Before != "" {
		jobs := set.collect(req.Before, false, true, req.Statuses, limit+1, kind)
		if len(jobs) == 0 {
			// Nothing precedes the cursor: the page before it is the first page.
			return a.pageLocked(kind, PageRequest{Statuses: req.Statuses}, limit)
		}
		if len(jobs) > limit {
			jobs, p.HasPrev = jobs[:limit], true
		}
		slices.Reverse(jobs)
		p.HasNext = len(set.collect(req.Before, true, false, req.Statuses, 1, kind)) > 0
		p.Jobs = jobs
		return p
	}
	jobs := set.collect(req.After, false, false, req.Statuses, limit+1, kind)
	if len(jobs) > limit {
		jobs, p.HasNext = jobs[:limit], true
	}
	if req.After != "" && len(jobs) > 0 {
		p.HasPrev = len(set.collect(req.After, true, true, req.Statuses, 1, kind)) > 0
	}
	p.Jobs = jobs
	return p
}

// Job returns the job of a kind with the given id.
func (a *Account) Job(kind JobKind, id string) (*Job, bool, error) {
	if err := a.ensure(JobCollection(kind)); err != nil {
		return nil, false, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	j, ok := a.jobs[kind].get(id, kind)
	return j, ok, nil
}

// Len returns the number of jobs of a kind held.
func (a *Account) Len(kind JobKind) int {
	if a.ensure(JobCollection(kind)) != nil {
		return 0
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.jobs[kind].len()
}

// Put inserts or replaces one job as history (it does not progress). It
// refuses with ErrMemoryBudget a job that does not fit.
func (a *Account) Put(j *Job) error {
	if err := a.ensure(JobCollection(j.Kind)); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	cp := *j
	cp.work, cp.stamp = nil, 0
	if err := a.reserve(cp.memSize()); err != nil {
		return err
	}
	a.removeActiveLocked(cp.Kind, cp.ID)
	a.insertJobLocked(&cp)
	return nil
}

// Delete removes a job; it reports whether the job existed.
func (a *Account) Delete(kind JobKind, id string) bool {
	if a.ensure(JobCollection(kind)) != nil {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.jobs[kind]
	old, ok := s.remove(id)
	if ok {
		s.byStatus[old.Status].Delete(old)
		a.removeActiveLocked(kind, id)
		a.grow(-old.memSize())
	} else if ok = s.hide(id); ok {
		a.grow(hiddenBytes)
	}
	if ok {
		a.bumpLocked(JobCollection(kind))
	}
	return ok
}

func (a *Account) removeActiveLocked(kind JobKind, id string) {
	for i, x := range a.active {
		if x.kind == kind && x.id == id {
			a.active = append(a.active[:i], a.active[i+1:]...)
			break
		}
	}
	a.nActive.Store(int32(len(a.active)))
}

// AllJobs returns every job of a kind, in id order.
func (a *Account) AllJobs(kind JobKind) ([]*Job, error) {
	if err := a.ensure(JobCollection(kind)); err != nil {
		return nil, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make([]*Job, 0, a.jobs[kind].len())
	a.jobs[kind].each(kind, func(j *Job) bool { out = append(out, j); return true })
	return out, nil
}
