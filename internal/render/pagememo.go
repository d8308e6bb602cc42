package render

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"sync/atomic"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// A collection's objects, once rendered, are remembered as a page
// (pageMemo): the objects' bytes as one block, each object's stamp and
// where it ends, under the page's ids and shape. The page rendered again
// after one of its objects changed (the changing row: a PATCH, then the
// list) compares stamps: the runs of unchanged objects are the block's
// bytes, spliced into the answer (Renderer.Out) or copied, and only the
// changed objects are rendered (or found in the object cache), each kept
// in the memo's slot for its position until the block is made anew. A
// stamp names an immutable value, as for the object cache, so a memo's
// bytes for an equal stamp in the same shape are what rendering writes;
// the ids only choose the memo to compare with (one found by a colliding
// hash has other stamps, or another shape or length, and is not used). A
// memo is made at a page's second rendering, so a page read once costs no
// copy; what a memo holds is bounded by its own share of the budget.
type pageMemo struct {
	shape uint32
	// block is the objects comma-separated as they were when the memo was
	// made, then the document's tail as written then (never modified);
	// ends[i] is where object i ends in it, and stamps[i] its stamp then.
	block  []byte
	ends   []int32
	stamps []uint64
	// objs are the objects rendered since, whose stamps differ from the
	// block's: each slot replaced whole (atomically) when its object is
	// rendered anew, so readers and writers need no lock; changed counts
	// the slots filled.
	objs    []atomic.Pointer[memoObj]
	changed atomic.Int32
	size    int64
}

// memoObj is one object of a page memo: its stamp and its bytes (never
// modified).
type memoObj struct {
	stamp uint64
	b     []byte
}

// memoCost is what a memo holds: its block, its objects' bytes (some
// shared with the object cache, counted here too) and their headers.
func memoCost(_ uint64, m *pageMemo) int64 { return m.size }

// minMemo is the fewest objects a page memo is made for: below it, the
// object cache's lookups cost less than the memo.
const minMemo = 8

// memoSlack is how much larger than the bytes it replaces an object may be
// and still take its slot in place; past it, the memo is counted anew, so
// what memos hold stays counted.
const memoSlack = 256

// stale reports whether so many of m's objects changed since its block was
// made that the page is better kept anew: an eighth of them, past which a
// page would be sent in too many pieces and its memo hold too many
// objects twice.
func (m *pageMemo) stale() bool { return int(m.changed.Load()) > len(m.stamps)/8 }

// objEnd returns where the objects end in the block, and the tail begins.
func (m *pageMemo) objEnd() int32 { return m.ends[len(m.ends)-1] }

// begin returns where the run of objects from i starts in the block: at
// the comma before it, when it has one.
func (m *pageMemo) begin(i int) int32 {
	if i == 0 {
		return 0
	}
	return m.ends[i-1]
}

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

// memoPageOf returns the rendering of es through the page memo, or false
// when the page is not memoised: no cache, too few objects, a shape not
// interned, an object without a stamp, or a page seen for the first time.
// A page with no memo yet, or a stale one, is written whole into the
// buffer and kept as a new memo (see memoPage.finish).
func (r *Renderer) memoPageOf(es []*store.Entity, related [][]string, mode relMode) (memoPage, bool) {
	f := r.Frags
	if f == nil || len(es) < minMemo {
		return memoPage{}, false
	}
	shape := r.entityShape(r.P, r.Fields, mode)
	if shape == 0 {
		return memoPage{}, false
	}
	for _, e := range es {
		if e.Stamp() == 0 {
			return memoPage{}, false
		}
	}
	key := f.memoKey(shape, es)
	m, ok := f.pages.Get(key)
	if !ok || m.shape != shape || len(m.stamps) != len(es) {
		if !f.pages.Admit(key) {
			return memoPage{}, false
		}
		m = nil
	}
	pw := memoPage{m: m, key: key, shape: shape, es: es, related: related, mode: mode}
	if m == nil || m.stale() {
		pw.ends = make([]int32, len(es))
	}
	return pw, true
}

// memoPage is one rendering of a page through its memo m (nil: none
// yet). With ends set, the page is being kept anew: every byte goes into
// the buffer and ends records where each object ends, relative to the
// first; without, runs of the block may be spliced (Renderer.Out) and
// changed objects fill m's slots. Its methods are given the renderer
// rather than holding it: what a memo keeps is read from this value
// (ends), so anything it held would go to the heap with it, and the
// renderer, a value of the handler's own, did (an allocation of every
// list).
type memoPage struct {
	m       *pageMemo
	key     uint64
	shape   uint32
	es      []*store.Entity
	related [][]string
	mode    relMode
	ends    []int32
	start   int // where the objects start in the buffer
	reused  int
	grown   bool
	// last: the last run spliced ends at the page's last object, and
	// begins at lastBegin in the block.
	last      bool
	lastBegin int32
}

// finish ends the page's rendering once the document's tail (what follows
// the objects) is appended at b[tail:]: a page being kept anew is kept
// with its tail; a page whose last run was spliced and whose tail is the
// one kept sends that tail with the run, as kept (one piece, so one write
// to the connection fewer), and b ends before it.
func (pw *memoPage) finish(r *Renderer, b []byte, tail int) []byte {
	f, m := r.Frags, pw.m
	switch {
	case pw.ends != nil:
		f.pages.Put(pw.key, newPageMemo(pw.shape, pw.es, b[pw.start:], pw.ends))
	case pw.grown: // a slot filled or grown: a copy counted anew replaces it
		f.pages.Put(pw.key, m.recounted())
	}
	f.cache.CountHits(int64(pw.reused))
	if pw.last && bytes.Equal(b[tail:], m.block[m.objEnd():]) && r.Out.extend(tail, m.block[pw.lastBegin:]) {
		return b[:tail]
	}
	return b
}

// objects appends es comma-separated: the runs whose stamps are the
// block's from the block, the others from their slots or rendered.
func (pw *memoPage) objects(r *Renderer, b []byte, es []*store.Entity) []byte {
	start, run := len(b), -1
	pw.start = start
	for i, e := range es {
		if pw.m != nil && pw.m.stamps[i] == e.Stamp() {
			if run < 0 {
				run = i
			}
			continue
		}
		if run >= 0 {
			b, run = pw.run(r, b, start, run, i), -1
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = pw.object(r, b, i, e)
		if pw.ends != nil {
			pw.ends[i] = int32(len(b) - start)
		}
	}
	if run >= 0 {
		b = pw.run(r, b, start, run, len(es))
	}
	return b
}

// run appends (or splices) the block's objects from to before to, with
// the comma before them; start is where the page's objects start in b.
func (pw *memoPage) run(r *Renderer, b []byte, start, from, to int) []byte {
	m := pw.m
	p := m.block[m.begin(from):m.ends[to-1]]
	pw.reused += to - from
	if pw.ends == nil && r.Out.splice(len(b), p) {
		pw.last, pw.lastBegin = to == len(m.stamps), m.begin(from)
		return b
	}
	if pw.ends != nil {
		at := int32(len(b)-start) - m.begin(from)
		for i := from; i < to; i++ {
			pw.ends[i] = at + m.ends[i]
		}
	}
	return append(b, p...)
}

// object appends es[i], e, from its slot when it holds e's stamp, or
// rendered (and, unless the page is being kept anew, put in its slot).
func (pw *memoPage) object(r *Renderer, b []byte, i int, e *store.Entity) []byte {
	if pw.m != nil {
		if o := pw.m.objs[i].Load(); o != nil && o.stamp == e.Stamp() {
			pw.reused++
			return append(b, o.b...)
		}
	}
	var rel []string
	if pw.related != nil {
		rel = pw.related[i]
	}
	from := len(b)
	b, kept := r.entityKept(b, r.P, e, r.Fields, pw.mode, rel)
	if pw.m != nil && pw.ends == nil {
		// The object cache's bytes never change: the slot shares them
		// (counted in both, so the budgets stay on the safe side). Only
		// an object rendered here is copied.
		if kept == nil {
			kept = bytes.Clone(b[from:])
		}
		n := &memoObj{stamp: e.Stamp(), b: kept}
		o := pw.m.objs[i].Swap(n)
		if o == nil {
			pw.m.changed.Add(1)
		}
		pw.grown = pw.grown || o == nil || len(n.b) > len(o.b)+memoSlack
	}
	return b
}

// newPageMemo returns the memo of es in shape, whose objects are the
// start of page (copied, with the document's tail after them), object i
// ending at ends[i].
func newPageMemo(shape uint32, es []*store.Entity, page []byte, ends []int32) *pageMemo {
	m := &pageMemo{shape: shape, block: bytes.Clone(page), ends: ends,
		stamps: make([]uint64, len(es)), objs: make([]atomic.Pointer[memoObj], len(es))}
	for i, e := range es {
		m.stamps[i] = e.Stamp()
	}
	m.count()
	return m
}

// count sets m's size: its block, its objects' bytes and the slots.
func (m *pageMemo) count() {
	m.size = int64(len(m.block)) + int64(len(m.objs))*(8+4+8)
	for i := range m.objs {
		if o := m.objs[i].Load(); o != nil {
			m.size += int64(len(o.b)) + 48
		}
	}
}

// recounted returns a copy of m counted anew (m's own size is what the
// cache holds it at, so it is not changed); the block is shared.
func (m *pageMemo) recounted() *pageMemo {
	out := &pageMemo{shape: m.shape, block: m.block, ends: m.ends, stamps: m.stamps,
		objs: make([]atomic.Pointer[memoObj], len(m.objs))}
	for i := range m.objs {
		out.objs[i].Store(m.objs[i].Load())
	}
	out.changed.Store(m.changed.Load())
	out.count()
	return out
}
