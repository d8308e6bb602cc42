package klaviyomock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// The black-box audit's memory findings, each answered by a bound.

func TestBudget_OversizedHeadersDoNotFillTheJournal(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1", "--max-header-bytes=1048576", "--max-connections=16")
	pad := strings.Repeat("x", 900<<10)
	for i := 0; i < 40; i++ {
		r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil, "X-Padding: "+pad)
		if r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	reqs := m.Requests()
	if len(reqs) != 40 {
		t.Fatalf("%d journaled", len(reqs))
	}
	total := 0
	for _, r := range reqs {
		for _, vs := range r.Headers {
			for _, v := range vs {
				total += len(v)
			}
		}
	}
	if total > 40*8<<10 {
		t.Fatalf("the journal keeps %d header bytes of 40 requests with 900 KiB headers", total)
	}
	if got := reqs[0].Headers.Get("Authorization"); got != "Klaviyo-API-Key [redacted]" {
		t.Fatalf("Authorization journaled as %q", got)
	}
	body := call(t, "GET", adminURL(m, "/requests"), nil)
	if strings.Contains(string(body.body), key) && strings.Contains(string(body.body), "Klaviyo-API-Key "+key) {
		t.Fatal("/__admin/requests shows a credential")
	}
	kept := klaviyomock.RunT(t, "--jobs=1", "--journal-credentials")
	api(t, kept.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil)
	if got := kept.Requests()[0].Headers.Get("Authorization"); got != "Klaviyo-API-Key "+key {
		t.Fatalf("--journal-credentials: Authorization journaled as %q", got)
	}
}

// TestBudget_SeededJobsAndCatalogCostNothing: seeded job history and the
// seeded catalog are made as they are read, so ten million jobs per kind
// and a million items and variants take almost nothing once read.
func TestBudget_SeededJobsAndCatalogCostNothing(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=3", "--memory-budget=64MiB")
	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), map[string]any{"jobs": 10_000_000}), 200)
	r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil)
	mustStatus(t, r, 200)
	if n := len(r.json(t)["data"].([]any)); n != 100 {
		t.Fatalf("a page of %d jobs", n)
	}
	health := call(t, "GET", adminURL(m, "/health"), nil).json(t)
	if used := health["memory"].(map[string]any)["accounts_bytes"].(float64); used > 1<<20 {
		t.Fatalf("an account of ten million jobs holds %.0f bytes", used)
	}
	r = call(t, "POST", adminURL(m, "/reset"), map[string]any{"jobs": 10_000_001})
	mustStatus(t, r, 400)
	if e := r.json(t)["errors"].([]any)[0].(map[string]any); e["source"].(map[string]any)["pointer"] != "/jobs" {
		t.Fatalf("%v", e)
	}
	// (The seeded job histories list the ids they name: 47 MiB each at
	// a million, reserved at start though made only when read.)
	big := klaviyomock.RunT(t, "--items=1000000", "--variants=1000000", "--memory-budget=256MiB")
	r = api(t, big.URL(), "GET", "/api/catalog-items?include=variants", nil)
	mustStatus(t, r, 200)
	if n := len(r.json(t)["data"].([]any)); n != 100 {
		t.Fatalf("a page of %d items", n)
	}
	health = call(t, "GET", adminURL(big, "/health"), nil).json(t)
	if used := health["memory"].(map[string]any)["accounts_bytes"].(float64); used > 1<<20 {
		t.Fatalf("an account of a million items and variants holds %.0f bytes", used)
	}
}

func TestBudget_PutsAboveTheirCapAreRefusedWhole(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=2", "--memory-budget=64MiB")
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := 0; b.Len() < 9<<20; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"external_id":"BIG-%07d","title":"%s","description":"","url":""}`, i, strings.Repeat("t", 200))
	}
	b.WriteString("]}")
	r := call(t, "PUT", adminURL(m, "/accounts/"+key+"/items"), b.String())
	mustStatus(t, r, 413)
	if d := r.json(t)["errors"].([]any)[0].(map[string]any)["detail"].(string); !strings.Contains(d, "--memory-budget") {
		t.Fatalf("detail %q", d)
	}
	if got := len(m.Items(key)); got != 200 {
		t.Fatalf("a refused PUT changed the items: %d", got)
	}
}

func TestBudget_NewKeysWhenEveryAccountIsChangedGetA403(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=0", "--items=100", "--memory-budget=64MiB", "--max-accounts=0")
	// Fill the accounts' share with changed accounts.
	refused := ""
	for i := 0; i < 20000 && refused == ""; i++ {
		k := fmt.Sprintf("pk_budget_%04d", i)
		r := call(t, "PUT", adminURL(m, "/accounts/"+k+"/jobs"), `{"jobs":[]}`)
		if r.status != 200 {
			refused = string(r.body)
			mustStatus(t, r, 403)
		}
	}
	if refused == "" {
		t.Fatal("20000 changed accounts fit in 32 MiB")
	}
	if !strings.Contains(refused, "memory budget") {
		t.Fatalf("%s", refused)
	}
	r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil, "Authorization: Klaviyo-API-Key pk_brand_new")
	if r.status != http.StatusForbidden || !strings.Contains(string(r.body), "POST /__admin/reset") {
		t.Fatalf("new key: %d %s", r.status, r.body)
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), nil), 200)
	if r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil, "Authorization: Klaviyo-API-Key pk_brand_new"); r.status != 200 {
		t.Fatalf("after a reset: %d", r.status)
	}
}
