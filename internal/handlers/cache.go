package handlers

import (
	"encoding/binary"
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/rcache"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Rendered documents are cached whole, keyed by everything they are made
// of: the account (its stamp, new for every account the store ever held),
// the versions of the collections the document reads (each a new stamp on
// every change, taken after created jobs are brought up to the clock), the
// revision that serves it, the request path and query as sent, and the
// base URL of its links. A change to anything the document shows changes
// the key, so a cached document is never stale; documents of older
// versions are never asked for again and age out. Only reads without side
// effects are cached: lists, related lists, relationship reads and GET-one
// (but a job's GET-one in polls mode, which advances the job). Objects
// inside documents are cached too (render.Fragments), so a document
// rebuilt after a change mostly copies bytes.

// document is a rendered document in one of two states, never both:
//
//   - offered (what the pipeline hands the cache's Offer): raw, the
//     rendering (the request's pooled buffer), or pieces when part of it
//     was sent from where it is kept (a page memo's block); exactly one is
//     set, and body and length are empty. The cache must not keep it: raw
//     and pieces are reused by the next request.
//   - kept (what keepDocument makes of an offered one the cache admits,
//     and so what Get returns): body, the bytes as a string, and length,
//     its Content-Length value, both made once so an answer from the cache
//     copies and formats nothing (the journal keeps the string itself, see
//     httpx.Recorder.WriteString); raw and pieces are nil.
//
// documentCost reads either. The states share one type because the cache
// takes (Offer) and stores (keep, Get) one value type: two would need a
// cache whose keep changes the type, for a difference this comment and a
// test state.
// checkDocumentStates (cache_states_test.go) checks the states under the
// twin-cache tests; TestDocument_EveryDocumentIsOfferedOrKept checks the
// checks.
type document struct {
	body   string
	length []string
	raw    []byte
	pieces *render.Pieces
}

// documentOverhead estimates what a cached document costs besides its
// bytes and its key's: the cache's map slot and headers, and the
// Content-Length value.
const documentOverhead = 96 + 48

// newDocuments returns the cache of rendered documents, within budget
// bytes.
func newDocuments(budget int64) *rcache.Cache[string, document] {
	return newDocumentsOf(budget, documentCost, keepDocument)
}

// newDocumentsOf is newDocuments with its cost and keep functions given
// (the tests wrap them in checks).
func newDocumentsOf(budget int64, cost func(string, document) int64, keep func(document) document) *rcache.Cache[string, document] {
	return rcache.NewOf(budget, 4, cost, keep)
}

// documentCost is what document d under key k costs the cache, offered or
// kept.
func documentCost(k string, d document) int64 {
	n := len(d.body) + len(d.raw) + len(k)
	if d.pieces != nil {
		n += d.pieces.Len()
	}
	return int64(n) + documentOverhead
}

// keepDocument is what the cache keeps of a rendering it admits: its bytes
// in one string (a document in pieces assembled, the only copy it costs).
func keepDocument(d document) document {
	if d.pieces == nil {
		return document{body: string(d.raw), length: httpx.ContentLength(len(d.raw))}
	}
	var b strings.Builder
	b.Grow(d.pieces.Len())
	_, _ = d.pieces.WriteTo(&b)
	return document{body: b.String(), length: httpx.ContentLength(b.Len())}
}

// pageKey appends to key the cache key of the document c is about to
// render, and reports whether it is cached at all. Built in a buffer of
// the caller's, a key costs no allocation to look up (rcache.GetBytes).
func (h *Handler) pageKey(c *call, key []byte) ([]byte, bool) {
	if h.pages == nil {
		return key, false
	}
	switch op := c.ep.Op; {
	case op != resource.OpList && op != resource.OpGet && op != resource.OpRelated && op != resource.OpRelIDs:
		return key, false
	case c.res.Job != nil && op == resource.OpGet && c.r.Method == http.MethodGet && h.opts.Store.Lifecycle().Mode == store.Polls:
		return key, false // a poll advances the job
	}
	// The collection it shows (an entity's is the catalog's version), and
	// the one an include adds.
	cs, n := [2]store.Collection{c.res.Collection}, 1
	if inc := c.ep.Query(c.p).Included; inc != nil && mayInclude(c.r.URL.RawQuery) {
		cs[n], n = inc.Collection, n+1
	}
	scheme, host := h.baseParts(c.r)
	key = binary.LittleEndian.AppendUint64(key, c.acct.Stamp())
	for _, col := range cs[:n] {
		key = binary.LittleEndian.AppendUint64(key, c.acct.Version(col))
	}
	key = append(key, c.p.Date...)
	key = append(key, 0)
	key = append(key, c.escapedPath()...)
	key = append(key, '?')
	key = append(key, c.r.URL.RawQuery...)
	key = append(key, 0)
	key = append(key, scheme...)
	return append(key, host...), true
}

// mayInclude reports whether a raw query string may hold an include
// parameter: one named include, or any percent-escape (the query parser
// decodes keys, so "includ%65" is include too). It may say yes wrongly,
// which costs a cache entry a longer key, never no wrongly.
func mayInclude(rawQuery string) bool {
	return strings.Contains(rawQuery, "include") || strings.Contains(rawQuery, "%")
}

// cacheStats reports the render caches, for the control API's /health:
// bytes held against their budget, hits and misses since start.
func (h *Handler) cacheStats() map[string]int64 {
	var held, limit, hits, misses int64
	add := func(b, l, hit, miss int64) { held, limit, hits, misses = held+b, limit+l, hits+hit, misses+miss }
	if h.pages != nil {
		ph, pm := h.pages.Stats()
		add(h.pages.Bytes(), h.pages.Budget(), ph, pm)
	}
	if h.frags != nil {
		c := h.frags.Cache()
		fh, fm := c.Stats()
		add(c.Bytes(), c.Budget(), fh, fm)
		mb, ml := h.frags.MemoBytes()
		add(mb, ml, 0, 0)
	}
	return map[string]int64{"bytes": held, "limit_bytes": limit, "hits": hits, "misses": misses}
}
