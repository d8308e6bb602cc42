package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// flowHandler is the full handler (journal on, limits out of the way) over
// the default catalog, created jobs completing at their third poll.
func flowHandler() *Handler {
	clk := clock.New()
	st := store.New(store.Options{Seed: 1, Now: clk.Now, Lifecycle: store.Lifecycle{Mode: store.Polls, Polls: 3},
		Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 1000, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})})
	return New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1,
		RateLimits: limiter.Policy{Burst: 1 << 30, Steady: 1 << 30}, Journal: journal.New(journal.Options{Entries: 1000})})
}

// flowRequest is a request of a flow, with a body or none.
func flowRequest(method, target string, body []byte) *http.Request {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	r.Header.Set("revision", "2026-07-15")
	r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	if body != nil {
		r.Header.Set("Content-Type", "application/vnd.api+json")
	}
	return r
}

// flowCall serves one request with a body and returns the answer's body;
// the status must be 2xx.
func flowCall(b *testing.B, h *Handler, method, target string, body []byte) []byte {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, flowRequest(method, target, body))
	if w.Code/100 != 2 {
		b.Fatalf("%s %s: %d %.300s", method, target, w.Code, w.Body.Bytes())
	}
	return w.Body.Bytes()
}

// flowSend serves one request whose answer is not looked at, into a
// writer that keeps nothing (as a connection would); the status must be
// 2xx.
func flowSend(b *testing.B, h *Handler, w *sink, method, target string, body []byte) {
	w.reset()
	h.ServeHTTP(w, flowRequest(method, target, body))
	if w.code/100 != 2 {
		b.Fatalf("%s %s: %d", method, target, w.code)
	}
}

// BenchmarkChangingFlow is scripts/bench's changing row in process: PATCH
// an item of the first page with a new title, then list the first page
// (2026-07-15), so every list follows a change. b.N counts iterations (two
// requests).
func BenchmarkChangingFlow(b *testing.B) {
	h := flowHandler()
	var doc struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(flowCall(b, h, http.MethodGet, "/api/catalog-items", nil), &doc); err != nil || len(doc.Data) == 0 {
		b.Fatal("no items", err)
	}
	id := doc.Data[0].ID
	target := "/api/catalog-items/" + url.PathEscape(id)
	w := &sink{}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		body := fmt.Sprintf(`{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"bench %d"}}}`, id, n)
		flowSend(b, h, w, http.MethodPatch, target, []byte(body))
		flowSend(b, h, w, http.MethodGet, "/api/catalog-items", nil)
	}
}

// BenchmarkCreatingFlow is scripts/bench's creating row in process: POST a
// bulk-create job of 10 items, then GET it with include=items until it is
// complete (the third poll). b.N counts iterations (four requests).
func BenchmarkCreatingFlow(b *testing.B) {
	h := flowHandler()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		var sb strings.Builder
		sb.WriteString(`{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[`)
		for j := range 10 {
			if j > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"type":"catalog-item","attributes":{"external_id":"BENCH-%d-%d","title":"Bench item %d","description":"d",`+
				`"url":"https://bench.example/%d-%d","price":%d.5}}`, n, j, j, n, j, j+1)
		}
		sb.WriteString(`]}}}}`)
		var job struct{ Data struct{ ID string } }
		if err := json.Unmarshal(flowCall(b, h, http.MethodPost, "/api/catalog-item-bulk-create-jobs", []byte(sb.String())), &job); err != nil {
			b.Fatal(err)
		}
		target := "/api/catalog-item-bulk-create-jobs/" + url.PathEscape(job.Data.ID) + "?include=items"
		for poll := 0; ; poll++ {
			if bytes.Contains(flowCall(b, h, http.MethodGet, target, nil), []byte(`"status":"complete"`)) {
				break
			}
			if poll == 10 {
				b.Fatal("the job never completed")
			}
		}
	}
}
