package handlers

import (
	"bytes"
	"testing"
)

// TestCache_ADocumentRenderedOnceIsNotCopied: a document is copied into
// the document cache only when it is rendered a second time, so a page
// read once after every change (as a client polling changing data reads
// it) costs no copy, and a page read again is served from the cache from
// its third read on, byte for byte the same.
func TestCache_ADocumentRenderedOnceIsNotCopied(t *testing.T) {
	e := newEnv(t, withCache(16<<20))
	// The account's catalog is made at its first read, which changes the
	// versions the list's key names.
	if r := e.req("GET", "/api/catalog-items?sort=-created", nil); r.status != 200 {
		t.Fatalf("GET: %d %.300s", r.status, r.body)
	}
	e.h.pages.Clear()
	first := e.req("GET", "/api/catalog-items", nil)
	if first.status != 200 {
		t.Fatalf("GET: %d %.300s", first.status, first.body)
	}
	if n := e.h.pages.Bytes(); n != 0 {
		t.Fatalf("a document rendered once holds %d bytes of the document cache", n)
	}
	second := e.req("GET", "/api/catalog-items", nil)
	if n := e.h.pages.Bytes(); n < int64(len(second.body)) {
		t.Fatalf("a document rendered twice (%d bytes) holds %d bytes of the document cache", len(second.body), n)
	}
	hits, _ := e.h.pages.Stats()
	third := e.req("GET", "/api/catalog-items", nil)
	if after, _ := e.h.pages.Stats(); after != hits+1 {
		t.Fatalf("the third read of a document was not served from the cache (%d hits, then %d)", hits, after)
	}
	if !bytes.Equal(first.body, second.body) || !bytes.Equal(second.body, third.body) {
		t.Fatal("three reads of unchanged data answered different bytes")
	}
}
