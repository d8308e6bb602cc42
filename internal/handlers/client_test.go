package handlers

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

const storefront = "Origin: https://shop.example"

// wantCORS asserts the headers every /client answer carries.
func wantCORS(t *testing.T, r *resp, what string) {
	t.Helper()
	exposed := r.header.Get("Access-Control-Expose-Headers")
	if r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("%s: Access-Control-Allow-Origin %q, want *", what, r.header.Get("Access-Control-Allow-Origin"))
	}
	for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After", "x-klaviyo-api-revision", "x-klaviyo-req-id"} {
		if !strings.Contains(exposed, h) {
			t.Fatalf("%s: Access-Control-Expose-Headers %q lacks %s", what, exposed, h)
		}
	}
}

// TestClient_AStorefrontOnAnyOriginMayCallIt: a preflight for a POST with
// the headers a storefront sends is answered 204 with the methods, the
// headers asked for and a day's max-age; the POST, and every error and
// 429 of /client, carry Access-Control-Allow-Origin: * and expose the
// rate-limit, revision and request-id headers.
func TestClient_AStorefrontOnAnyOriginMayCallIt(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 1}))
	path := clientPath(e.store.PublicKeyOf(testKey))
	pre := e.req("OPTIONS", path, nil, storefront, "Authorization:", "revision:",
		"Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type, revision, accept")
	if pre.status != 204 || pre.header.Get("Access-Control-Allow-Methods") != "POST, OPTIONS" ||
		pre.header.Get("Access-Control-Allow-Headers") != "content-type, revision, accept" || pre.header.Get("Access-Control-Max-Age") != "86400" {
		t.Fatalf("preflight: %d %v", pre.status, pre.header)
	}
	wantCORS(t, pre, "preflight")
	ok := e.subscribe(path, "2025-01-15", bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber)), storefront, "Authorization:")
	if ok.status != 202 {
		t.Fatalf("POST: %d %s", ok.status, ok.body)
	}
	wantCORS(t, ok, "202")
	throttled := e.subscribe(path, "2025-01-15", bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber)), storefront, "Authorization:")
	wantError(t, throttled, 429, "throttled", nil)
	wantCORS(t, throttled, "429")
	for what, r := range map[string]*resp{
		"a bad body":        e.subscribe(path, "2025-01-15", `{"data":{}}`, storefront),
		"no company_id":     e.subscribe(bisClient, "2025-01-15", bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber)), storefront),
		"an older revision": e.subscribe(path, "2023-06-15", bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber)), storefront),
		"an unknown path":   e.req("POST", "/client/profiles?company_id=ABC123", strings.NewReader("{}"), storefront),
		"a GET":             e.req("GET", path, nil, storefront),
	} {
		if r.status < 400 {
			t.Fatalf("%s: %d", what, r.status)
		}
		wantCORS(t, r, what)
	}
	// Refused before any route is chosen (headers over their cap): still
	// readable by the page.
	big := newEnv(t, func(o *Options, _ *store.Options) { o.MaxHeaderBytes = 4096 })
	huge := big.req("POST", path, strings.NewReader("{}"), storefront, "X-Filler: "+strings.Repeat("x", 5000))
	if huge.status != 431 {
		t.Fatalf("oversized headers: %d", huge.status)
	}
	wantCORS(t, huge, "431")
	// /api keeps its own CORS (--cors-origins): its preflight is not /client's.
	if api := e.req("OPTIONS", bisAPI, nil, storefront, "Access-Control-Request-Method: POST"); api.status == 204 ||
		api.header.Get("Access-Control-Max-Age") == "86400" {
		t.Fatalf("/api's preflight became /client's: %d %v", api.status, api.header)
	}
}

// TestClient_TheAccountIsTheOneItsCompanyIDNames: /client needs a
// company_id of six letters and digits (a 400 about the parameter
// otherwise); a well-formed key no account answers to is an account of its
// own, which the control API reaches by that key; an Authorization header,
// a private key included, never chooses the account nor fails the request.
func TestClient_TheAccountIsTheOneItsCompanyIDNames(t *testing.T) {
	e := newEnv(t)
	body := bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber))
	for _, q := range []string{"", "?company_id=", "?company_id=pk_0123456789abcdef0123456789abcdef01", "?company_id=RU8Lm", "?company_id=RU8Lm%21"} {
		wantError(t, e.subscribe(bisClient+q, "2025-01-15", body), 400, "invalid", map[string]any{"parameter": "company_id"})
	}
	r := e.subscribe(clientPath("RU8Lmz"), "2025-01-15", body, "Authorization: Klaviyo-API-Key "+testKey)
	if r.status != 202 {
		t.Fatalf("an unseen public key: %d %s", r.status, r.body)
	}
	if subs := e.subscriptionsOf("RU8Lmz"); len(subs) != 1 || subs[0]["email"] != "ann@example.com" {
		t.Fatalf("the account answering to RU8Lmz holds %v", subs)
	}
	if subs := e.subscriptionsOf(testKey); len(subs) != 0 {
		t.Fatalf("the private key sent beside company_id chose its account: %v", subs)
	}
	if got := e.store.KeyOfPublicKey("RU8Lmz"); got != store.CompanyKey("RU8Lmz") {
		t.Fatalf("RU8Lmz reaches %q", got)
	}
	r = e.subscribe(clientPath(e.store.PublicKeyOf(testKey)), "2025-01-15", body, "Authorization: Klaviyo-API-Key pk_not_even_a_key")
	if r.status != 202 || len(e.subscriptionsOf(testKey)) != 1 {
		t.Fatalf("the key's own public key: %d %s", r.status, r.body)
	}
}

// TestClient_EachCreateHasItsOwnBucket: the /api and /client creates of
// one account are counted apart (each operation its own bucket, /client's
// on the account its company_id names): exhausting one leaves the other.
func TestClient_EachCreateHasItsOwnBucket(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 2}))
	body := bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber))
	client := clientPath(e.store.PublicKeyOf(testKey))
	for i := 0; i < 2; i++ {
		if r := e.subscribe(bisAPI, "2026-07-15", body); r.status != 202 {
			t.Fatalf("/api %d: %d", i, r.status)
		}
	}
	wantError(t, e.subscribe(bisAPI, "2026-07-15", body), 429, "throttled", nil)
	for i := 0; i < 2; i++ {
		r := e.subscribe(client, "2026-07-15", body)
		if r.status != 202 || r.header.Get("RateLimit-Remaining") != []string{"1", "0"}[i] {
			t.Fatalf("/client %d after /api was throttled: %d remaining %q", i, r.status, r.header.Get("RateLimit-Remaining"))
		}
	}
	wantError(t, e.subscribe(client, "2026-07-15", body), 429, "throttled", nil)
	// The journal names each by its operation.
	ops := map[string]int{}
	for _, en := range e.h.opts.Journal.List(journalFilterAll) {
		ops[en.Operation]++
	}
	if ops["create_back_in_stock_subscription"] != 3 || ops["create_client_back_in_stock_subscription"] != 3 {
		t.Fatalf("journal operations %v", ops)
	}
}
