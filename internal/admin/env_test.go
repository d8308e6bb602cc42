package admin_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/handlers"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// The control API is served by the handlers' one router, behind its
// middleware (request ids, the journal, body admission): these tests run
// it so, as the server does.

// testKey is a well-formed private key.
const testKey = "pk_0123456789abcdef0123456789abcdef01"

// listPath is the item update jobs' list.
const listPath = "/api/catalog-item-bulk-update-jobs"

// testNow is the frozen server clock.
var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var variantKind, categoryKind = storetest.VariantKind, storetest.CategoryKind

// env is one emulator behind an httptest server on 127.0.0.1.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	clock *clock.Clock
	store *store.Store
}

type envOption func(*handlers.Options, *store.Options)

func withLifecycle(l store.Lifecycle) envOption {
	return func(_ *handlers.Options, so *store.Options) { so.Lifecycle = l }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	clk := clock.NewFrozen(testNow)
	so := store.Options{Seed: 1, Now: clk.Now, MaxAccounts: 100}
	so.Seeder = fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 250, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})
	ho := handlers.Options{Clock: clk, Resources: resource.Default(), Seed: 1, RateLimits: limiter.Policy{Off: true}}
	for _, o := range opts {
		o(&ho, &so)
	}
	ho.Store = store.New(so)
	srv := httptest.NewServer(handlers.New(ho))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, clock: clk, store: ho.Store}
}

// resp is a response read whole.
type resp struct {
	status int
	header http.Header
	body   []byte
	method string
	path   string
}

// doc decodes the body as JSON.
func (r *resp) doc(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v\n%s", r.method, r.path, err, r.body)
	}
	return m
}

// req sends a request; hdr is "Name: value" pairs. Revision and
// Authorization default to 2026-07-15 and testKey unless given (an empty
// value leaves the header out). An API
// answer that succeeded is checked against its revision's spec.
func (e *env) req(method, target string, body io.Reader, hdr ...string) *resp {
	e.t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	set := map[string]bool{}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ":")
		set[http.CanonicalHeaderKey(k)] = true
		if v = strings.TrimSpace(v); v != "" {
			r.Header.Set(k, v)
		}
	}
	if !set["Revision"] {
		r.Header.Set("revision", "2026-07-15")
	}
	if !set["Authorization"] {
		r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	}
	out := e.do(r, target)
	if strings.HasPrefix(target, "/api/") && out.status < 300 {
		spectest.Validate(e.t, spectest.Response{Revision: r.Header.Get("revision"), Method: method, Path: r.URL.EscapedPath(),
			Status: out.status, ContentType: out.header.Get("Content-Type"), Body: out.body})
	}
	return out
}

func (e *env) get(target string, hdr ...string) *resp {
	e.t.Helper()
	return e.req(http.MethodGet, target, nil, hdr...)
}

// adminReq sends a control API request with the given Host header.
func (e *env) adminReq(method, path, host, body string) *resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+admin.Prefix+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if host != "" {
		req.Host = host
	}
	return e.do(req, path)
}

// do sends req and reads the answer whole.
func (e *env) do(req *http.Request, path string) *resp {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	r := &resp{status: res.StatusCode, header: res.Header, method: req.Method, path: path}
	if r.body, err = io.ReadAll(res.Body); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// wantError asserts a Klaviyo-shaped error document.
func wantError(t *testing.T, r *resp, status int, code string, source map[string]any) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.method, r.path, r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != revision.JSONAPI {
		t.Fatalf("error content type %q", ct)
	}
	errs, _ := r.doc(t)["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no errors[] in %s", r.body)
	}
	e := errs[0].(map[string]any)
	if e["code"] != code || e["status"] != float64(status) {
		t.Fatalf("error code %v status %v, want %s %d\n%s", e["code"], e["status"], code, status, r.body)
	}
	for _, k := range []string{"id", "title", "detail"} {
		if s, _ := e[k].(string); s == "" {
			t.Fatalf("error lacks %s: %s", k, r.body)
		}
	}
	if source != nil {
		got, _ := json.Marshal(e["source"])
		want, _ := json.Marshal(source)
		if string(got) != string(want) {
			t.Fatalf("error source %s, want %s", got, want)
		}
	}
	return e
}

// jobIDOf returns a job's id in either revision shape.
func jobIDOf(job map[string]any) string {
	if id, ok := job["id"].(string); ok {
		return id
	}
	return job["attributes"].(map[string]any)["job_id"].(string)
}

// entityIDs returns the ids of a's entities of kind k.
func entityIDs(t *testing.T, a *store.Account, k store.EntityKind) []string {
	t.Helper()
	es, err := a.AllEntities(k)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// jobBody builds a job POST body at revision rev for resource res: its
// elements wrapped as the revision wants (a plain array up to 2023-06-15,
// {data: [...]} after).
func jobBody(t *testing.T, res *resource.Resource, rev string, elements ...map[string]any) []byte {
	t.Helper()
	p, _ := revision.Default().Exact(rev)
	var list any = elements
	if res.At(p).BodyWrapped {
		list = map[string]any{"data": elements}
	}
	b, err := json.Marshal(map[string]any{"data": map[string]any{"type": res.Type,
		"attributes": map[string]any{res.Job.Kind.Entity().Plural(): list}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
