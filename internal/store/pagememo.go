package store

import (
	"sync"
	"sync/atomic"
)

// The page memo: the changing row lists a kind's first page after each
// PATCH of one of its entities, and each list walked the merge of the
// seeded stream and the held positions anew (about 90 ns a position, 13%
// of the row), although an update changes no entity's position and no
// page's membership. A written kind keeps where its last unfiltered page
// found its entities, under the account's shape (see Account.shape), and a
// page asked again at the same shape re-reads only those entities.

// pageMemoBytes is what a kind's page memo takes (counted in the
// account's size when it is made): its fixed entries and its key.
const pageMemoBytes = PageSize*(8+stringBytes) + 128

// memoKinds bounds the kinds memoised (a kind past it walks every page).
const memoKinds = 8

// pageMemos are an account's page memos, by kind (nil: none made).
type pageMemos [memoKinds]atomic.Pointer[pageMemo]

// pageKey is what an unfiltered page of a kind depends on besides the
// account's shape.
type pageKey struct {
	desc                bool
	limit               int
	hasAfter, hasBefore bool
	after, before       Position
}

// pageMemo is one kind's last unfiltered page, of the kind's value k (a
// restore replaces it) at the account's shape: for each entity its seeded
// index (at[j] >= 0, made again from the source or the made-entity cache)
// or -1 (held, read by its id), and whether matching entities lie on
// either side. Readers share the account's read lock, so the memo has its
// own; a reader that finds it taken walks as before.
type pageMemo struct {
	mu               sync.Mutex
	set              bool
	k                *seededKind
	shape            uint64
	key              pageKey
	n                int
	hasNext, hasPrev bool
	at               [PageSize]int
	ids              [PageSize]string
}

// memoKey returns the key of req's page and whether the page may be
// memoised: no filter (a filter reads attributes an update changes), no
// larger than the memo.
func memoKey(req *EntityPageRequest) (pageKey, bool) {
	if !req.Filter.empty() {
		return pageKey{}, false
	}
	k := pageKey{desc: req.Desc, limit: req.Limit}
	if k.limit <= 0 {
		k.limit = PageSize
	}
	if req.After != nil {
		k.hasAfter, k.after = true, *req.After
	}
	if req.Before != nil {
		k.hasBefore, k.before = true, *req.Before
	}
	return k, k.limit <= PageSize
}

// memoPageIn is pageIn of the account's catalog (under its lock), read
// from the kind's page memo when it holds the page at the account's shape,
// and kept there when not.
func (a *Account) memoPageIn(req EntityPageRequest) EntityPage {
	k := a.cat.kinds[req.Kind]
	key, ok := memoKey(&req)
	var m *pageMemo
	if ok && k != nil && k.order != nil { // nil: never written, a page the document cache keeps
		m = a.pageMemo(req.Kind)
	}
	if m == nil || !m.mu.TryLock() {
		return a.pageIn(&a.cat, req)
	}
	defer m.mu.Unlock()
	if m.set && m.k == k && m.shape == a.shape && m.key == key {
		if page, ok := m.read(k); ok {
			return page
		}
	}
	page := a.pageIn(&a.cat, req)
	m.keep(k, a.shape, key, page)
	return page
}

// pageMemo returns kind's page memo, made (and its bytes counted) by the
// first caller; nil past memoKinds.
func (a *Account) pageMemo(kind EntityKind) *pageMemo {
	t := a.pages.Load()
	if t == nil {
		a.pages.CompareAndSwap(nil, new(pageMemos))
		t = a.pages.Load()
	}
	if int(kind) >= len(t) {
		return nil
	}
	p := &t[kind]
	if m := p.Load(); m != nil {
		return m
	}
	if p.CompareAndSwap(nil, new(pageMemo)) {
		a.grow(pageMemoBytes)
	}
	return p.Load()
}

// forgetPagesLocked drops what every page memo holds (under the account's
// write lock, so no reader holds a memo): a catalog rebuilt puts a new
// value in place of each kind, and a memo would keep the old one alive,
// no longer counted in the account's size.
func (a *Account) forgetPagesLocked() {
	t := a.pages.Load()
	if t == nil {
		return
	}
	for i := range t {
		if m := t[i].Load(); m != nil {
			m.set, m.k = false, nil
			clear(m.ids[:])
		}
	}
}

// read returns the page the memo holds, its entities read again; false
// if one is missing (which a shape unchanged rules out).
func (m *pageMemo) read(k *seededKind) (EntityPage, bool) {
	page := EntityPage{Entities: make([]*Entity, m.n), HasNext: m.hasNext, HasPrev: m.hasPrev}
	for j := range page.Entities {
		var e *Entity
		if i := m.at[j]; i >= 0 {
			e = k.make(i)
		} else {
			e = k.held[m.ids[j]]
		}
		if e == nil {
			return EntityPage{}, false
		}
		page.Entities[j] = e
	}
	return page, true
}

// keep holds page, of key, of the kind's value k at the account's shape.
func (m *pageMemo) keep(k *seededKind, shape uint64, key pageKey, page EntityPage) {
	m.set = false
	if len(page.Entities) > len(m.at) {
		return
	}
	n := k.seededLen()
	for j, e := range page.Entities {
		i := -1
		if !k.isHeld(e.ID) {
			if i = int(e.stamp - k.base); i < 0 || i >= n {
				return // not seeded after all: keep nothing
			}
		}
		m.at[j], m.ids[j] = i, e.ID
	}
	clear(m.ids[len(page.Entities):]) // keep no string of an older page
	m.set, m.k, m.shape, m.key, m.n = true, k, shape, key, len(page.Entities)
	m.hasNext, m.hasPrev = page.HasNext, page.HasPrev
}
