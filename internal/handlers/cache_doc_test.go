package handlers

import (
	"net/http"
	"strconv"
	"testing"
	"unsafe"

	"github.com/klaviyo-mock/mockserver/internal/journal"
)

// TestCache_AnswersFromTheCacheAreTheDocumentAndItsLength checks what a
// client and the journal see of answers served from the document cache,
// for a small document and one larger than the journal keeps: the body,
// its Content-Length, and the journal's copy of both.
func TestCache_AnswersFromTheCacheAreTheDocumentAndItsLength(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, target, rev string
		large             bool
	}{
		{"a small document", "/api/catalog-items/" + firstItemID(t, e), "2026-07-15", false},
		{"a document past the journal's body cap", listPath, "2022-10-17", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.h.opts.Journal.Clear()
			var bodies [][]byte
			for i := 0; i < 4; i++ { // cached at the second rendering, served from the cache after
				r := e.get(tc.target, "revision: "+tc.rev)
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if got := r.header.Get("Content-Length"); got != strconv.Itoa(len(r.body)) {
					t.Fatalf("answer %d: Content-Length %q for %d bytes", i+1, got, len(r.body))
				}
				bodies = append(bodies, r.body)
			}
			if large := len(bodies[0]) > journal.MaxBody; large != tc.large {
				t.Fatalf("the document is %d bytes: not the case meant", len(bodies[0]))
			}
			entries := e.h.opts.Journal.List(journal.Filter{})
			if len(entries) != 4 {
				t.Fatalf("%d journal entries", len(entries))
			}
			for i, en := range entries {
				want, truncated := string(bodies[i]), false
				if len(want) > journal.MaxBody {
					want, truncated = want[:journal.MaxBody], true
				}
				if en.ResponseBody != want || en.ResponseTruncated != truncated {
					t.Fatalf("entry %d keeps %d bytes (truncated %v), want %d (%v)",
						i+1, len(en.ResponseBody), en.ResponseTruncated, len(want), truncated)
				}
				if got := en.ResponseHeaders["Content-Length"]; len(got) != 1 || got[0] != strconv.Itoa(len(bodies[i])) {
					t.Fatalf("entry %d keeps Content-Length %q", i+1, got)
				}
			}
		})
	}
}

// TestCache_ADocumentServedFromTheCacheIsNotCopiedPerAnswer checks that
// the answers served from the document cache share its bytes and its
// Content-Length value: the journal keeps the cached document itself (it
// is within the journal's body cap, so it pins nothing more than a copy
// would) and the header value made when it was cached.
func TestCache_ADocumentServedFromTheCacheIsNotCopiedPerAnswer(t *testing.T) {
	e := newEnv(t)
	target := "/api/catalog-items/" + firstItemID(t, e)
	e.h.opts.Journal.Clear()
	for i := 0; i < 4; i++ {
		if r := e.get(target); r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	}
	entries := e.h.opts.Journal.List(journal.Filter{})
	third, fourth := entries[2], entries[3]
	if unsafe.StringData(third.ResponseBody) != unsafe.StringData(fourth.ResponseBody) {
		t.Fatal("the journal keeps a copy of the cached document per answer")
	}
	if &third.ResponseHeaders["Content-Length"][0] != &fourth.ResponseHeaders["Content-Length"][0] {
		t.Fatal("each answer from the cache formats its Content-Length anew")
	}
}

// firstItemID returns the id of the first catalog item of testKey's
// account.
func firstItemID(t *testing.T, e *env) string {
	t.Helper()
	a, err := e.store.Account(testKey)
	if err != nil {
		t.Fatal(err)
	}
	_, items := snapshot(t, a)
	return items[0].ID
}
