package render

import (
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/klaviyo-mock/mockserver/internal/rcache"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// Fragments caches rendered resource objects: each stored object once per
// shape (the resource at a revision, the sparse fieldset, what the
// relationship shows, the base URL), reused until the object changes.
// Stored objects are immutable values with a stamp that no other value
// ever has, so an entry keyed by a stamp is never stale; a changed object
// has a new stamp and its old entries age out. Safe for concurrent use.
type Fragments struct {
	// cache is written only through keep and put, which raise newest
	// first (given); Cache hands out no way to write to it.
	cache *rcache.Bytes[fragKey]
	// pages remembers pages of objects by their ids and shape (see
	// pageMemo), a quarter of the budget.
	pages *rcache.Cache[uint64, *pageMemo]
	seed  maphash.Seed
	// newest is, for entities and for jobs, the largest stamp of an
	// object given to cache (offered or put; 0: none). Every write to
	// cache goes through keep or put, which raise it before writing, so
	// no key of the class in cache has a larger stamp (a job's shape is
	// never an entity's, so the classes' keys are apart): get skips the
	// look-up of a larger stamp, which can only miss. Stamps only grow,
	// which is what makes the skip worth having: an object at its first
	// rendering since it changed has a stamp above every one given (a
	// job at each poll that moved it, an item a PATCH answers with).
	newest [2]atomic.Uint64

	mu     sync.RWMutex
	shapes map[shapeKey]uint32
}

// maxShapes bounds the shapes interned (the base URL comes from the Host
// header, which any client chooses); past it, new shapes are not cached.
const maxShapes = 4096

// Every shape id fits beside a stamp in a fragKey.
var _ = [1]struct{}{}[maxShapes>>shapeBits]

// NewFragments returns a fragment cache of at most budget bytes (nil when
// budget is 0 or less: nothing is cached).
func NewFragments(budget int64) *Fragments {
	if budget <= 0 {
		return nil
	}
	return &Fragments{cache: rcache.New[fragKey](budget-budget/4, 16), pages: rcache.NewOf(budget/4, 1, memoCost, nil),
		seed: maphash.MakeSeed(), shapes: map[shapeKey]uint32{}}
}

// keep offers the cache what was appended to before, giving after (before
// with the object rendered onto it), under key, and returns after. The
// object is copied in at its second rendering (rcache's Offer): an object
// shown once and then changed or never asked for again (the items a create
// job makes, shown when it completes; a changed item, shown once before its
// next change) costs no copy, and one shown again is served from its third
// rendering on.
func (f *Fragments) keep(c objClass, key fragKey, before, after []byte) []byte {
	f.given(c, key)
	f.cache.Offer(key, after[len(before):])
	return after
}

// objClass is the class of a cached object whose newest stamp Fragments
// follows.
type objClass uint8

const (
	objEntity objClass = iota
	objJob
)

// put keeps the entity rendered under key at once (rcache's Put).
func (f *Fragments) put(key fragKey, obj []byte) {
	f.given(objEntity, key)
	f.cache.Put(key, obj)
}

// get returns the object of class c cached under key; one of a stamp
// newer than any of its class given to the cache is counted as a miss
// without a look-up.
func (f *Fragments) get(c objClass, key fragKey) ([]byte, bool) {
	if key.stamp() > f.newest[c].Load() {
		f.cache.CountMisses(1)
		return nil, false
	}
	return f.cache.Get(key)
}

// given notes that the object of class c under key is given to the
// cache, before it is: a get that follows finds its class's newest at
// least its stamp.
func (f *Fragments) given(c objClass, key fragKey) {
	s := key.stamp()
	for {
		n := f.newest[c].Load()
		if s <= n || f.newest[c].CompareAndSwap(n, s) {
			return
		}
	}
}

// MemoBytes returns the estimated bytes the page memos hold and their
// budget (for statistics; their hits count as the object cache's).
func (f *Fragments) MemoBytes() (held, budget int64) { return f.pages.Bytes(), f.pages.Budget() }

// Cache returns the object cache's statistics and a way to empty it
// (for /health and tests).
func (f *Fragments) Cache() CacheView { return f.cache }

// CacheView is what Fragments shows of its object cache: its size, budget
// and counts, and Clear. It offers no way to write an object: one written
// there without its stamp noted (as keep and put note it) would never be
// looked up (see Fragments.newest).
type CacheView interface {
	// Bytes returns the estimated bytes held.
	Bytes() int64
	// Budget returns the most the cache holds.
	Budget() int64
	// Stats returns the hits and misses so far.
	Stats() (hits, misses int64)
	// Clear drops every entry.
	Clear()
}

// fragKey names an object rendered in a shape: the object's stamp above
// the shape's id, in one word (a map keyed by a word is several times
// cheaper to search than one keyed by a struct, and a page looks up every
// object it shows).
type fragKey uint64

// shapeBits holds every shape id (1 to maxShapes).
const shapeBits = 13

// stamp returns the stamp of the object k names.
func (k fragKey) stamp() uint64 { return uint64(k) >> shapeBits }

// makeFragKey returns the key of the object of stamp rendered in shape,
// or false when it is not cached: no stamp or no shape, or a stamp too
// large to pack (never, in practice: stamps count up from 1, and this
// needs 2^51 of them).
func makeFragKey(stamp uint64, shape uint32) (fragKey, bool) {
	if stamp == 0 || shape == 0 || stamp >= 1<<(64-shapeBits) {
		return 0, false
	}
	return fragKey(stamp<<shapeBits | uint64(shape)), true
}

type shapeKey struct {
	p      *resource.Profile
	fields resource.FieldSet
	mode   relMode
	job    bool
	base   string
}

// shape returns the id of a shape, 0 when no more shapes may be interned.
func (f *Fragments) shape(k shapeKey) uint32 {
	f.mu.RLock()
	id, ok := f.shapes[k]
	f.mu.RUnlock()
	if ok {
		return id
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.shapes[k]; ok {
		return id
	}
	if len(f.shapes) >= maxShapes {
		return 0
	}
	id = uint32(len(f.shapes) + 1)
	f.shapes[k] = id
	return id
}
