package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// TestCache_AnObjectRenderedOnceIsNotCopied: a rendered object (a job, an
// entity) is copied into the object cache only when it is rendered a
// second time, so an object shown once (the job a POST answers with, an
// entity shown once before its next change; not the object a write
// answers with, which the next list shows) costs no copy; a list read
// again is rendered from the object cache from its third read on, byte
// for byte the same.
func TestCache_AnObjectRenderedOnceIsNotCopied(t *testing.T) {
	e := newEnv(t, withCache(16<<20))
	if r := e.req("GET", "/api/catalog-items", nil); r.status != 200 { // makes the account
		t.Fatalf("GET: %d %.300s", r.status, r.body)
	}
	e.h.frags.Cache().Clear()
	postTenItems(t, e, "ONCE")
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

// TestCache_AnItemShownByAJobInProgressIsNotCopied: a poll of a job still
// in progress shows (include=items) every item applied so far, and the
// next poll shows them again with those applied since. Keeping each in
// the object cache (a copy and the cache's bookkeeping) costs more than
// rendering it again, so they are rendered and not cached: no poll copies
// anything, and none looks an item up. Once the job is complete its items
// are offered as any object is: a second read of it keeps them, and a
// third is served from the cache, every read the same bytes.
func TestCache_AnItemShownByAJobInProgressIsNotCopied(t *testing.T) {
	e := newEnv(t, withCache(16<<20), withLifecycle(store.Lifecycle{Mode: store.Polls, Polls: 3}))
	jobID := postTenItems(t, e, "KEPT")
	frags := e.h.frags.Cache()
	poll := func() (status string, shown int, body []byte) {
		t.Helper()
		r := e.req("GET", "/api/catalog-item-bulk-create-jobs/"+jobID+"?include=items", nil)
		var doc struct {
			Data     struct{ Attributes struct{ Status string } }
			Included []json.RawMessage
		}
		if err := json.Unmarshal(r.body, &doc); r.status != 200 || err != nil {
			t.Fatalf("poll: %d %v %.300s", r.status, err, r.body)
		}
		return doc.Data.Attributes.Status, len(doc.Included), r.body
	}
	polls := 0
	for {
		held := frags.Bytes()
		hits, misses := frags.Stats()
		status, shown, _ := poll()
		polls++
		if status == "complete" {
			break
		}
		if shown == 0 || frags.Bytes() != held {
			t.Fatalf("poll %d of a job in progress showed %d items and copied %d bytes into the object cache, want 0",
				polls, shown, frags.Bytes()-held)
		}
		afterHits, afterMisses := frags.Stats()
		if afterHits != hits {
			t.Fatalf("poll %d of a job in progress found %d objects in the object cache, want 0 (none is kept)", polls, afterHits-hits)
		}
		if afterMisses > misses+1 {
			t.Fatalf("poll %d of a job in progress missed %d objects in the object cache, want at most 1 (the job's own, not an item)",
				polls, afterMisses-misses)
		}
	}
	if polls < 3 {
		t.Fatalf("the job completed at poll %d, want the third", polls)
	}
	_, _, second := poll()
	hits, _ := frags.Stats()
	_, shown, third := poll()
	if after, _ := frags.Stats(); after < hits+int64(shown) {
		t.Fatalf("the third read of the complete job found %d of its %d items in the object cache (the second read keeps them)",
			after-hits, shown)
	}
	if !bytes.Equal(second, third) {
		t.Fatal("two reads of the complete job answered different bytes")
	}
}

// postTenItems POSTs a bulk-create job of ten items whose external ids
// start with prefix, fails unless it is accepted, and returns its id.
func postTenItems(t *testing.T, e *env, prefix string) string {
	t.Helper()
	var items []string
	for j := range 10 {
		items = append(items, fmt.Sprintf(`{"type":"catalog-item","attributes":{"external_id":"%s-%d","title":"t","description":"d","url":"https://x.example/%d","price":1}}`, prefix, j, j))
	}
	post := e.req("POST", "/api/catalog-item-bulk-create-jobs", strings.NewReader(
		`{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[`+strings.Join(items, ",")+`]}}}}`),
		"Content-Type: application/vnd.api+json")
	var job struct{ Data struct{ ID string } }
	if err := json.Unmarshal(post.body, &job); post.status != 202 || err != nil {
		t.Fatalf("POST: %d %v %.300s", post.status, err, post.body)
	}
	return job.Data.ID
}
