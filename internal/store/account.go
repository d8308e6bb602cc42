package store

import (
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"
)

// PageSize is the number of jobs on a full page.
const PageSize = 100

const btreeDegree = 32

func byID(a, b *Job) bool { return a.ID < b.ID }

// newTree returns an empty job index ordered by id; compares, when set,
// counts its comparisons.
func newTree(compares *atomic.Int64) *btree.BTreeG[*Job] {
	if compares == nil {
		return btree.NewG(btreeDegree, byID)
	}
	return btree.NewG(btreeDegree, func(a, b *Job) bool {
		compares.Add(1)
		return a.ID < b.ID
	})
}

// Account is one API key's isolated state. All methods are safe for
// concurrent use.
type Account struct {
	key    string
	seeder Seeder
	life   Lifecycle
	clock  func() time.Time

	seedOnce sync.Once

	mu       sync.RWMutex
	all      *btree.BTreeG[*Job]
	byStatus [NumStatuses]*btree.BTreeG[*Job]
	items    map[string]*Item
	ids      *IDs
	rng      *rand.Rand
	// active lists the ids of created jobs still being processed, oldest first.
	active []string
	// nActive mirrors len(active) for the lock-free fast path of settle.
	nActive atomic.Int32
	// work, when set (tests), counts the jobs a page visits.
	work *atomic.Int64

	// size is the account's estimated size in bytes; meter is the store
	// generation it counts against (nil once evicted or forgotten);
	// reserved is what the store set aside for its seeding.
	size     atomic.Int64
	meter    atomic.Pointer[meter]
	reserved int64
}

// newAccount builds an account from the store's options (read under the
// store's lock).
func newAccount(key string, o *Options) *Account {
	a := &Account{key: key, seeder: o.Seeder, life: o.Lifecycle,
		clock: o.Now, all: newTree(o.compares), items: map[string]*Item{}, work: o.compares}
	for i := range a.byStatus {
		a.byStatus[i] = newTree(o.compares)
	}
	src := rand.NewPCG(o.Seed, hashKey(key))
	a.rng = rand.New(src)
	a.ids = NewIDs(rngReader{a.rng})
	return a
}

// Key returns the account's API key or token.
func (a *Account) Key() string { return a.key }

func (a *Account) seed() {
	a.seedOnce.Do(func() {
		if a.seeder == nil {
			return
		}
		jobs, items := a.seeder(a.key)
		a.mu.Lock()
		defer a.mu.Unlock()
		a.replaceLocked(jobs, items) // the store set the estimate aside already
	})
}

// replaceLocked swaps the account's content for jobs and items and sets
// its size to theirs.
func (a *Account) replaceLocked(jobs []*Job, items []*Item) {
	defer func() { a.grow(sizeOf(jobs, items) - a.size.Load()) }()
	a.all.Clear(false)
	for i := range a.byStatus {
		a.byStatus[i].Clear(false)
	}
	a.items = make(map[string]*Item, len(items))
	for _, it := range items {
		a.items[it.ID] = it
	}
	a.active = a.active[:0]
	for _, j := range jobs {
		a.insertLocked(j)
	}
	a.nActive.Store(int32(len(a.active)))
}

func (a *Account) insertLocked(j *Job) {
	delta := j.memSize()
	if old, ok := a.all.ReplaceOrInsert(j); ok {
		a.byStatus[old.Status].Delete(old)
		delta -= old.memSize()
	}
	a.grow(delta)
	a.byStatus[j.Status].ReplaceOrInsert(j)
	a.ids.Observe(j.ID)
	if j.work != nil {
		a.active = append(a.active, j.ID)
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

// Page returns one page of jobs, in O(page + log n).
func (a *Account) Page(req PageRequest) Page {
	a.seed()
	a.settle()
	limit := req.Limit
	if limit <= 0 {
		limit = PageSize
	}
	if req.Statuses&AllStatuses == 0 {
		return Page{Jobs: []*Job{}}
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.pageLocked(req, limit)
}

func (a *Account) pageLocked(req PageRequest, limit int) Page {
	tree := a.all
	if s, ok := req.Statuses.Single(); ok {
		tree = a.byStatus[s]
	}
	jobs := make([]*Job, 0, limit+1)
	collect := func(j *Job) bool {
		if a.work != nil {
			a.work.Add(1)
		}
		jobs = append(jobs, j)
		return len(jobs) <= limit
	}
	var p Page
	switch {
	case req.Before != "":
		tree.DescendLessOrEqual(&Job{ID: req.Before}, func(j *Job) bool {
			if j.ID == req.Before {
				return true
			}
			return collect(j)
		})
		if len(jobs) == 0 {
			// Nothing precedes the cursor: the page before it is the first page.
			return a.pageLocked(PageRequest{Statuses: req.Statuses}, limit)
		}
		if len(jobs) > limit {
			jobs = jobs[:limit]
			p.HasPrev = true
		}
		for i, k := 0, len(jobs)-1; i < k; i, k = i+1, k-1 {
			jobs[i], jobs[k] = jobs[k], jobs[i]
		}
		tree.AscendGreaterOrEqual(&Job{ID: req.Before}, func(*Job) bool {
			p.HasNext = true
			return false
		})
	default:
		start := func(fn func(*Job) bool) { tree.Ascend(fn) }
		if req.After != "" {
			start = func(fn func(*Job) bool) {
				tree.AscendGreaterOrEqual(&Job{ID: req.After}, func(j *Job) bool {
					if j.ID == req.After {
						return true
					}
					return fn(j)
				})
			}
			tree.DescendLessOrEqual(&Job{ID: req.After}, func(*Job) bool {
				p.HasPrev = true
				return false
			})
		}
		start(collect)
		if len(jobs) > limit {
			jobs = jobs[:limit]
			p.HasNext = true
		}
	}
	if len(jobs) == 0 {
		p.HasPrev = false
	}
	p.Jobs = jobs
	return p
}

// Job returns the job with the given id.
func (a *Account) Job(id string) (*Job, bool) {
	a.seed()
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.all.Get(&Job{ID: id})
}

// Len returns the number of jobs held.
func (a *Account) Len() int {
	a.seed()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.all.Len()
}

// Items returns the catalog items with the given ids that exist, in the
// order asked, each once.
func (a *Account) Items(ids []string) []*Item {
	a.seed()
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make([]*Item, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if it, ok := a.items[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, it)
		}
	}
	return out
}

// Snapshot returns every job (id order) and every item (id order).
func (a *Account) Snapshot() ([]*Job, []*Item) {
	a.seed()
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	jobs := make([]*Job, 0, a.all.Len())
	a.all.Ascend(func(j *Job) bool {
		jobs = append(jobs, j)
		return true
	})
	items := make([]*Item, 0, len(a.items))
	for _, it := range a.items {
		items = append(items, it)
	}
	sort.Slice(items, func(i, k int) bool { return items[i].ID < items[k].ID })
	return jobs, items
}

// Put inserts or replaces one job as history (it does not progress). It
// refuses with ErrMemoryBudget a job that does not fit.
func (a *Account) Put(j *Job) error {
	a.seed()
	a.mu.Lock()
	defer a.mu.Unlock()
	cp := *j
	cp.work = nil
	if err := a.reserve(cp.memSize()); err != nil {
		return err
	}
	a.removeActiveLocked(cp.ID)
	a.insertLocked(&cp)
	return nil
}

// Delete removes a job; it reports whether the job existed.
func (a *Account) Delete(id string) bool {
	a.seed()
	a.mu.Lock()
	defer a.mu.Unlock()
	old, ok := a.all.Delete(&Job{ID: id})
	if ok {
		a.byStatus[old.Status].Delete(old)
		a.removeActiveLocked(id)
		a.grow(-old.memSize())
	}
	return ok
}

func (a *Account) removeActiveLocked(id string) {
	for i, x := range a.active {
		if x == id {
			a.active = append(a.active[:i], a.active[i+1:]...)
			break
		}
	}
	a.nActive.Store(int32(len(a.active)))
}

func (a *Account) now() time.Time { return a.clock() }

// rngReader adapts a seeded *rand.Rand to io.Reader for id entropy.
type rngReader struct{ r *rand.Rand }

func (r rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
}

// Counts returns the number of jobs and items held.
func (a *Account) Counts() (jobs, items int) {
	a.seed()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.all.Len(), len(a.items)
}
