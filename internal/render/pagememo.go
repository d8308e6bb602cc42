package render

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"sync/atomic"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// A collection's objects, once rendered, are remembered as a page
// (pageMemo): each object's stamp and bytes, in order, under the page's ids
// and shape. The page rendered again after one of its objects changed (the
// changing row: a PATCH, then the list) compares stamps and appends the
// unchanged objects' bytes from the memo, rendering (or finding in the
// object cache) only the changed ones: no lookup per object in the object
// cache's large map. A stamp names an immutable value, as for the object
// cache, so a memo's bytes for an equal stamp in the same shape are what
// rendering writes; the ids only choose the memo to compare with (one
// found by a colliding hash has other stamps, or another shape or length,
// and is not used). A memo is made at a page's second rendering, so a page
// read once costs no copy; what a memo holds is bounded by its own share of
// the budget.
type pageMemo struct {
	shape uint32
	// objs are the objects' slots: each replaced whole (atomically) when
	// its object is rendered anew, so readers and writers need no lock.
	objs []atomic.Pointer[memoObj]
	size int64
}

// memoObj is one object of a page memo: its stamp and its bytes (never
// modified).
type memoObj struct {
	stamp uint64
	b     []byte
}

// memoCost is what a memo holds: its objects' bytes (some shared with the
// object cache, counted here too) and their headers.
func memoCost(_ uint64, m *pageMemo) int64 { return m.size }

// minMemo is the fewest objects a page memo is made for: below it, the
// object cache's lookups cost less than the memo.
const minMemo = 8

// memoSlack is how much larger than the bytes it replaces an object may be
// and still take its slot in place; past it, the page gets a new memo, so
// what memos hold stays counted.
const memoSlack = 256

// memoKey returns the key of the page of es in shape: a hash of the shape,
// the count and the first and last ids (pages that share them and differ
// between share a memo, whose stamps then differ where they do).
func (f *Fragments) memoKey(shape uint32, es []*store.Entity) uint64 {
	var h maphash.Hash
	h.SetSeed(f.seed)
	var w [8]byte
	binary.LittleEndian.PutUint32(w[:4], shape)
	binary.LittleEndian.PutUint32(w[4:], uint32(len(es)))
	h.Write(w[:])
	h.WriteString(es[0].ID)
	h.WriteByte(0)
	h.WriteString(es[len(es)-1].ID)
	return h.Sum64()
}

// memoObjects appends es, comma-separated, as Entities does, through the
// page memo; false (b unchanged) when the page is not memoised: no cache,
// too few objects, a shape not interned, an object without a stamp, or a
// page seen for the first time.
func (r *Renderer) memoObjects(b []byte, es []*store.Entity, related [][]string, mode relMode) ([]byte, bool) {
	f := r.Frags
	if f == nil || len(es) < minMemo {
		return b, false
	}
	shape := r.entityShape(r.P, r.Fields, mode)
	if shape == 0 {
		return b, false
	}
	for _, e := range es {
		if e.Stamp() == 0 {
			return b, false
		}
	}
	key := f.memoKey(shape, es)
	m, ok := f.pages.Get(key)
	if !ok || m.shape != shape || len(m.objs) != len(es) {
		if !f.pages.Admit(key) {
			return b, false
		}
		m = &pageMemo{shape: shape, objs: make([]atomic.Pointer[memoObj], len(es))}
		ok = false
	}
	reused, grown := 0, false
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		o := m.objs[i].Load()
		if o != nil && o.stamp == e.Stamp() {
			b = append(b, o.b...)
			reused++
			continue
		}
		var rel []string
		if related != nil {
			rel = related[i]
		}
		start := len(b)
		b = r.entity(b, r.P, e, r.Fields, mode, rel)
		n := &memoObj{stamp: e.Stamp(), b: bytes.Clone(b[start:])}
		grown = grown || o == nil || len(n.b) > len(o.b)+memoSlack
		m.objs[i].Store(n)
	}
	f.cache.CountHits(int64(reused))
	switch {
	case !ok: // a new memo
		m.count()
		f.pages.Put(key, m)
	case grown: // its objects grew: a copy counted anew replaces it
		f.pages.Put(key, m.recounted())
	}
	return b, true
}

// count sets m's size: its objects' bytes and slots.
func (m *pageMemo) count() {
	m.size = int64(len(m.objs)) * 48
	for i := range m.objs {
		if o := m.objs[i].Load(); o != nil {
			m.size += int64(len(o.b))
		}
	}
}

// recounted returns a copy of m counted anew (m's own size is what the
// cache holds it at, so it is not changed).
func (m *pageMemo) recounted() *pageMemo {
	out := &pageMemo{shape: m.shape, objs: make([]atomic.Pointer[memoObj], len(m.objs))}
	for i := range m.objs {
		out.objs[i].Store(m.objs[i].Load())
	}
	out.count()
	return out
}
