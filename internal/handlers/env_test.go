package handlers

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// testKey is a well-formed private key.
const testKey = "pk_0123456789abcdef0123456789abcdef01"

// testNow is the frozen server clock of the scenario tests.
var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// env is one emulator behind an httptest server on 127.0.0.1.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	clock *clock.Clock
	store *store.Store
	h     *Handler
}

type envOption func(*Options, *store.Options)

func withJobs(n int) envOption {
	return func(_ *Options, so *store.Options) {
		so.Seeder = fixtures.Seeder(fixtures.Params{Seed: so.Seed, Jobs: n, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})
	}
}

func withRateLimits(p limiter.Policy) envOption {
	return func(o *Options, _ *store.Options) { o.RateLimits = p }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	clk := clock.NewFrozen(testNow)
	so := store.Options{Seed: 1, Now: clk.Now, MaxAccounts: 100}
	so.Seeder = fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 250, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}})
	// The clock is frozen, so the burst window never passes: scenario tests
	// run without rate limits unless they ask for them (withRateLimits).
	ho := Options{Clock: clk, Resources: resource.Default(), Seed: 1, RateLimits: limiter.Policy{Off: true}}
	for _, o := range opts {
		o(&ho, &so)
	}
	ho.Store = store.New(so)
	h := New(ho)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, clock: clk, store: ho.Store, h: h}
}

// resp is a response read whole.
type resp struct {
	status int
	header http.Header
	body   []byte
	method string
	path   string
	rev    string
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
// value leaves the header out).
func (e *env) req(method, target string, body io.Reader, hdr ...string) *resp {
	e.t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = e.srv.URL + target
	}
	r, err := http.NewRequest(method, target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	set := map[string]bool{}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ":")
		set[http.CanonicalHeaderKey(k)] = true
		if v = strings.Trim(v, " \t"); v != "" {
			r.Header.Set(k, v)
		}
	}
	if !set["Revision"] {
		r.Header.Set("revision", "2026-07-15")
	}
	if !set["Authorization"] {
		r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	}
	res, err := e.srv.Client().Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	out := &resp{status: res.StatusCode, header: res.Header, body: b, method: method, path: r.URL.Path, rev: r.Header.Get("revision")}
	e.autoValidate(r, out)
	return out
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
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	r := &resp{status: res.StatusCode, header: res.Header, method: method, path: path}
	if r.body, err = io.ReadAll(res.Body); err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) get(target string, hdr ...string) *resp {
	e.t.Helper()
	return e.req(http.MethodGet, target, nil, hdr...)
}

// validate checks r against the OpenAPI document of revision rev (the
// exact revision that served it), with the sparse fieldsets the request sent.
func validate(t *testing.T, r *resp, rev string) {
	t.Helper()
	u, _ := url.Parse(r.path)
	spectest.Validate(t, spectest.Response{
		Revision:    rev,
		Method:      r.method,
		Path:        u.Path,
		Status:      r.status,
		ContentType: r.header.Get("Content-Type"),
		Body:        r.body,
	})
}

// validateSparse is validate for a request with sparse fieldsets.
func validateSparse(t *testing.T, r *resp, rev string, jobFields, itemFields []string) {
	t.Helper()
	spectest.Validate(t, spectest.Response{
		Revision: rev, Method: r.method, Path: r.path, Status: r.status,
		ContentType: r.header.Get("Content-Type"), Body: r.body,
		Fields: jobFields, IncludedFields: itemFields,
	})
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

// strip removes the server's own address from a body, so bodies of two
// servers compare.
func (e *env) strip(r *resp) string {
	return strings.ReplaceAll(string(r.body), e.srv.URL, "")
}

// urlEscape percent-encodes a query value.
func urlEscape(s string) string { return url.QueryEscape(s) }

// escapeBrackets percent-encodes [ and ] so Go's client sends them.
func escapeBrackets(q string) string {
	return strings.NewReplacer("[", "%5B", "]", "%5D").Replace(q)
}

// b64 is unpadded standard base64, the form of Klaviyo's cursors.
func b64(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }

// cursorAfterFirstPage returns the page[cursor] of the first page's next link.
func cursorAfterFirstPage(t *testing.T, e *env, rev string) string {
	t.Helper()
	r := e.get(listPath, "revision: "+rev)
	next, _ := r.doc(t)["links"].(map[string]any)["next"].(string)
	return cursorOf(t, next)
}

// cursorOf extracts page[cursor] from a link, percent-encoded for reuse.
func cursorOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || link == "" {
		t.Fatalf("bad link %q", link)
	}
	return url.QueryEscape(u.Query().Get("page[cursor]"))
}

// journalFilterAll selects every journal entry.
var journalFilterAll = journal.Filter{}

// endpointOf returns the registry endpoint a request addresses: a
// resource's collection or one resource, a related list or a
// relationship endpoint (the path may end with a slash).
func endpointOf(method, escapedPath string) (resource.Endpoint, bool) {
	segs := strings.Split(strings.TrimSuffix(escapedPath, "/"), "/")
	if len(segs) < 3 || segs[0] != "" || (segs[1] != "api" && segs[1] != "client") {
		return resource.Endpoint{}, false
	}
	named := resource.Default().Named
	if segs[1] == "client" {
		named = resource.Default().ClientNamed
	}
	res, ok := named(segs[2])
	if !ok {
		return resource.Endpoint{}, false
	}
	ep := resource.Endpoint{Res: res}
	byMethod := func(ops map[string]resource.Op) bool {
		op, ok := ops[method]
		ep.Op = op
		return ok
	}
	switch {
	case len(segs) == 3:
		ok = byMethod(map[string]resource.Op{"GET": resource.OpList, "POST": resource.OpCreate})
	case len(segs) == 4:
		ok = byMethod(map[string]resource.Op{"GET": resource.OpGet, "PATCH": resource.OpUpdate, "DELETE": resource.OpDelete})
	case len(segs) == 5:
		ep.Rel, ok = res.Relation(segs[4])
		ok = ok && byMethod(map[string]resource.Op{"GET": resource.OpRelated})
	case len(segs) == 6 && segs[4] == "relationships":
		ep.Rel, ok = res.Relation(segs[5])
		ok = ok && byMethod(map[string]resource.Op{"GET": resource.OpRelIDs, "POST": resource.OpRelAdd,
			"PATCH": resource.OpRelSet, "DELETE": resource.OpRelRemove})
	default:
		ok = false
	}
	return ep, ok
}

// specFields returns the fields[...] lists a request sent for the type
// the endpoint renders and for its included type (nil when not sent).
func specFields(req *http.Request, q resource.Query) (own, included []string) {
	get := func(res *resource.Resource) []string {
		if res == nil {
			return nil
		}
		if v, ok := req.URL.Query()["fields["+res.Type+"]"]; ok {
			return strings.Split(v[len(v)-1], ",")
		}
		return nil
	}
	return get(q.Fields), get(q.Included)
}

// autoValidate checks every response of an operation the spec declares
// against the OpenAPI document of the revision that served it (the newest
// one for requests refused before a revision was resolved), with the
// request's sparse fieldsets.
func (e *env) autoValidate(req *http.Request, r *resp) {
	e.t.Helper()
	ep, ok := endpointOf(req.Method, req.URL.EscapedPath())
	if !ok || r.status == http.StatusMethodNotAllowed {
		return
	}
	revs := e.h.opts.Resources.Revisions()
	p := revs.Newest()
	if rp, err := revs.Resolve(strings.Join(req.Header.Values("revision"), ","), revision.ResolveOptions{
		Today: e.clock.Now(), Retire: e.h.opts.RetireRevisions, OptOut: req.Header.Get(revision.OptOutHeader),
	}); err == nil {
		p = rp
	}
	if _, ok := ep.At(p); !ok {
		return // the revision has no such operation: Klaviyo's 404, which its spec does not describe
	}
	var own, included []string
	if r.status < 300 {
		own, included = specFields(req, ep.Query(p))
	}
	spectest.Validate(e.t, spectest.Response{
		Revision: p.Date, Method: req.Method, Path: req.URL.EscapedPath(), Status: r.status,
		ContentType: r.header.Get("Content-Type"), Body: r.body,
		Fields: own, IncludedFields: included,
	})
}

// snapshot returns the item update jobs and the catalog items of a.
func snapshot(t testing.TB, a *store.Account) ([]*store.Job, []*store.Entity) {
	t.Helper()
	jobs, err := a.AllJobs(jobItemUpdate)
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.AllEntities(itemKind)
	if err != nil {
		t.Fatal(err)
	}
	return jobs, items
}

// updateJobs is the item update job resource.
var updateJobs = func() *resource.Resource {
	r, _ := resource.Default().Named("catalog-item-bulk-update-jobs")
	return r
}()

// ujp is the item update job resource at revision p.
func ujp(p *revision.Profile) *resource.Profile { return updateJobs.At(p) }
