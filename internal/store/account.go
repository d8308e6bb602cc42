package store

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// PageSize is the number of jobs on a full page.
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

// Account is one API key's isolated state. All methods are safe for
// concurrent use.
type Account struct {
	key string
	// public is the account's public key (see publickey.go).
	public atomic.Pointer[string]
	seeder Seeder
	seedEs func(Collection) int64
	life   Lifecycle
	clock  func() time.Time

	mu sync.RWMutex
	// views serializes the views taken under the read lock (Export): a
	// tree's lazy clone writes the tree's copy-on-write context.
	views sync.Mutex
	// seeded says which collections exist (generated or supplied); seededN
	// mirrors it for a lock-free fast path.
	seeded  []bool
	seededN atomic.Uint64
	jobs    []*jobSet
	cat     catalog

	ids *IDs
	rng *rand.Rand
	// active lists the created jobs still being processed, oldest first.
	active []jobRef
	// nActive mirrors len(active) for the lock-free fast path of settle.
	nActive atomic.Int32
	// probe is the key a created job is looked up by under the write lock
	// (a key made for each lookup was a job-sized allocation, several on
	// every request while a job is in progress).
	probe Job
	// work, when set (tests), counts the jobs a page visits.
	work *atomic.Int64

	// stamps hands out stamps (Options.stamps); stamp is this account's
	// own, and ver the version of each job collection and of the catalog
	// (last), a new stamp on every change.
	stamps *atomic.Uint64
	made   *madeJobs // history jobs once made (the store's)
	// madeEnts keeps seeded entities once made (the store's).
	madeEnts *madeEntities
	stamp    uint64
	ver      []atomic.Uint64

	// size is the account's estimated size in bytes; meter is the store
	// generation it counts against (nil once evicted or forgotten).
	size  atomic.Int64
	meter atomic.Pointer[meter]
}

type jobRef struct {
	kind JobKind
	id   string
}

// newAccount builds an account from the store's options (read under the
// store's lock).
func newAccount(key string, o *Options) *Account {
	a := &Account{key: key, seeder: o.Seeder, seedEs: o.SeedBytes, life: o.Lifecycle, clock: o.Now, work: o.compares, cat: newCatalog(o.lockWork),
		stamps: o.stamps, made: o.made, madeEnts: o.madeEnts}
	a.stamp = a.nextStamp()
	public := DerivedPublicKey(o.Seed, key)
	a.public.Store(&public)
	a.seeded, a.jobs, a.ver = make([]bool, numCollections()), make([]*jobSet, numJobKinds()), make([]atomic.Uint64, numJobKinds()+1)
	for k := range a.jobs {
		a.jobs[k] = newJobSet(o.compares, o.made)
	}
	a.rng = rand.New(rand.NewPCG(o.Seed, hashKey(key)))
	a.ids = NewIDs(rngReader{a.rng})
	return a
}

// Key returns the account's API key or token.
func (a *Account) Key() string { return a.key }

// PublicKey returns the public key the account answers to.
func (a *Account) PublicKey() string { return *a.public.Load() }

// has reports whether collection c exists, without the lock.
func (a *Account) has(c Collection) bool { return a.seededN.Load()&(1<<c) != 0 }

// nextStamp returns a stamp never handed out before in this store.
func (a *Account) nextStamp() uint64 {
	if a.stamps == nil { // an account outside a store (tests)
		a.stamps = new(atomic.Uint64)
	}
	return a.stamps.Add(1)
}

// bumpLocked gives collection c a new version (every entity collection
// shares the catalog's).
func (a *Account) bumpLocked(c Collection) { a.ver[versionSlot(c)].Store(a.nextStamp()) }

// versionSlot is where ver keeps c's version: each job kind's own, then the
// catalog's, which every entity collection shares.
func versionSlot(c Collection) int {
	if k, ok := c.IsJobs(); ok {
		return int(k)
	}
	return numJobKinds()
}

// Stamp identifies this account among every account the store ever held
// (a key forgotten and used again gets a new one).
func (a *Account) Stamp() uint64 { return a.stamp }

// Version returns the version of collection c, after bringing created jobs
// up to the clock: it changes whenever anything c holds changes, and never
// repeats. Every entity collection has the catalog's version (relationships
// cross them). A collection not generated yet has version 0.
func (a *Account) Version(c Collection) uint64 {
	a.settle()
	return a.ver[versionSlot(c)].Load()
}

// installLocked makes seed the content of collection c (which is empty).
func (a *Account) installLocked(c Collection, seed Seed) {
	a.markSeededLocked(c)
	if k, ok := c.IsJobs(); ok {
		if h := seed.History; h != nil && h.Len() > 0 {
			s := a.jobs[k]
			s.hist = h
			s.histBase = a.stamps.Add(uint64(h.Len())) - uint64(h.Len()) + 1
			a.ids.Observe(h.ID(h.Len() - 1))
			a.grow(historyBytes + h.Bytes())
		}
		for _, j := range seed.Jobs {
			j.Kind = k
			a.insertJobLocked(j)
		}
		a.nActive.Store(int32(len(a.active)))
		return
	}
	kind, _ := c.Entity()
	if seed.Source != nil {
		a.installSourceLocked(kind, seed)
		return
	}
	parent, hasParent := kind.Decl().Parent()
	for _, e := range seed.Entities {
		if hasParent && a.cat.get(kind.Target(parent), e.Ref(parent)) == nil {
			continue // its parent was deleted before it was generated
		}
		a.putEntityLocked(e)
	}
	if r, ok := kind.Decl().BodyRelation(); ok && r.Kind == schema.Members {
		for _, m := range seed.Members {
			a.linkLocked(kind, r, m[0], m[1], time.Time{})
		}
	}
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

// Entities returns the entities of a kind with the given ids that exist, in
// the order asked, each once.
func (a *Account) Entities(kind EntityKind, ids []string) ([]*Entity, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make([]*Entity, 0, len(ids))
	var seen map[string]bool // past listedFrom entities: a look at each costs more
	for _, id := range ids {
		e := a.cat.get(kind, id)
		if e == nil || listed(out, seen, id) {
			continue
		}
		out = append(out, e)
		if seen != nil {
			seen[id] = true
		} else if len(out) == listedFrom {
			seen = make(map[string]bool, len(ids))
			for _, x := range out {
				seen[x.ID] = true
			}
		}
	}
	return out, nil
}

// listedFrom is how many entities Entities finds one named twice among
// by looking at each; past it, it keeps a set.
const listedFrom = 32

// listed reports whether the entity id is among out (seen, when made,
// holds their ids).
func listed(out []*Entity, seen map[string]bool, id string) bool {
	if seen != nil {
		return seen[id]
	}
	for _, x := range out {
		if x.ID == id {
			return true
		}
	}
	return false
}

// Entity returns one entity.
func (a *Account) Entity(kind EntityKind, id string) (*Entity, bool, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, false, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	e := a.cat.get(kind, id)
	return e, e != nil, nil
}

// Count returns the size of collection c (generating it if needed).
func (a *Account) Count(c Collection) int {
	if a.ensure(c) != nil {
		return 0
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if k, ok := c.IsJobs(); ok {
		return a.jobs[k].len()
	}
	return a.cat.kinds[EntityKind(c)].len()
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

func (a *Account) now() time.Time { return a.clock() }

// rngReader adapts a seeded *rand.Rand to io.Reader for id entropy.
type rngReader struct{ r *rand.Rand }

func (r rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
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

// AllEntities returns every entity of a kind, in id order.
func (a *Account) AllEntities(kind EntityKind) ([]*Entity, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := a.cat.all(kind)
	slices.SortFunc(out, func(x, y *Entity) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}
