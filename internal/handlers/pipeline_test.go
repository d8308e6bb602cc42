package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func TestRevision_ErrorsAreKlaviyoShaped(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, rev string
		status    int
		code      string
		detail    string
	}{
		{"missing", "", 400, "invalid", apierror.DetailMissingRevision},
		{"garbage", "abc", 400, "invalid", `"abc" is not a valid revision`},
		{"impossible date", "2024-13-45", 400, "invalid", "not a valid revision"},
		{"future", "2026-11-29", 400, "invalid", "2026-11-28"},
		{"before the first", "2022-10-16", 404, "not_found", apierror.DetailNoValidRevision},
		{"beta", "2024-10-15.pre", 404, "not_found", apierror.DetailNoValidRevision},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.get(listPath, "revision: "+c.rev)
			er := wantError(t, r, c.status, c.code, map[string]any{"parameter": "revision"})
			if !strings.Contains(er["detail"].(string), c.detail) {
				t.Fatalf("detail %q lacks %q", er["detail"], c.detail)
			}
			if r.header.Get("RateLimit-Limit") != "" {
				t.Fatal("a refused revision carries rate-limit headers")
			}
		})
	}
}

func TestRevision_DatesBetweenRevisionsResolveToTheOneBefore(t *testing.T) {
	e := newEnv(t)
	cases := map[string]string{
		"2023-12-14": "2023-10-15", // still job_id
		"2023-12-15": "2023-12-15",
		"2024-11-01": "2024-10-15",
		"2026-10-15": "2026-07-15",
	}
	for asked, served := range cases {
		r := e.get(listPath, "revision: "+asked)
		if r.status != 200 {
			t.Fatalf("%s: status %d", asked, r.status)
		}
		validate(t, r, served)
	}
}

func TestRevision_RetirementIsOptIn(t *testing.T) {
	plain := newEnv(t)
	if r := plain.get(listPath, "revision: 2022-10-17"); r.status != 200 {
		t.Fatalf("2022-10-17 refused without --retire-revisions: %d", r.status)
	}
	e := newEnv(t, func(o *Options, _ *store.Options) { o.RetireRevisions = true })
	// On 2026-11-28 every revision up to 2024-10-15 is two years old; the
	// oldest live one is 2025-01-15.
	r := e.get(listPath, "revision: 2022-10-17")
	validate(t, r, "2025-01-15")
	if ct := r.header.Get("Content-Type"); ct != "application/vnd.api+json" {
		t.Fatalf("fell forward but served %q", ct)
	}
	r = e.get(listPath, "revision: 2022-10-17", "X-Klaviyo-Revision-Fall-Forward-Opt-Out: 1")
	wantError(t, r, 410, "gone", map[string]any{"parameter": "revision"})
	validate(t, e.get(listPath, "revision: 2025-04-15"), "2025-04-15")
	// The clock decides: set back to 2024, 2022-10-17 is live again.
	e.clock.Set(testNow.AddDate(-2, 0, 0))
	validate(t, e.get(listPath, "revision: 2022-10-17"), "2022-10-17")
}

func TestAuth_MissingOrWrongSchemeIsNotAuthenticated(t *testing.T) {
	e := newEnv(t)
	for _, auth := range []string{"Authorization:", "Authorization: Basic dXNlcjpwYXNz", "Authorization: pk_" + strings.Repeat("a", 34), "Authorization: Bearer"} {
		r := e.get(listPath, auth)
		er := wantError(t, r, 401, "not_authenticated", map[string]any{"pointer": "/data/"})
		if er["detail"] != apierror.DetailWrongScheme || er["title"] != apierror.TitleNotAuthenticated {
			t.Fatalf("%s: %v", auth, er)
		}
	}
}

func TestAuth_KeyWithoutPkPrefixFails(t *testing.T) {
	e := newEnv(t)
	r := e.get(listPath, "Authorization: Klaviyo-API-Key sk_123")
	er := wantError(t, r, 401, "authentication_failed", map[string]any{"pointer": "/data/"})
	if er["detail"] != apierror.TitleAuthenticationFailed {
		t.Fatalf("detail %v", er["detail"])
	}
	validate(t, r, "2026-07-15")
}

func TestAuth_StrictKeysChecksTheFormat(t *testing.T) {
	loose := newEnv(t)
	if r := loose.get(listPath, "Authorization: Klaviyo-API-Key pk_short"); r.status != 200 {
		t.Fatalf("loose: status %d", r.status)
	}
	e := newEnv(t, func(o *Options, _ *store.Options) { o.StrictKeys = true })
	for _, key := range []string{"pk_short", "pk_0123456789ABCDEF0123456789abcdef01", testKey + "0"} {
		wantError(t, e.get(listPath, "Authorization: Klaviyo-API-Key "+key), 401, "authentication_failed", nil)
	}
	if r := e.get(listPath); r.status != 200 {
		t.Fatalf("well-formed key refused: %d", r.status)
	}
	if r := e.get(listPath, "Authorization: Bearer any.opaque.token"); r.status != 200 {
		t.Fatalf("bearer token checked for format: %d", r.status)
	}
}

func TestAuth_NewKeyRefusedWhenEveryHeldAccountChanged(t *testing.T) {
	e := newEnv(t, func(_ *Options, so *store.Options) { so.MaxAccounts = 2 })
	for i := 0; i < 2; i++ {
		if _, err := e.store.Mutable(fmt.Sprintf("pk_changed%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	r := e.get(listPath, "Authorization: Klaviyo-API-Key pk_new")
	er := wantError(t, r, 403, "permission_denied", nil)
	if !strings.Contains(er["detail"].(string), "--max-accounts") {
		t.Fatalf("detail %q does not say what to do", er["detail"])
	}
	if r := e.get(listPath, "Authorization: Klaviyo-API-Key pk_changed1"); r.status != 200 {
		t.Fatalf("held account refused: %d", r.status)
	}
}

func TestRoutes_UnknownPathIsKlaviyosSpaced404(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/api/catalogs/", "/api/catalog-item-bulk-update-jobs/x/items/", "/"} {
		r := e.get(p)
		er := wantError(t, r, 404, "not_found", nil)
		if er["title"] != "Not found" || er["detail"] != "The path "+p+" could not be found" {
			t.Fatalf("%s: %v", p, er)
		}
		if !strings.HasPrefix(string(r.body), `{"errors": [{"id": `) {
			t.Fatalf("%s: not spaced JSON: %s", p, r.body)
		}
	}
}

func TestRoutes_OptionsAndMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ path, allow string }{
		{listPath, "GET, POST, HEAD, OPTIONS"},
		{listPath + "/01ABC", "GET, HEAD, OPTIONS"},
	}
	for _, c := range cases {
		o := e.req(http.MethodOptions, c.path, nil)
		if o.status != 200 || o.header.Get("Allow") != c.allow || len(o.body) != 0 {
			t.Fatalf("OPTIONS %s: %d Allow=%q", c.path, o.status, o.header.Get("Allow"))
		}
		r := e.req(http.MethodPatch, c.path, nil)
		er := wantError(t, r, 405, "method_not_allowed", nil)
		if r.header.Get("Allow") != c.allow || er["title"] != `Method "PATCH" not allowed.` {
			t.Fatalf("PATCH %s: Allow=%q %v", c.path, r.header.Get("Allow"), er)
		}
	}
}

func TestRoutes_ErrorsUseTheRevisionsErrorShape(t *testing.T) {
	e := newEnv(t)
	old := e.get(listPath+"?sort=x", "revision: 2023-02-22")
	if er := wantError(t, old, 400, "invalid", nil); er["links"] != nil || er["meta"] != nil {
		t.Fatalf("2023 error carries links/meta: %s", old.body)
	}
	validate(t, old, "2023-02-22")
	// From 2024-05-15, as observed: query-parameter errors carry meta only,
	// body errors links and meta, 401 and 404 neither.
	cases := []struct {
		r               *resp
		status          int
		links, metaWant bool
	}{
		{e.get(listPath+"?sort=x", "revision: 2024-05-15"), 400, false, true},
		{e.get(listPath+"?page%5Bsize%5D=1", "revision: 2024-10-15"), 400, false, true},
		{e.post("2024-10-15", []byte(`{"data":{}}`)), 400, true, true},
		{e.get(listPath, "revision: 2024-10-15", "Authorization:"), 401, false, false},
		{e.get(listPath+"/01ZZZZZZZZZZZZZZZZZZZZZZZZ", "revision: 2024-10-15"), 404, false, false},
	}
	for _, c := range cases {
		er := wantError(t, c.r, c.status, er0(c.status), nil)
		if _, ok := er["links"]; ok != c.links {
			t.Errorf("%s %d: links present %v: %s", c.r.path, c.status, ok, c.r.body)
		}
		if _, ok := er["meta"]; ok != c.metaWant {
			t.Errorf("%s %d: meta present %v: %s", c.r.path, c.status, ok, c.r.body)
		}
	}
}

// er0 is the error code of the usual error at status.
func er0(status int) string {
	return map[int]string{400: "invalid", 401: "not_authenticated", 404: "not_found"}[status]
}

func TestRequestID(t *testing.T) {
	for n, want := range map[uint64]string{1: "req-00000001", 12345678: "req-12345678", 123456789: "req-123456789",
		18446744073709551615: "req-18446744073709551615"} {
		if got := requestID(n); got != want {
			t.Errorf("requestID(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestRequestRevisionKey_IsTheRevisionHeaderCanonicalised: the pipeline and
// the journal read the revision header by its canonical key, as net/http
// stores it; the key must follow revision.Header.
func TestRequestRevisionKey_IsTheRevisionHeaderCanonicalised(t *testing.T) {
	if want := http.CanonicalHeaderKey(revision.Header); keyRequestRevision != want {
		t.Fatalf("keyRequestRevision %q, want %q", keyRequestRevision, want)
	}
}

// TestRequestHeaderKeys_AreCanonical: the pipeline reads the
// Authorization, fall-forward opt-out, Prefer and Origin headers by their
// keys as net/http stores them, without canonicalising the key on every
// request.
func TestRequestHeaderKeys_AreCanonical(t *testing.T) {
	for _, k := range []string{keyAuthorization, keyOptOut, headerPrefer, keyOrigin} {
		if want := http.CanonicalHeaderKey(k); k != want {
			t.Errorf("key %q, want %q", k, want)
		}
	}
}
