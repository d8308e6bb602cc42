package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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
func flowHandler() *Handler { return flowHandlerJournal(1000) }

// flowHandlerJournal is flowHandler with a journal of that many entries.
func flowHandlerJournal(entries int) *Handler {
	clk := clock.New()
	st := store.New(store.Options{Seed: 1, Now: clk.Now, Lifecycle: store.Lifecycle{Mode: store.Polls, Polls: 3},
		Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 1000, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})})
	return New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1,
		RateLimits: limiter.Policy{Burst: 1 << 30, Steady: 1 << 30}, Journal: journal.New(journal.Options{Entries: entries})})
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
// complete (the third poll). b.N counts iterations (four requests). The
// harness reuses its requests and its writer (flowClient), so what a
// profile shows is the server's.
func BenchmarkCreatingFlow(b *testing.B) {
	h := flowHandler()
	c := newFlowClient(h)
	var body []byte
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		body = appendCreateBody(body[:0], n)
		answer := c.call(b, http.MethodPost, "/api/catalog-item-bulk-create-jobs", "", body)
		id := jobID(answer)
		if id == "" {
			b.Fatalf("no job id in %.300s", answer)
		}
		path := "/api/catalog-item-bulk-create-jobs/" + id
		for poll := 0; ; poll++ {
			if bytes.Contains(c.call(b, http.MethodGet, path, "include=items", nil), []byte(`"status":"complete"`)) {
				break
			}
			if poll == 10 {
				b.Fatal("the job never completed")
			}
		}
	}
}

// appendCreateBody appends the body of iteration n's bulk-create job of
// ten items.
func appendCreateBody(b []byte, n int) []byte {
	b = append(b, `{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[`...)
	for j := range 10 {
		if j > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"type":"catalog-item","attributes":{"external_id":"BENCH-%d-%d","title":"Bench item %d","description":"d",`+
			`"url":"https://bench.example/%d-%d","price":%d.5}}`, n, j, j, n, j, j+1)
	}
	return append(b, `]}}}}`...)
}

// jobID returns the top-level data id of a job document ("" when none):
// the first "id" member, which a job's data holds before its items'.
func jobID(doc []byte) string {
	const key = `"data":{"type":"catalog-item-bulk-create-job","id":"`
	i := bytes.Index(doc, []byte(key))
	if i < 0 {
		return ""
	}
	rest := doc[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// flowClient serves requests of a flow with one request value and one
// writer, reset for each call: a benchmark of it measures the server, not
// httptest's parsing of a request line and a recorder per request.
type flowClient struct {
	h    *Handler
	req  http.Request
	url  url.URL
	hd   http.Header
	body bytes.Reader
	w    keeper
}

func newFlowClient(h *Handler) *flowClient {
	r := flowRequest(http.MethodGet, "/", nil)
	return &flowClient{h: h, req: *r, url: *r.URL, hd: r.Header.Clone()}
}

// call serves one request and returns the answer's body (valid until the
// next call); the status must be 2xx.
func (c *flowClient) call(b testing.TB, method, path, query string, body []byte) []byte {
	r := &c.req
	r.Method = method
	c.url.Path, c.url.RawQuery = path, query
	r.URL = &c.url
	r.RequestURI = c.url.RequestURI()
	r.Header = c.hd
	delete(r.Header, "Content-Type")
	r.ContentLength = int64(len(body))
	r.Body = http.NoBody
	if body != nil {
		r.Header["Content-Type"] = contentTypeJSONAPI
		c.body.Reset(body)
		r.Body = io.NopCloser(&c.body)
	}
	c.w.reset()
	c.h.ServeHTTP(&c.w, r)
	if c.w.code/100 != 2 {
		b.Fatalf("%s %s: %d %.300s", method, path, c.w.code, c.w.buf.Bytes())
	}
	return c.w.buf.Bytes()
}

var contentTypeJSONAPI = []string{"application/vnd.api+json"}

// keeper is a sink that keeps the body, in a buffer reused from call to
// call.
type keeper struct {
	sink
	buf bytes.Buffer
}

func (k *keeper) Write(p []byte) (int, error) {
	k.buf.Write(p)
	return k.sink.Write(p)
}

// WriteString is Write for a string, as net/http's writer has it.
func (k *keeper) WriteString(p string) (int, error) {
	k.buf.WriteString(p)
	return k.sink.WriteString(p)
}

func (k *keeper) reset() {
	k.sink.reset()
	k.buf.Reset()
}
