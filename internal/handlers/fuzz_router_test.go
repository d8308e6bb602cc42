package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// fuzzMethods are the methods the router fuzz target picks from.
var fuzzMethods = []string{"GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"}

// FuzzRouter sends arbitrary requests through the whole router, in-process,
// and checks the invariants every answer must keep:
//   - no 5xx unless a Prefer header asked for it;
//   - every error is a Klaviyo-shaped JSON:API document (errors[] with
//     id, status, code, title, detail), the status of the first error;
//   - every 2xx of a declared API operation is valid against the OpenAPI
//     document of the revision that served it;
//   - the journal and the accounts stay within their byte budgets;
//   - a credential with a byte outside printable ASCII (the generator's
//     odd parameter puts one in, see withOdd) is a 401 wherever the request
//     reaches authentication, and never makes an account
//     (checkOddCredential).
//
// go test runs the seed corpus (the f.Add calls and testdata/fuzz); run
// `go test -fuzz=FuzzRouter ./internal/handlers/` (or scripts/fuzz) to
// explore.
func FuzzRouter(f *testing.F) {
	list := "/api/catalog-item-bulk-update-jobs"
	body := `{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::X","attributes":{"title":"t"}}]}}}}`
	for _, s := range []struct {
		method                             uint8
		path, query, rev, auth, ct, prefer string
		body                               string
		odd                                uint8
	}{
		{0, list, "", "2026-07-15", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{0, list + "/", "filter=equals(status,'queued')&fields%5Bcatalog-item-bulk-update-job%5D=status", "2022-10-17", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{0, list, "page%5Bcursor%5D=bmV4dDo6aWQ6OjAx", "2024-10-15", "Bearer tok", "", "", "", 0},
		{0, list + "/01ZZZZZZZZZZZZZZZZZZZZZZZZ", "include=items", "2026-04-15", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{1, list, "", "2026-07-15", "Klaviyo-API-Key pk_f", "application/vnd.api+json", "", body, 0},
		{1, list, "", "2023-02-22", "Klaviyo-API-Key pk_f", "application/json", "", `{"data":{"type":"x"}}`, 0},
		{0, list, "", "2026-07-15", "Klaviyo-API-Key pk_f", "", "code=503", "", 0},
		{0, list, "", "2026-07-15", "Klaviyo-API-Key pk_f", "", "code=429", "", 0},
		{4, "/__admin/accounts/pk_f/jobs", "", "", "", "application/json", "", `{"jobs":[]}`, 0},
		{1, "/__admin/clock", "", "", "", "application/json", "", `{"advance":"1h"}`, 0},
		{0, "/__admin/requests", "limit=3", "", "", "", "", "", 0},
		{1, "/__admin/reset", "", "", "", "application/json", "", `{"jobs":10000000}`, 0},
		{0, "/api/unknown", "", "", "", "", "", "", 0},
		{6, list, "", "garbage", "nope", "text/plain", "code=42", "\x00\xff", 0},
		{0, "/api/catalog-items", "filter=any(ids,['$custom:::$default:::A']),equals(published,true)&sort=-created&page%5Bsize%5D=3&include=variants",
			"2026-04-15", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{0, "/api/catalog-variants/", "filter=equals(item,'x')", "2023-06-15", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{0, "/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AX/variants", "", "2026-07-15", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{1, "/api/catalog-items", "", "2026-07-15", "Klaviyo-API-Key pk_f", "application/vnd.api+json", "",
			`{"data":{"type":"catalog-item","attributes":{"external_id":"F","title":"t","description":"d","url":"https://x.example/f"}}}`, 0},
		{6, "/api/catalog-categories/$custom:::$default:::C/relationships/items", "", "2026-07-15", "Klaviyo-API-Key pk_f", "application/vnd.api+json", "",
			`{"data":[{"type":"catalog-item","id":"$custom:::$default:::F"}]}`, 0},
		{5, "/api/catalog-items/$custom:::$default:::F/", "", "2023-02-22", "Klaviyo-API-Key pk_f", "", "", "", 0},
		{0, "/api/catalog-items/$custom:::$default:::F/relationships/x/", "", "2022-10-17", "Klaviyo-API-Key pk_f", "", "", "", 0},
		// Odd credentials: a byte above 0x7E, a Unicode space at the
		// end, a space or a tab inside, on reads and writes.
		{1, "/api/catalog-items", "", "2026-07-15", "Klaviyo-API-Key pk_f", "application/vnd.api+json", "",
			`{"data":{"type":"catalog-item","attributes":{"external_id":"ODD","title":"t","description":"d","url":"https://x.example/o"}}}`, 0xff},
		{0, list, "", "2026-07-15", "Klaviyo-API-Key pk_f", "", "", "", 4},
		{0, "/api/catalog-items", "", "2024-10-15", "Bearer tok", "", "", "", 7},
		{1, list, "", "2026-07-15", "Klaviyo-API-Key pk_f", "application/vnd.api+json", "", body, 3},
		{5, "/api/catalog-items/$custom:::$default:::F", "", "2026-07-15", "Klaviyo-API-Key pk_f", "", "", "", 0x80},
		{0, list, "", "2026-07-15", "Klaviyo-API-Key pk_f\u00a0", "", "", "", 0},
	} {
		f.Add(s.method, s.path, s.query, s.rev, s.auth, s.ct, s.prefer, []byte(s.body), s.odd)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, method uint8, path, rawQuery, rev, auth, ct, prefer string, body []byte, odd uint8) {
		auth = withOdd(auth, odd)
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") || len(path) > 4096 || len(rawQuery) > 4096 ||
			!requestTarget(path+rawQuery) {
			return // not a request line a client can send
		}
		m := fuzzMethods[int(method)%len(fuzzMethods)]
		req, err := http.NewRequest(m, "http://127.0.0.1"+path+"?"+rawQuery, bytes.NewReader(body))
		if err != nil || !validHeaderValues(rev, auth, ct, prefer) {
			return
		}
		req.Host = "127.0.0.1:8080"
		req.RemoteAddr = "127.0.0.1:1"
		for k, v := range map[string]string{"revision": rev, "Authorization": auth, "Content-Type": ct, "Prefer": prefer} {
			if v != "" {
				req.Header.Set(k, v)
			}
		}
		before, _ := e.store.Keys()
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		checkInvariants(t, e, req, rec, prefer)
		checkOddCredential(t, e, req, rec, len(before))
	})
}

// requestTarget reports whether s can be part of an HTTP/1.1 request
// target: no spaces or control characters (a server refuses the request
// line otherwise, before any handler runs).
func requestTarget(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// fuzzEnv is one handler for the whole fuzz run (no network).
type fuzzEnv struct {
	h       *Handler
	store   *store.Store
	journal *journal.Journal
}

func newFuzzEnv(tb testing.TB) *fuzzEnv {
	tb.Helper()
	clk := clock.NewFrozen(testNow)
	p := fixtures.Params{Seed: 1, Jobs: 120, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}}
	st := store.New(store.Options{Seed: 1, Now: clk.Now, Seeder: fixtures.Seeder(p), SeedBytes: fixtures.Estimates(p),
		MaxBytes: 16 << 20, MaxAccounts: 50})
	j := journal.New(journal.Options{Entries: 200, Bytes: 1 << 20})
	h := New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1, Journal: j,
		RateLimits: limiter.Policy{Off: true}, BodyBytes: 32 << 20})
	return &fuzzEnv{h: h, store: st, journal: j}
}

func validHeaderValues(vs ...string) bool {
	for _, v := range vs {
		for i := 0; i < len(v); i++ {
			if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
				return false
			}
		}
		if len(v) > 2048 {
			return false
		}
	}
	return true
}

func checkInvariants(t *testing.T, e *fuzzEnv, req *http.Request, rec *httptest.ResponseRecorder, prefer string) {
	t.Helper()
	status := rec.Code
	asked := 0
	if code, _, ok := strings.Cut(strings.TrimSpace(prefer), "="); ok && strings.EqualFold(strings.TrimSpace(code), "code") {
		asked, _ = strconv.Atoi(strings.Trim(strings.TrimSpace(prefer[strings.Index(prefer, "=")+1:]), `"`))
	}
	if status >= 500 && !(strings.Contains(strings.ToLower(prefer), "code") && asked >= 500) {
		t.Fatalf("%s %s?%s: %d without a Prefer asking for it\n%s", req.Method, req.URL.Path, req.URL.RawQuery, status, rec.Body.Bytes())
	}
	ctype := rec.Header().Get("Content-Type")
	bodyOut := rec.Body.Bytes()
	if status >= 400 && req.Method != http.MethodHead {
		var doc struct {
			Errors []map[string]any `json:"errors"`
		}
		if err := json.Unmarshal(bodyOut, &doc); err != nil || len(doc.Errors) == 0 {
			t.Fatalf("%s %s: %d is not an error document (%v): %q", req.Method, req.URL.Path, status, err, bodyOut)
		}
		if ctype != revision.JSONAPI {
			t.Fatalf("%s %s: error content type %q", req.Method, req.URL.Path, ctype)
		}
		first := doc.Errors[0]
		if first["status"] != float64(status) {
			t.Fatalf("%s %s: status %d, first error says %v", req.Method, req.URL.Path, status, first["status"])
		}
		for _, er := range doc.Errors {
			for _, k := range []string{"id", "code", "title", "detail"} {
				if s, _ := er[k].(string); s == "" {
					t.Fatalf("%s %s: error without %s: %s", req.Method, req.URL.Path, k, bodyOut)
				}
			}
		}
	}
	if ep, ok := endpointOf(req.Method, req.URL.EscapedPath()); ok && status < 300 {
		rev := req.Header.Get("revision")
		if p, err := e.h.opts.Resources.Revisions().Resolve(rev, revision.ResolveOptions{Today: e.h.opts.Clock.Now()}); err == nil {
			own, included := specFields(req, ep.Query(p))
			if err := spectest.Check(spectest.Response{Revision: p.Date, Method: req.Method, Path: req.URL.EscapedPath(), Status: status,
				ContentType: ctype, Body: bodyOut, Fields: own, IncludedFields: included}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if used, limit := e.store.Used(); used > limit {
		t.Fatalf("accounts hold %d bytes, budget %d", used, limit)
	}
	if b := e.journal.Bytes(); b > 1<<20 {
		t.Fatalf("journal holds %d bytes, budget %d", b, 1<<20)
	}
}
