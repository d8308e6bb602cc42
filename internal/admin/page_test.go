package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/handlers"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func withRateLimits(p limiter.Policy) envOption {
	return func(o *handlers.Options, _ *store.Options) { o.RateLimits = p }
}

// adminSend sends a control API request with headers hdr ("Name: value").
func (e *env) adminSend(method, path, body string, hdr ...string) *resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/__admin"+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Content-Type", "application/json") // control writes are JSON, even without a body
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	return e.do(req, path)
}

// TestIndex_ListsTheRoutesAndThePage: /__admin and /__admin/ answer an
// index of the control routes and the page, HTML for a browser and JSON
// otherwise; the page itself is served at /__admin/ui/.
func TestIndex_ListsTheRoutesAndThePage(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"", "/"} {
		r := e.adminSend("GET", path, "")
		if r.status != 200 || !strings.Contains(string(r.body), `"page":"/__admin/ui/"`) {
			t.Fatalf("GET /__admin%s: %d %.300s", path, r.status, r.body)
		}
		html := e.adminSend("GET", path, "", "Accept: text/html")
		if ct := html.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") ||
			!strings.Contains(string(html.body), `href="/__admin/ui/"`) {
			t.Fatalf("GET /__admin%s as a browser: %s %.300s", path, ct, html.body)
		}
	}
	page := e.adminSend("GET", "/ui/", "")
	if page.status != 200 || !strings.Contains(string(page.body), "<script type=\"module\" src=\"app.js\">") {
		t.Fatalf("the page: %d %.300s", page.status, page.body)
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("the page loads from other hosts: CSP %q", csp)
	}
	if js := e.adminSend("GET", "/ui/app.js", ""); js.status != 200 || !strings.Contains(js.header.Get("Content-Type"), "javascript") {
		t.Fatalf("app.js: %d %s", js.status, js.header.Get("Content-Type"))
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/__admin/ui", nil)
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/__admin/ui/" {
		t.Fatalf("/__admin/ui: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestPage_ItsOwnOriginMayWriteOthersMayNot: the page's own writes carry
// its origin (the server's own host), which the guard lets through;
// another page's origin is still refused before anything happens.
func TestPage_ItsOwnOriginMayWriteOthersMayNot(t *testing.T) {
	e := newEnv(t)
	own := "http://" + strings.TrimPrefix(e.srv.URL, "http://")
	if r := e.adminSend("POST", "/clock", `{"advance":"1s"}`, "Origin: "+own); r.status != 200 {
		t.Fatalf("the page's own write: %d %s", r.status, r.body)
	}
	if r := e.adminSend("POST", "/clock", `{"advance":"1s"}`, "Origin: http://evil.example"); r.status != 403 {
		t.Fatalf("another origin's write: %d %s", r.status, r.body)
	}
}

// TestAPIOnBehalf_ReadsAndWritesAsTheAPIButUncountedUnfaultedUnjournaled:
// /__admin/accounts/{key}/api/… is the API itself for that account (its
// filters, pages, documents), without a credential, never rate-limited or
// faulted, and never in the journal.
func TestAPIOnBehalf_ReadsAndWritesAsTheAPIButUncountedUnfaultedUnjournaled(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Scale: 0.001}))
	if r := e.adminSend("POST", "/faults", `{"status":503}`); r.status != 201 {
		t.Fatalf("fault: %d %s", r.status, r.body)
	}
	base := "/accounts/" + testKey + "/api/catalog-items"
	var first string
	for i := 0; i < 3; i++ { // the scaled limit is 1 a second
		r := e.adminSend("GET", base+"?page%5Bsize%5D=2", "")
		if r.status != 200 {
			t.Fatalf("read %d on the account's behalf: %d %.300s", i, r.status, r.body)
		}
		if r.header.Get("RateLimit-Limit") != "" {
			t.Fatalf("a control read carries rate-limit headers: %v", r.header)
		}
		var doc struct {
			Data []struct{ ID string } `json:"data"`
		}
		_ = json.Unmarshal(r.body, &doc)
		if len(doc.Data) != 2 {
			t.Fatalf("page[size]=2 gave %d items", len(doc.Data))
		}
		first = doc.Data[0].ID
	}
	patch := `{"data":{"type":"catalog-item","id":"` + first + `","attributes":{"title":"From the page"}}}`
	one := base + "/" + strings.ReplaceAll(strings.ReplaceAll(first, "$", "%24"), ":", "%3A")
	if r := e.adminSend("PATCH", one, patch, "Content-Type: application/vnd.api+json"); r.status != 200 ||
		!strings.Contains(string(r.body), "From the page") {
		t.Fatalf("a PATCH on the account's behalf: %d %.300s", r.status, r.body)
	}
	if r := e.adminSend("GET", "/requests", ""); !strings.Contains(string(r.body), `"requests":[]`) {
		t.Fatalf("control reads were journaled: %.300s", r.body)
	}
}

// TestCompleteJobs_CompletesTheJobsInProgressNow: one call completes an
// account's jobs in progress, with their elements applied now.
func TestCompleteJobs_CompletesTheJobsInProgressNow(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Duration, Duration: time.Hour}))
	body := `{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[` +
		`{"type":"catalog-item","attributes":{"external_id":"NOW","title":"Now","description":"d","url":"https://x.example/now"}}]}}}}`
	r := e.req("POST", "/api/catalog-item-bulk-create-jobs", strings.NewReader(body), "Content-Type: application/vnd.api+json")
	if r.status != 202 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	done := e.adminSend("POST", "/accounts/"+testKey+"/jobs/complete", "")
	if done.status != 200 || !strings.Contains(string(done.body), `"completed":1`) {
		t.Fatalf("complete: %d %s", done.status, done.body)
	}
	item := e.get("/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3ANOW")
	if item.status != 200 || !strings.Contains(string(item.body), `"updated":"2026-11-28T12:00:00+00:00"`) {
		t.Fatalf("the created item, applied now: %d %.400s", item.status, item.body)
	}
	if again := e.adminSend("POST", "/jobs/complete", ""); !strings.Contains(string(again.body), `"completed":0`) {
		t.Fatalf("nothing left in progress, but: %s", again.body)
	}
}

// TestLimits_ShowEveryBucketsWindowsAsTheyStand: after a request, its
// operation's bucket shows one fewer left in both windows; nothing else is
// counted by looking.
func TestLimits_ShowEveryBucketsWindowsAsTheyStand(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{}))
	if r := e.get(listPath); r.status != 200 {
		t.Fatalf("list: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		r := e.adminSend("GET", "/accounts/"+testKey+"/limits", "")
		var doc struct {
			RateLimits string `json:"rate_limits"`
			Buckets    []struct {
				Operation     string
				Burst, Steady struct{ Limit, Remaining int }
			} `json:"buckets"`
		}
		if err := json.Unmarshal(r.body, &doc); err != nil || doc.RateLimits != "klaviyo" || len(doc.Buckets) < 50 {
			t.Fatalf("limits: %v %.300s", err, r.body)
		}
		for _, b := range doc.Buckets {
			used := b.Operation == "get_bulk_update_catalog_items_jobs"
			if left := b.Burst.Limit - b.Burst.Remaining; (left == 1) != used || (b.Steady.Limit-b.Steady.Remaining == 1) != used {
				t.Fatalf("bucket %s: %+v", b.Operation, b)
			}
		}
	}
}

// TestScenarios_OnAndOffInOneCall: a preset adds its labelled rules (the
// next API call shows the error state) and removing it removes them.
func TestScenarios_OnAndOffInOneCall(t *testing.T) {
	e := newEnv(t)
	on := e.adminSend("POST", "/scenarios/rate-limited", "")
	if on.status != 201 || !strings.Contains(string(on.body), `"scenario":"rate-limited"`) {
		t.Fatalf("on: %d %s", on.status, on.body)
	}
	r := e.get(listPath)
	if r.status != 429 || r.header.Get("Retry-After") != "10" {
		t.Fatalf("under rate-limited: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if list := e.adminSend("GET", "/scenarios", ""); !strings.Contains(string(list.body), `"name":"rate-limited"`) ||
		!strings.Contains(string(list.body), `"active":true`) {
		t.Fatalf("list: %s", list.body)
	}
	off := e.adminSend("DELETE", "/scenarios/rate-limited", "")
	if off.status != 200 || !strings.Contains(string(off.body), `"removed":1`) {
		t.Fatalf("off: %d %s", off.status, off.body)
	}
	if r := e.get(listPath); r.status != 200 {
		t.Fatalf("after off: %d", r.status)
	}
	if unknown := e.adminSend("POST", "/scenarios/nope", ""); unknown.status != 404 ||
		!strings.Contains(string(unknown.body), "rate-limited, slow, flaky, down") {
		t.Fatalf("unknown scenario: %d %s", unknown.status, unknown.body)
	}
}

// TestJournal_KeepsTheAnswerAndShowsWhatIsNew: an entry holds the answer's
// headers (redacted as the request's) and body; ?after=seq returns only
// what came after.
func TestJournal_KeepsTheAnswerAndShowsWhatIsNew(t *testing.T) {
	e := newEnv(t)
	e.get(listPath)
	e.get("/api/catalog-items?page%5Bsize%5D=1")
	var doc struct {
		Requests []struct {
			Seq             uint64
			Path            string
			ResponseHeaders map[string][]string `json:"response_headers"`
			ResponseBody    string              `json:"response_body"`
		} `json:"requests"`
	}
	_ = json.Unmarshal(e.adminSend("GET", "/requests", "").body, &doc)
	if len(doc.Requests) != 2 {
		t.Fatalf("%d entries", len(doc.Requests))
	}
	got := doc.Requests[1]
	if !strings.Contains(got.ResponseBody, `"type":"catalog-item"`) || got.ResponseHeaders["X-Klaviyo-Req-Id"] == nil {
		t.Fatalf("the answer is not kept: %+v", got)
	}
	_ = json.Unmarshal(e.adminSend("GET", "/requests?after="+jsonNumber(doc.Requests[0].Seq), "").body, &doc)
	if len(doc.Requests) != 1 || doc.Requests[0].Path != "/api/catalog-items" {
		t.Fatalf("after the first: %+v", doc.Requests)
	}
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }
