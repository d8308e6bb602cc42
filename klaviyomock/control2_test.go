package klaviyomock_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

func TestControl_ResetWithoutABodyReturnsToTheConfiguredSeedAndJobs(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=4")
	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), map[string]any{"seed": 9, "jobs": 2}), 200)
	if n := len(m.Jobs(key)); n != 2 {
		t.Fatalf("%d jobs after reset to 2", n)
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), nil), 200)
	if n := len(m.Jobs(key)); n != 4 {
		t.Fatalf("%d jobs after a plain reset, want the configured 4", n)
	}
}

func TestControl_AccountsListsHeldAccounts(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1")
	api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil)
	m.SetJobs("pk_changed")
	got := call(t, "GET", adminURL(m, "/accounts"), nil).json(t)["accounts"].([]any)
	if len(got) != 2 {
		t.Fatalf("%v", got)
	}
	for _, a := range got {
		acct := a.(map[string]any)
		if acct["changed"] != (acct["account"] == klaviyomock.Fingerprint("pk_changed")) {
			t.Fatalf("%v", acct)
		}
	}
}

func TestControl_DecodeErrorsNameTheMember(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1")
	r := call(t, "PUT", adminURL(m, "/accounts/"+key+"/items"), `{"items":[{"external_id":"A","price":"x"}]}`)
	mustStatus(t, r, 400)
	e := r.json(t)["errors"].([]any)[0].(map[string]any)
	if e["source"].(map[string]any)["pointer"] != "/items/0/price" || strings.Contains(e["detail"].(string), "Go struct") {
		t.Fatalf("%v", e)
	}
	r = call(t, "POST", adminURL(m, "/faults"), `{"status":`)
	mustStatus(t, r, 400)
	if e := r.json(t)["errors"].([]any)[0].(map[string]any); e["code"] != "parse_error" {
		t.Fatalf("%v", e)
	}
}

func TestControl_ClockStaysInRange(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1")
	m.Freeze()
	before := m.Now()
	for _, body := range []string{`{"set":"9999-12-31T23:59:58Z"}`, `{"set":"1969-12-31T00:00:00Z"}`, `{"set":"8999-12-31T23:59:59Z","advance":"24h"}`} {
		mustStatus(t, call(t, "POST", adminURL(m, "/clock"), body), 400)
	}
	if !m.Now().Equal(before) {
		t.Fatal("a refused clock change moved the clock")
	}
}

func TestControl_FaultRulesThatCannotMatchAreRefused(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1")
	for _, body := range []string{`{"latency":"-5s"}`, `{"status":500,"match":{"path":"api"}}`, `{"status":500,"match":{"revision":"garbage"}}`} {
		r := call(t, "POST", adminURL(m, "/faults"), body)
		mustStatus(t, r, 400)
		if strings.Contains(string(r.body), "needs an effect") {
			t.Errorf("%s: misleading %s", body, r.body)
		}
	}
	mustStatus(t, call(t, "GET", adminURL(m, "/requests?revision=garbage"), nil), 400)
}

func TestGo_TwinsOfTheControlRoutes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	m := klaviyomock.RunT(t, "--jobs=2", "--state-file="+path)
	if err := m.SetItems(key, item("T1")); err != nil {
		t.Fatal(err)
	}
	if its := m.Items(key); len(its) != 1 || its[0].ID != "$custom:::$default:::T1" || its[0].Created.IsZero() {
		t.Fatalf("%+v", its)
	}
	if err := m.SetItems(key, klaviyomock.Item{}); err == nil {
		t.Fatal("an item without external_id was accepted")
	}

	at := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	m.Freeze()
	m.SetTime(at)
	if !m.Now().Equal(at) {
		t.Fatalf("SetTime: %v", m.Now())
	}
	m.Unfreeze()
	if d := call(t, "GET", adminURL(m, "/clock"), nil).json(t); d["frozen"] != false {
		t.Fatalf("Unfreeze: %v", d)
	}

	api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil)
	m.ClearRequests()
	if len(m.Requests()) != 0 {
		t.Fatal("ClearRequests kept entries")
	}

	f, err := m.AddFault(klaviyomock.Fault{Count: 1, Probability: 1})
	if err == nil {
		t.Fatalf("a rule without an effect was added: %+v", f)
	}
	var rule klaviyomock.Fault
	rule.Status = 503
	f, err = m.AddFault(rule)
	if err != nil || !m.DeleteFault(f.ID) || m.DeleteFault(f.ID) {
		t.Fatalf("AddFault/DeleteFault: %v", err)
	}
	m.AddFault(rule)
	m.ClearFaults()
	if r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil); r.status != 200 {
		t.Fatalf("ClearFaults left a rule: %d", r.status)
	}

	if err := m.Snapshot(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"external_id":"T1"`) {
		t.Fatalf("Snapshot did not save the changed account: %.300s", b)
	}
	os.Remove(path)
	r := call(t, "POST", adminURL(m, "/snapshot"), nil)
	mustStatus(t, r, 200)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("POST /snapshot wrote nothing: %v", err)
	}
	noFile := klaviyomock.RunT(t, "--jobs=1")
	if r := call(t, "POST", adminURL(noFile, "/snapshot"), nil); r.status != 400 || !strings.Contains(string(r.body), "--state-file") {
		t.Fatalf("snapshot without a state file: %d %s", r.status, r.body)
	}
}

// TestControl_EveryCollectionCanBeReadAndReplaced goes through every
// collection of the store by its control API route and by its Go twin.
func TestControl_EveryCollectionCanBeReadAndReplaced(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=3", "--items=100", "--variants=20", "--categories=4")
	for _, name := range []string{"items", "variants", "categories",
		"item-bulk-create-jobs", "item-bulk-update-jobs", "item-bulk-delete-jobs",
		"variant-bulk-create-jobs", "variant-bulk-update-jobs", "variant-bulk-delete-jobs",
		"category-bulk-create-jobs", "category-bulk-update-jobs", "category-bulk-delete-jobs"} {
		r := call(t, "GET", adminURL(m, "/accounts/"+key+"/"+name), nil)
		mustStatus(t, r, 200)
		if list, ok := r.json(t)[name].([]any); !ok || len(list) == 0 {
			t.Errorf("GET %s: %.200s", name, r.body)
		}
	}
	mustStatus(t, call(t, "GET", adminURL(m, "/accounts/"+key+"/widgets"), nil), 404)

	// Replace the catalog: one item, a variant of it, a category holding it.
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key+"/items"), `{"items":[{"external_id":"A","title":"Shirt","description":"","url":"https://example.com/a"}]}`), 200)
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key+"/variants"),
		`{"variants":[{"external_id":"A-S","item":"$custom:::$default:::A","sku":"A-S","title":"S","description":"",
		"inventory_quantity":1,"price":9,"url":"https://example.com/a-s"}]}`), 200)
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key+"/categories"),
		`{"categories":[{"external_id":"TOPS","name":"Tops","items":["$custom:::$default:::A"]}]}`), 200)
	if vs := m.Variants(key); len(vs) != 1 || vs[0].Item != "$custom:::$default:::A" || *vs[0].SKU != "A-S" {
		t.Fatalf("Variants: %+v", vs)
	}
	if cs := m.Categories(key); len(cs) != 1 || len(cs[0].Items) != 1 || *cs[0].Name != "Tops" {
		t.Fatalf("Categories: %+v", cs)
	}
	// Replacing the items drops what referred to the items that are gone.
	if err := m.SetItems(key, item("B")); err != nil {
		t.Fatal(err)
	}
	// (an export that fails gives nil, an empty collection [])
	if vs, cs := m.Variants(key), m.Categories(key); vs == nil || len(vs) != 0 || len(cs) != 1 || len(cs[0].Items) != 0 {
		t.Fatalf("after replacing the items: variants %+v, categories %+v", vs, cs)
	}
	if err := m.SetVariants(key, variant("X", "$custom:::$default:::GONE")); err == nil ||
		!strings.Contains(err.Error(), "/variants/0/item") {
		t.Fatalf("a variant of a missing item: %v", err)
	}
	// Jobs of any kind, through the Go twins.
	job := klaviyomock.Job{ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Status: "queued", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		TotalCount: 1, IDs: []string{"$custom:::$default:::TOPS"}}
	if err := m.SetJobsOf(key, klaviyomock.CategoryDeleteJobs, job); err != nil {
		t.Fatal(err)
	}
	if got := m.JobsOf(key, klaviyomock.CategoryDeleteJobs); len(got) != 1 || got[0].IDs[0] != "$custom:::$default:::TOPS" {
		t.Fatalf("JobsOf: %+v", got)
	}
	r := call(t, "GET", adminURL(m, "/accounts/"+key+"/category-bulk-delete-jobs"), nil)
	if !strings.Contains(string(r.body), `"categories":["$custom:::$default:::TOPS"]`) {
		t.Fatalf("the job's ids are not under its key: %s", r.body)
	}
	list := api(t, m.URL(), "GET", "/api/catalog-category-bulk-delete-jobs", nil).json(t)["data"].([]any)
	if len(list) != 1 {
		t.Fatalf("the API lists %d category delete jobs", len(list))
	}
	if err := m.SetJobsOf(key, klaviyomock.ItemCreateJobs, klaviyomock.Job{ID: "bad"}); err == nil ||
		!strings.Contains(err.Error(), "/item-bulk-create-jobs/0/id") {
		t.Fatalf("a bad job: %v", err)
	}
}
