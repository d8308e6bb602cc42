package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestCache_AnObjectRenderedOnceIsNotCopied: a rendered object (a job, an
// entity) is copied into the object cache only when it is rendered a
// second time, so an object shown once (the job a POST answers with, an
// entity shown once before its next change) costs no copy; a list read
// again is rendered from the object cache from its third read on, byte
// for byte the same.
func TestCache_AnObjectRenderedOnceIsNotCopied(t *testing.T) {
	e := newEnv(t, withCache(16<<20))
	if r := e.req("GET", "/api/catalog-items", nil); r.status != 200 { // makes the account
		t.Fatalf("GET: %d %.300s", r.status, r.body)
	}
	e.h.frags.Cache().Clear()
	var items []string
	for j := range 10 {
		items = append(items, fmt.Sprintf(`{"type":"catalog-item","attributes":{"external_id":"ONCE-%d","title":"t","description":"d","url":"https://x.example/%d","price":1}}`, j, j))
	}
	post := e.req("POST", "/api/catalog-item-bulk-create-jobs", strings.NewReader(
		`{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[`+strings.Join(items, ",")+`]}}}}`),
		"Content-Type: application/vnd.api+json")
	var job struct{ Data struct{ ID string } }
	if err := json.Unmarshal(post.body, &job); post.status != 202 || err != nil {
		t.Fatalf("POST: %d %v %.300s", post.status, err, post.body)
	}
	if n := e.h.frags.Cache().Bytes(); n != 0 {
		t.Fatalf("objects rendered once hold %d bytes of the object cache", n)
	}
	list := "/api/catalog-items?page[size]=10&fields[catalog-item]=title" // a shape no other request used
	first := e.req("GET", list, nil)
	if n := e.h.frags.Cache().Bytes(); first.status != 200 || n != 0 {
		t.Fatalf("a list read once: %d, %d bytes of the object cache", first.status, n)
	}
	second := e.req("GET", list, nil)
	if n := e.h.frags.Cache().Bytes(); n == 0 {
		t.Fatal("objects rendered twice were not kept")
	}
	e.h.pages.Clear()
	hits, _ := e.h.frags.Cache().Stats()
	third := e.req("GET", list, nil)
	if after, _ := e.h.frags.Cache().Stats(); after < hits+10 {
		t.Fatalf("the third rendering of 10 objects hit the object cache %d times", after-hits)
	}
	if !bytes.Equal(first.body, second.body) || !bytes.Equal(second.body, third.body) {
		t.Fatal("three reads of unchanged data answered different bytes")
	}
}
