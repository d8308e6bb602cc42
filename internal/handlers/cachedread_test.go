package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// cachedReadAllocs is the most a read answered from the document cache
// may allocate in the handler, routing, request id and journal included
// (rate limits off, as scripts/bench runs the emulator): what is left is
// the request id (one allocation: its text and its header slice); the
// observed request is one a request answered before gave back.
const cachedReadAllocs = 1

// cachedReadHandler is a handler as scripts/bench runs it: rate limits
// off, the journal on; and the targets of its single rows that read one
// job, one category's items and one item's category ids.
func cachedReadHandler(t testing.TB) (*Handler, []string) {
	t.Helper()
	clk := clock.New()
	st := store.New(store.Options{Seed: 1, Now: clk.Now,
		Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 100, Counts: fixtures.Counts{"items": 20, "variants": 30, "categories": 4}})})
	h := New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1,
		RateLimits: limiter.Policy{Off: true}, Journal: journal.New(journal.Options{Entries: 16})})
	a, _ := st.Account(testKey)
	jobs, _ := a.AllJobs(jobItemUpdate)
	job := jobs[0].ID
	cat, _ := a.EntityPage(store.EntityPageRequest{Kind: categoryKind, Limit: 1})
	item, _ := a.EntityPage(store.EntityPageRequest{Kind: itemKind, Limit: 1})
	return h, []string{
		listPath + "/" + job,
		"/api/catalog-categories/" + cat.Entities[0].ID + "/items",
		"/api/catalog-items/" + item.Entities[0].ID + "/relationships/categories/",
	}
}

// TestCachedRead_AllocatesOnlyWhatItKeeps counts a cached read's
// allocations in the handler (the request is made once, outside the
// count): routing, the request id, the pipeline and the cache's key are
// what a read answered from the cache pays before its bytes are written.
func TestCachedRead_AllocatesOnlyWhatItKeeps(t *testing.T) {
	h, targets := cachedReadHandler(t)
	for _, target := range targets {
		r := cachedReadRequest(target)
		w := &sink{}
		// Rendered, rendered again and kept, then read, until the journal
		// is full (from then on it reuses the entries it drops).
		for range 20 {
			w.reset()
			h.ServeHTTP(w, r)
			if w.code != http.StatusOK {
				t.Fatalf("%s: status %d", target, w.code)
			}
		}
		hits, _ := h.pages.Stats()
		n := testing.AllocsPerRun(200, func() {
			w.reset()
			h.ServeHTTP(w, r)
		})
		if after, _ := h.pages.Stats(); after-hits < 200 {
			t.Fatalf("%s: %d cache hits in 201 reads", target, after-hits)
		}
		if n > cachedReadAllocs {
			t.Errorf("%s: %.0f allocations per cached read, want at most %d", target, n, cachedReadAllocs)
		}
	}
}

// BenchmarkCachedRead serves scripts/bench's single rows that read one
// job, a category's items and an item's category ids from the document
// cache, rate limits off as the emulator runs there; the request is made
// once, so what is measured is the handler's own cost.
func BenchmarkCachedRead(b *testing.B) {
	h, targets := cachedReadHandler(b)
	for _, target := range targets {
		r := cachedReadRequest(target)
		w := &sink{}
		b.Run(strings.Trim(strings.NewReplacer("$custom:::$default:::", "", "/api/", "").Replace(target), "/"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				h.ServeHTTP(w, r)
				if w.code != http.StatusOK {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}

// cachedReadRequest is a GET of target at 2026-07-15 with the test key.
func cachedReadRequest(target string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Header.Set("revision", "2026-07-15")
	r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	return r
}
