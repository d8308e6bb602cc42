package store

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

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
	// pages are the page memos of the kinds written (see pageMemo), by
	// kind, each made by the first list of its kind after a write (the
	// table by the first of any kind: most accounts never need one).
	pages atomic.Pointer[pageMemos]
	// shape moves on every write that changes which entities a kind holds
	// or where one sorts (a create, a delete, a seeded entity first held, a
	// held one moved), not on a value replaced in place: a page memoised
	// at a shape is still the page. Written under the write lock.
	shape uint64

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

func (a *Account) now() time.Time { return a.clock() }

// rngReader adapts a seeded *rand.Rand to io.Reader for id entropy.
type rngReader struct{ r *rand.Rand }

func (r rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
}
