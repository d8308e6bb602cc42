package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// benchHandler is the full handler (rate limits on, journal on) over an
// account of n jobs.
func benchHandler(b *testing.B, n int) *Handler {
	clk := clock.New()
	st := store.New(store.Options{Seed: 1, Now: clk.Now,
		Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: n, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})})
	a, _ := st.Account(testKey)
	a.Len(jobItemUpdate)
	return New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1,
		RateLimits: limiter.Policy{Burst: 1 << 30, Steady: 1 << 30}, Journal: journal.New(journal.Options{Entries: 1000})})
}

func benchRequest(rev, target string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Header.Set("revision", rev)
	r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	return r
}

// BenchmarkListPage serves a page of 100 jobs through the whole pipeline
// (routing, revision, auth, limiter, journal, render, write), at a thousand
// and a million jobs, first page and mid-walk, in each cache mode; each case
// runs at both sizes back to back. Compare with BenchmarkStaticPage, which
// writes the same bytes from a fixed buffer.
func BenchmarkListPage(b *testing.B) {
	sizes := []int{1_000, 1_000_000}
	stores, clocks, mids := map[int]*store.Store{}, map[int]*clock.Clock{}, map[int]string{}
	for _, n := range sizes {
		clocks[n] = clock.New()
		stores[n] = store.New(store.Options{Seed: 1, Now: clocks[n].Now,
			Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: n, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})})
		a, _ := stores[n].Account(testKey)
		jobs, _ := snapshot(b, a)
		mids[n] = jobs[n/2].ID
	}
	for m, mode := range cacheModes {
		handlers := map[int]*Handler{}
		for _, n := range sizes {
			handlers[n] = benchCached(stores[n], clocks[n], m)
		}
		for _, rev := range []string{"2022-10-17", "2026-07-15"} {
			for _, c := range []string{"first", "mid"} {
				for _, n := range sizes {
					target := listPath
					if c == "mid" {
						target += "?page%5Bcursor%5D=" + b64("next::id::"+mids[n])
					}
					b.Run(mode.name+"/"+rev+"/"+c+"/n="+strconv.Itoa(n), func(b *testing.B) {
						benchServe(b, handlers[n], rev, target)
					})
				}
			}
		}
	}
}

// BenchmarkStaticPage writes a pre-rendered page of 100 jobs, the ceiling
// BenchmarkListPage is measured against.
func BenchmarkStaticPage(b *testing.B) {
	h := benchHandler(b, 1_000)
	for _, rev := range []string{"2022-10-17", "2026-07-15"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, benchRequest(rev, listPath))
		page := w.Body.Bytes()
		static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			httpx.Write(w, 200, "application/vnd.api+json", page)
		})
		b.Run(rev, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				w := httptest.NewRecorder()
				static.ServeHTTP(w, benchRequest(rev, listPath))
			}
		})
	}
}

// cacheModes are the ways a benchmark runs the handler: without caches
// (every page rendered from the store), with the object cache only (a
// page the first time it is asked for), and as shipped (a page asked for
// again).
var cacheModes = []struct {
	name  string
	bytes int64
	pages bool
}{{"uncached", -1, false}, {"objects", 0, false}, {"documents", 0, true}}

// benchCached returns a handler over st in cache mode m.
func benchCached(st *store.Store, clk *clock.Clock, m int) *Handler {
	h := New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1, CacheBytes: cacheModes[m].bytes,
		RateLimits: limiter.Policy{Burst: 1 << 30, Steady: 1 << 30}, Journal: journal.New(journal.Options{Entries: 1000})})
	if !cacheModes[m].pages {
		h.pages = nil
	}
	return h
}

// BenchmarkEntityPage serves a page of 100 catalog items through the whole
// pipeline at a thousand and at a million items in one account: the first
// page, a page from the middle (a time-keyed cursor), a category's items
// and a page with include=variants, at the oldest and the newest revision,
// in each cache mode. Both accounts are built first and each case runs at
// both sizes back to back, so the two figures are comparable. A page is
// O(page), so both sizes should cost the same.
func BenchmarkEntityPage(b *testing.B) {
	type sized struct {
		st     *store.Store
		clk    *clock.Clock
		cursor string
		cat    string
	}
	sizes := []int{1_000, 1_000_000}
	accounts := map[int]sized{}
	for _, n := range sizes {
		clk := clock.New()
		st := store.New(store.Options{Seed: 1, Now: clk.Now,
			// Four categories: a category's page after the middle item is
			// full at a thousand items too, so both sizes render 100.
			Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 10, Counts: fixtures.Counts{"items": n, "variants": n, "categories": 4}})})
		a, _ := st.Account(testKey)
		for _, c := range []store.Collection{collItems, collVariants, collCategories} {
			a.Count(c) // generated before the clock starts
		}
		mid, _, err := a.Entity(itemKind, store.EntityID(fmt.Sprintf("%s-%05d", prefixOf(b, a), n/2)))
		if err != nil || mid == nil {
			b.Fatalf("no middle item: %v", err)
		}
		cats, _ := a.EntityPage(store.EntityPageRequest{Kind: categoryKind, Limit: 1})
		accounts[n] = sized{st, clk, keyedCursor(query.Next, mid), cats.Entities[0].ID}
	}
	for m, mode := range cacheModes {
		handlers := map[int]*Handler{}
		for _, n := range sizes {
			handlers[n] = benchCached(accounts[n].st, accounts[n].clk, m)
		}
		for _, rev := range []string{"2022-10-17", "2026-07-15"} {
			for _, c := range []struct{ name, target string }{
				{"first", "/api/catalog-items"},
				{"mid", "/api/catalog-items?page%5Bcursor%5D={cursor}"},
				{"category", "/api/catalog-categories/{category}/items?page%5Bcursor%5D={cursor}"},
				{"include", "/api/catalog-items?include=variants&page%5Bcursor%5D={cursor}"},
			} {
				for _, n := range sizes {
					target := strings.NewReplacer("{cursor}", accounts[n].cursor, "{category}", accounts[n].cat).Replace(c.target)
					if m == 0 {
						fullPage(b, handlers[n], rev, target)
					}
					b.Run(mode.name+"/"+rev+"/"+c.name+"/n="+strconv.Itoa(n), func(b *testing.B) {
						benchServe(b, handlers[n], rev, target)
					})
				}
			}
		}
	}
}

// fullPage fails unless target answers a page of 100: the sizes compared
// must render the same amount.
func fullPage(b *testing.B, h *Handler, rev, target string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, benchRequest(rev, target))
	var doc struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || len(doc.Data) != 100 {
		b.Fatalf("%s: %d entities (%v), want a full page", target, len(doc.Data), err)
	}
}

// benchServe serves one request again and again.
func benchServe(b *testing.B, h *Handler, rev, target string) {
	b.ReportAllocs()
	var size int
	runtime.GC() // nothing left over from generating the data
	w := &sink{}
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, benchRequest(rev, target))
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
		size = w.n
	}
	b.SetBytes(int64(size))
}

// prefixOf returns the external id prefix of an account's seeded items.
func prefixOf(b *testing.B, a *store.Account) string {
	p, err := a.EntityPage(store.EntityPageRequest{Kind: itemKind, Limit: 1})
	if err != nil || len(p.Entities) == 0 {
		b.Fatal("no items")
	}
	ext := p.Entities[0].ExternalID
	return ext[:strings.IndexByte(ext, '-')]
}

// sink is a ResponseWriter that counts the body and keeps nothing, as a
// connection would: benchmarks measure the server, not a recorder's
// growing buffer.
type sink struct {
	h    http.Header
	code int
	n    int
}

func (s *sink) Header() http.Header {
	if s.h == nil {
		s.h = http.Header{}
	}
	return s.h
}

func (s *sink) WriteHeader(code int) { s.code = code }

func (s *sink) Write(p []byte) (int, error) {
	if s.code == 0 {
		s.code = 200
	}
	s.n += len(p)
	return len(p), nil
}

// WriteString is Write for a string, as net/http's writer has it.
func (s *sink) WriteString(p string) (int, error) {
	if s.code == 0 {
		s.code = 200
	}
	s.n += len(p)
	return len(p), nil
}

func (s *sink) reset() {
	clear(s.h)
	s.code, s.n = 0, 0
}

// BenchmarkSmallDocument serves one job (about 1 KB) from the document
// cache: what is left is the pipeline's own cost per request.
func BenchmarkSmallDocument(b *testing.B) {
	h := benchHandler(b, 1_000)
	a, _ := h.opts.Store.Account(testKey)
	jobs, _ := snapshot(b, a)
	target := listPath + "/" + jobs[0].ID
	w := &sink{}
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, benchRequest("2026-07-15", target))
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
	}
}

// BenchmarkSmallDocumentParallel is BenchmarkSmallDocument from many
// goroutines at once, as a server's connections run: locks shared by
// every request show here.
func BenchmarkSmallDocumentParallel(b *testing.B) {
	h := benchHandler(b, 1_000)
	a, _ := h.opts.Store.Account(testKey)
	jobs, _ := snapshot(b, a)
	target := listPath + "/" + jobs[0].ID
	b.ReportAllocs()
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		w := &sink{}
		for pb.Next() {
			w.reset()
			h.ServeHTTP(w, benchRequest("2026-07-15", target))
			if w.code != 200 {
				b.Errorf("status %d", w.code)
				return
			}
		}
	})
}
