package klaviyomock_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// storefrontRequest is the request examples/storefront's form sends, as
// its subscribe.js writes it between "// BEGIN request" and
// "// END request".
type storefrontRequest struct {
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    map[string]any    `json:"body"`
}

// readStorefrontRequest reads that request from the example.
func readStorefrontRequest(t *testing.T) storefrontRequest {
	t.Helper()
	src, err := os.ReadFile("../examples/storefront/subscribe.js")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(src), "// BEGIN request")
	block, _, ok2 := strings.Cut(block, "// END request")
	start, end := strings.Index(block, "{"), strings.LastIndex(block, "}")
	if !ok || !ok2 || start < 0 || end < start {
		t.Fatal("subscribe.js has no request between its BEGIN and END lines")
	}
	var req storefrontRequest
	if err := json.Unmarshal([]byte(block[start:end+1]), &req); err != nil {
		t.Fatalf("subscribe.js's request is not JSON: %v", err)
	}
	return req
}

// member returns the object at the path of keys in doc.
func member(t *testing.T, doc map[string]any, keys ...string) map[string]any {
	t.Helper()
	for _, k := range keys {
		next, ok := doc[k].(map[string]any)
		if !ok {
			t.Fatalf("the storefront's body has no %s", strings.Join(keys, "."))
		}
		doc = next
	}
	return doc
}

// TestStorefront_ThePagesRequestIsAcceptedFromAnotherOrigin: the request
// examples/storefront sends (its headers and body template, filled in as
// its script fills them) passes the CORS preflight a browser sends first,
// is answered 202 with Access-Control-Allow-Origin: *, and makes the
// subscription; the page loads only its own script (no CDN, no build).
func TestStorefront_ThePagesRequestIsAcceptedFromAnotherOrigin(t *testing.T) {
	m := klaviyomock.RunT(t)
	req := readStorefrontRequest(t)
	attrs := member(t, req.Body, "data", "attributes")
	attrs["channels"] = []string{"EMAIL", "SMS"}
	member(t, attrs, "profile", "data", "attributes")["email"] = "shopper@example.com"
	member(t, attrs, "profile", "data", "attributes")["phone_number"] = "+15005550006"
	member(t, req.Body, "data", "relationships", "variant", "data")["id"] = "$custom:::$default:::bomber123-s"
	url := m.URL() + req.Path + "?company_id=" + m.PublicKey(key)
	const origin = "Origin: http://localhost:8000"

	var names []string
	for k := range req.Headers {
		names = append(names, k)
	}
	slices.Sort(names)
	pre := call(t, "OPTIONS", url, nil, origin, "Access-Control-Request-Method: POST",
		"Access-Control-Request-Headers: "+strings.Join(names, ","))
	allowed := strings.ToLower(pre.header.Get("Access-Control-Allow-Headers"))
	if pre.status != 204 || pre.header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", pre.status, pre.header)
	}
	for _, n := range names {
		if !strings.Contains(allowed, n) {
			t.Fatalf("the preflight does not allow %s: %q", n, allowed)
		}
	}
	hdr := []string{origin}
	for k, v := range req.Headers {
		hdr = append(hdr, k+": "+v)
	}
	r := call(t, "POST", url, req.Body, hdr...)
	if r.status != 202 || len(r.body) != 0 || r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("the storefront's POST: %d %s %v", r.status, r.body, r.header)
	}
	subs := m.BackInStockSubscriptions(key)
	if len(subs) != 1 || *subs[0].Email != "shopper@example.com" || subs[0].Variant != "$custom:::$default:::bomber123-s" {
		t.Fatalf("subscriptions: %+v", subs)
	}

	page, err := os.ReadFile("../examples/storefront/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<script src="subscribe.js"></script>`) ||
		regexp.MustCompile(`(src|href)="(https?:)?//`).Match(page) {
		t.Fatal("index.html must load subscribe.js and nothing from another host")
	}
}
