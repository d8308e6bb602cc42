package render

import (
	"sync"

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
	cache *rcache.Bytes[fragKey]

	mu     sync.RWMutex
	shapes map[shapeKey]uint32
}

// maxShapes bounds the shapes interned (the base URL comes from the Host
// header, which any client chooses); past it, new shapes are not cached.
const maxShapes = 4096

// NewFragments returns a fragment cache of at most budget bytes (nil when
// budget is 0 or less: nothing is cached).
func NewFragments(budget int64) *Fragments {
	if budget <= 0 {
		return nil
	}
	return &Fragments{cache: rcache.New[fragKey](budget, 16), shapes: map[shapeKey]uint32{}}
}

// keep stores under key what was appended to before, giving after (before
// with the object rendered onto it), and returns after.
func (f *Fragments) keep(key fragKey, before, after []byte) []byte {
	f.cache.Put(key, after[len(before):])
	return after
}

// Cache returns the underlying byte cache (for statistics).
func (f *Fragments) Cache() *rcache.Bytes[fragKey] { return f.cache }

type fragKey struct {
	stamp uint64
	shape uint32
	part  uint8
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
