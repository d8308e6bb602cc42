package klaviyomock_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

func adminURL(m *klaviyomock.Server, path string) string { return m.URL() + "/__admin" + path }

func TestControl_Health(t *testing.T) {
	m := klaviyomock.RunT(t)
	r := call(t, "GET", adminURL(m, "/health"), nil)
	mustStatus(t, r, 200)
	d := r.json(t)
	if d["status"] != "ok" || d["newest_revision"] != "2026-07-15" || d["oldest_revision"] != "2022-10-17" {
		t.Fatalf("%v", d)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("RateLimit-Limit") != "" {
		t.Fatalf("headers %v", r.header)
	}
}

func TestControl_ResetRestoresTheSeededStateWithNewParameters(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=12")
	first := m.Jobs(key)
	if len(first) != 12 {
		t.Fatalf("%d jobs", len(first))
	}
	if err := m.SetJobs(key); err != nil {
		t.Fatal(err)
	}
	m.Freeze()
	m.Advance(time.Hour)
	m.ThrottleNext(key, 5)
	api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil)

	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), nil), 200)
	if got := m.Jobs(key); len(got) != 12 || got[0].ID != first[0].ID {
		t.Fatal("reset did not restore the seeded jobs")
	}
	if r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil); r.status != 200 {
		t.Fatalf("a fault survived the reset: %d", r.status)
	}
	if len(m.Requests()) != 1 {
		t.Fatalf("journal holds %d requests after reset + 1", len(m.Requests()))
	}
	if d := call(t, "GET", adminURL(m, "/clock"), nil).json(t); d["frozen"] != false {
		t.Fatalf("clock after reset: %v", d)
	}

	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), map[string]any{"seed": 9, "jobs": 3}), 200)
	if got := m.Jobs(key); len(got) != 3 || got[0].ID == first[0].ID {
		t.Fatalf("reset with seed 9 and 3 jobs gave %d jobs", len(got))
	}
	m.ResetWith(1, 12)
	if got := m.Jobs(key); len(got) != 12 || got[0].ID != first[0].ID {
		t.Fatal("ResetWith(1, 12) did not return to the first state")
	}
	bad := call(t, "POST", adminURL(m, "/reset"), `{"jobs": -1}`)
	mustStatus(t, bad, 400)
	if e := bad.json(t)["errors"].([]any)[0].(map[string]any); e["source"].(map[string]any)["pointer"] != "/jobs" {
		t.Fatalf("%v", e)
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), `{"sede": 3}`), 400)
}

func TestControl_ResetOneAccount(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=5")
	for _, k := range []string{key, "pk_other"} {
		if err := m.SetJobs(k); err != nil {
			t.Fatal(err)
		}
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/reset"), map[string]any{"account": key}), 200)
	// (an export that fails gives nil, an empty collection [])
	if other := m.Jobs("pk_other"); len(m.Jobs(key)) != 5 || other == nil || len(other) != 0 {
		t.Fatal("account reset touched the wrong account")
	}
	mustStatus(t, call(t, "DELETE", adminURL(m, "/accounts/pk_other"), nil), 200)
	if len(m.Jobs("pk_other")) != 5 {
		t.Fatal("DELETE account did not regenerate it")
	}
}

func TestControl_PutAndGetJobsAndItems(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=5")
	jobs := map[string]any{"jobs": []any{
		map[string]any{"id": "01JAAAAAAAAAAAAAAAAAAAAAAA", "status": "complete", "created_at": "2026-01-01T00:00:00Z",
			"completed_at": "2026-01-01T00:00:05Z", "expires_at": "2026-01-31T00:00:05Z",
			"total_count": 2, "completed_count": 1, "failed_count": 1,
			"errors": []any{map[string]any{"id": "e1", "code": "not_found", "title": "Not found.", "detail": "gone", "pointer": "/data/attributes/items/data/1/id"}},
			"items":  []any{"$custom:::$default:::A", "$custom:::$default:::GONE"}},
		map[string]any{"id": "01JBBBBBBBBBBBBBBBBBBBBBBB", "status": "queued", "created_at": "2026-01-02T00:00:00Z",
			"total_count": 1, "items": []any{"$custom:::$default:::A"}},
	}}
	r := call(t, "PUT", adminURL(m, "/accounts/"+key+"/jobs"), jobs)
	mustStatus(t, r, 200)
	if d := r.json(t); d["jobs"] != 2.0 || len(d) != 2 {
		t.Fatalf("%v", d)
	}
	list := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil).json(t)["data"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["id"] != "01JAAAAAAAAAAAAAAAAAAAAAAA" {
		t.Fatalf("list after PUT: %v", list)
	}
	got := call(t, "GET", adminURL(m, "/accounts/"+key+"/jobs"), nil).json(t)["jobs"].([]any)
	if len(got) != 2 || got[0].(map[string]any)["failed_count"] != 1.0 {
		t.Fatalf("GET jobs: %v", got)
	}
	items := map[string]any{"items": []any{map[string]any{"external_id": "A", "title": "Shirt", "description": "", "url": "https://example.com/a", "price": 12.5, "custom_metadata": map[string]any{"k": "<v>"}}}}
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key+"/items"), items), 200)
	one := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs/01JAAAAAAAAAAAAAAAAAAAAAAA?include=items", nil)
	inc := one.json(t)["included"].([]any)
	if len(inc) != 1 || inc[0].(map[string]any)["id"] != "$custom:::$default:::A" || !strings.Contains(string(one.body), `"custom_metadata":{"k":"<v>"}`) {
		t.Fatalf("included after PUT items: %s", one.body)
	}
	// Go twins.
	if js := m.Jobs(key); len(js) != 2 || js[1].Status != "queued" {
		t.Fatalf("Jobs: %+v", js)
	}
	if its := m.Items(key); len(its) != 1 || *its[0].Title != "Shirt" {
		t.Fatalf("Items: %+v", its)
	}
	// Whole account round trip.
	acct := call(t, "GET", adminURL(m, "/accounts/"+key), nil)
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/pk_copy"), string(acct.body)), 200)
	if len(m.Jobs("pk_copy")) != 2 || len(m.Items("pk_copy")) != 1 {
		t.Fatal("PUT of an exported account did not copy it")
	}
}

func TestControl_BadDocumentsChangeNothing(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=5")
	before := m.Jobs(key)
	cases := []struct {
		path, body, pointer string
	}{
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"done","created_at":"2026-01-01T00:00:00Z","total_count":1,"items":["x"]}]}`, "/jobs/0/status"},
		{"/jobs", `{"jobs":[{"id":"job-1","status":"queued","created_at":"2026-01-01T00:00:00Z","total_count":0,"items":[]}]}`, "/jobs/0/id"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"complete","created_at":"2026-01-01T00:00:00Z","completed_at":"2026-01-01T00:00:01Z","total_count":3,"completed_count":1,"items":["$custom:::$default:::A","$custom:::$default:::B","$custom:::$default:::C"]}]}`, "/jobs/0/completed_count"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","created_at":"2026-01-01T00:00:00Z","total_count":1,"completed_count":1,"items":["$custom:::$default:::A"]}]}`, "/jobs/0/status"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"complete","created_at":"2026-01-01T00:00:00Z","total_count":1,"completed_count":1,"items":["$custom:::$default:::A"]}]}`, "/jobs/0/completed_at"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"complete","created_at":"2026-01-02T00:00:00Z","completed_at":"2026-01-01T00:00:00Z","total_count":1,"completed_count":1,"items":["$custom:::$default:::A"]}]}`, "/jobs/0/completed_at"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","created_at":"2026-01-01T00:00:00Z","total_count":1,"items":["bad id"]}]}`, "/jobs/0/items/0"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"complete","created_at":"2026-01-01T00:00:00Z","completed_at":"2026-01-01T00:00:01Z","total_count":1,"failed_count":1,"errors":[],"items":["$custom:::$default:::A"]}]}`, "/jobs/0/errors"},
		{"/jobs", `{"jobs":[{"id":"7ZZZZZZZZZZZZZZZZZZZZZZZZZ","status":"queued","created_at":"2026-01-01T00:00:00Z","total_count":1,"items":["$custom:::$default:::A"]}]}`, "/jobs/0/id"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","total_count":0,"items":[]}]}`, "/jobs/0/created_at"},
		{"/jobs", `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","created_at":"2026-01-01T00:00:00Z","total_count":1,"items":["$custom:::$default:::A"],"pending":{"updates":[]}}]}`, "/jobs/0/pending"},
		{"/jobs", `{"jobs": "x"}`, ""},
		{"/jobs", `{}`, "/jobs"},
		{"/items", `{"items":[{"title":"no external id"}]}`, "/items/0/external_id"},
		{"/items", `{"items":[{"external_id":"A","id":"$custom:::$default:::B"}]}`, "/items/0/id"},
		{"", `{"widgets":[]}`, "/widgets"},
		{"/jobs", `{"jobs":[],"items":[]}`, "/jobs"},
		{"/variants", `{"variants":[{"external_id":"V","item":"$custom:::$default:::NOPE","title":"t","description":"d","sku":"s","inventory_quantity":1,"price":1,"url":"u"}]}`, "/variants/0/item"},
		{"/categories", `{"categories":[{"external_id":"C","name":"n","items":["$custom:::$default:::NOPE"]}]}`, "/categories/0/items"},
	}
	for _, c := range cases {
		r := call(t, "PUT", adminURL(m, "/accounts/"+key+c.path), c.body)
		mustStatus(t, r, 400)
		e := r.json(t)["errors"].([]any)[0].(map[string]any)
		if c.pointer != "" && e["source"].(map[string]any)["pointer"] != c.pointer {
			t.Errorf("%s: pointer %v, want %s", c.body, e["source"], c.pointer)
		}
	}
	if after := m.Jobs(key); len(after) != len(before) || after[0].ID != before[0].ID {
		t.Fatal("a refused PUT changed the account")
	}
	if err := m.SetJobs(key, klaviyomock.Job{ID: "bad", Status: "queued"}); err == nil || !strings.Contains(err.Error(), "/jobs/0/id") {
		t.Fatalf("SetJobs with a bad id: %v", err)
	}
}

func TestControl_RequestJournal(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=3", "--journal-size=4")
	api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs?filter=equals(status,%22queued%22)", nil)
	api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil, "revision: 2023-02-22")
	api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil, "Authorization: Bearer tok")
	call(t, "GET", adminURL(m, "/health"), nil) // not journaled
	r := call(t, "GET", adminURL(m, "/requests?revision=2023-02-22"), nil).json(t)
	reqs := r["requests"].([]any)
	if len(reqs) != 1 {
		t.Fatalf("%d requests at 2023-02-22", len(reqs))
	}
	e := reqs[0].(map[string]any)
	if e["method"] != "GET" || e["status"] != 200.0 || e["account"] != klaviyomock.Fingerprint(key) || e["operation"] != "get_bulk_update_catalog_items_jobs" ||
		e["headers"].(map[string]any)["Revision"].([]any)[0] != "2023-02-22" {
		t.Fatalf("entry %v", e)
	}
	all := m.Requests()
	if len(all) != 3 || all[0].Query != "filter=equals(status,%22queued%22)" || all[2].Account != klaviyomock.Fingerprint("bearer:tok") {
		t.Fatalf("Requests(): %+v", all)
	}
	for _, account := range []string{"bearer:tok", klaviyomock.Fingerprint("bearer:tok")} {
		if got := m.RequestsMatching(klaviyomock.Filter{Account: account}); len(got) != 1 || got[0].Seq != all[2].Seq {
			t.Fatalf("RequestsMatching(Account: %q): %+v", account, got)
		}
	}
	for i := 0; i < 5; i++ {
		api(t, m.URL(), "GET", "/api/nope", nil)
	}
	if n := len(m.Requests()); n != 4 {
		t.Fatalf("journal grew to %d past its cap of 4", n)
	}
	if got := m.RequestsMatching(klaviyomock.Filter{Status: 404}); len(got) != 4 {
		t.Fatalf("%d 404s", len(got))
	}
	mustStatus(t, call(t, "DELETE", adminURL(m, "/requests"), nil), 200)
	if len(m.Requests()) != 0 {
		t.Fatal("DELETE /requests kept entries")
	}
	mustStatus(t, call(t, "GET", adminURL(m, "/requests?status=abc"), nil), 400)
}

func TestControl_FaultRules(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=3")
	r := call(t, "POST", adminURL(m, "/faults"), map[string]any{"match": map[string]any{"method": "GET", "path": "/api/catalog-item-bulk-update-jobs"}, "status": 503, "count": 3})
	mustStatus(t, r, 201)
	id := r.json(t)["id"].(string)
	codes := ""
	for i := 0; i < 5; i++ {
		codes += strings.TrimSpace(http.StatusText(api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil).status))[:1]
	}
	if codes != "SSSOO" { // Service Unavailable x3, then OK
		t.Fatalf("statuses %s, want exactly three 503s", codes)
	}
	if list := call(t, "GET", adminURL(m, "/faults"), nil).json(t)["faults"].([]any); len(list) != 0 {
		t.Fatalf("spent rule %s still listed: %v", id, list)
	}
	slow := call(t, "POST", adminURL(m, "/faults"), map[string]any{"match": map[string]any{"account": key}, "latency": "1ms", "probability": 0.5})
	mustStatus(t, slow, 201)
	mustStatus(t, call(t, "DELETE", adminURL(m, "/faults/"+slow.json(t)["id"].(string)), nil), 200)
	mustStatus(t, call(t, "DELETE", adminURL(m, "/faults/fault-99"), nil), 404)
	mustStatus(t, call(t, "POST", adminURL(m, "/faults"), map[string]any{"status": 404}), 400)
	// Go twin.
	f, err := m.AddFault(klaviyomock.Fault{Match: klaviyomock.FaultMatch{Account: key}, Count: 1})
	if err == nil {
		t.Fatalf("a fault without an effect was accepted: %+v", f)
	}
	m.ThrottleNext(key, 2)
	for i := 0; i < 2; i++ {
		if r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil); r.status != 429 || r.header.Get("Retry-After") != "1" {
			t.Fatalf("throttled request %d: %d", i, r.status)
		}
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/accounts/"+key+"/throttle"), map[string]any{"count": 1, "retry_after": 4}), 201)
	if r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil); r.header.Get("Retry-After") != "4" {
		t.Fatalf("throttle route: %d %s", r.status, r.header.Get("Retry-After"))
	}
	mustStatus(t, call(t, "DELETE", adminURL(m, "/faults"), nil), 200)
}

func TestControl_ProbabilityFaultIsReproducibleWithTheSeed(t *testing.T) {
	run := func() string {
		m := klaviyomock.RunT(t, "--jobs=1", "--seed=42")
		m.AddFault(klaviyomock.Fault{Probability: 0.5})
		mustStatus(t, call(t, "POST", adminURL(m, "/faults"), map[string]any{"status": 500, "probability": 0.4}), 201)
		s := ""
		for i := 0; i < 40; i++ {
			s += string(rune('0' + api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil).status/100))
		}
		return s
	}
	a, b := run(), run()
	if a != b || !strings.Contains(a, "5") || !strings.Contains(a, "2") {
		t.Fatalf("%s vs %s", a, b)
	}
}

func TestControl_Clock(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1", "--job-transition=duration", "--job-duration=10s")
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := call(t, "POST", adminURL(m, "/clock"), map[string]any{"set": at, "freeze": true})
	mustStatus(t, r, 200)
	if d := r.json(t); d["now"] != "2026-12-01T09:00:00Z" || d["frozen"] != true {
		t.Fatalf("%v", d)
	}
	r = call(t, "POST", adminURL(m, "/clock"), map[string]any{"advance": "90s"})
	if d := r.json(t); d["now"] != "2026-12-01T09:01:30Z" {
		t.Fatalf("%v", d)
	}
	if !m.Now().Equal(at.Add(90 * time.Second)) {
		t.Fatalf("Now %v", m.Now())
	}
	// Jobs progress with the clock: a created job completes after 10 s.
	items := m.Items(key)
	body := map[string]any{"data": map[string]any{"type": "catalog-item-bulk-update-job", "attributes": map[string]any{"items": map[string]any{"data": []any{
		map[string]any{"type": "catalog-item", "id": items[0].ID, "attributes": map[string]any{"published": true}}}}}}}
	id := api(t, m.URL(), "POST", "/api/catalog-item-bulk-update-jobs", body).json(t)["data"].(map[string]any)["id"].(string)
	m.Advance(10 * time.Second)
	got := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs/"+id, nil).json(t)["data"].(map[string]any)["attributes"].(map[string]any)
	if got["status"] != "complete" || got["completed_at"] != "2026-12-01T09:01:40+00:00" {
		t.Fatalf("%v", got)
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/clock"), `{}`), 400)
	mustStatus(t, call(t, "POST", adminURL(m, "/clock"), `{"advance":"soon"}`), 400)
	if d := call(t, "POST", adminURL(m, "/clock"), map[string]any{"reset": true}).json(t); d["frozen"] != false {
		t.Fatalf("%v", d)
	}
}

func TestControl_RefusesBrowserOriginsAndHasNoCORS(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1")
	m.Freeze()
	r := call(t, "POST", adminURL(m, "/clock"), `{"advance":"1h"}`, "Origin: http://evil.example")
	mustStatus(t, r, 403)
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("control API sent CORS headers")
	}
	pre := call(t, "OPTIONS", adminURL(m, "/reset"), nil, "Origin: http://evil.example", "Access-Control-Request-Method: POST")
	if pre.header.Get("Access-Control-Allow-Origin") != "" || pre.status < 400 {
		t.Fatalf("preflight to the control API answered %d %v", pre.status, pre.header)
	}
	// An origin that is not listed changes nothing, whatever it sends.
	before := m.Now()
	for _, ct := range []string{"application/json", "text/plain", ""} {
		r := call(t, "POST", adminURL(m, "/clock"), `{"advance":"1h"}`, "Origin: null", "Content-Type: "+ct)
		mustStatus(t, r, 403)
	}
	if !m.Now().Equal(before) {
		t.Fatalf("a refused origin moved the clock from %v to %v", before, m.Now())
	}
}

func TestControl_ListedAdminOriginGetsFullCORS(t *testing.T) {
	const origin = "http://localhost:5173"
	m := klaviyomock.RunT(t, "--jobs=1", "--admin-origins="+origin)
	pre := call(t, "OPTIONS", adminURL(m, "/clock"), nil, "Origin: "+origin,
		"Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type")
	if pre.status >= 300 || pre.header.Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(strings.ToLower(pre.header.Get("Access-Control-Allow-Headers")), "content-type") {
		t.Fatalf("preflight answered %d %v", pre.status, pre.header)
	}
	m.Freeze()
	before := m.Now()
	r := call(t, "POST", adminURL(m, "/clock"), `{"advance":"1h"}`, "Origin: "+origin)
	mustStatus(t, r, 200)
	if r.header.Get("Access-Control-Allow-Origin") != origin {
		t.Fatalf("answer to a listed origin lacks CORS: %v", r.header)
	}
	if got := m.Now().Sub(before); got != time.Hour {
		t.Fatalf("clock moved %v, want 1h", got)
	}
	get := call(t, "GET", adminURL(m, "/requests"), nil, "Origin: "+origin)
	if get.status != 200 || get.header.Get("Access-Control-Allow-Origin") != origin {
		t.Fatalf("GET answered %d %v", get.status, get.header)
	}
	// Errors are readable too.
	bad := call(t, "POST", adminURL(m, "/clock"), `{}`, "Origin: "+origin)
	if bad.status != 400 || bad.header.Get("Access-Control-Allow-Origin") != origin {
		t.Fatalf("error answered %d %v", bad.status, bad.header)
	}
}

func TestControl_WritesMustBeJSONSoNoSimpleRequestChangesState(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1", "--admin-origins=http://localhost:5173")
	m.Freeze()
	before := m.Now()
	for _, hdr := range [][]string{
		{"Content-Type: text/plain"},
		{"Content-Type: application/x-www-form-urlencoded"},
		{"Content-Type: multipart/form-data; boundary=x"},
		{"Content-Type: "},
		{"Content-Type: text/plain", "Origin: http://localhost:5173"},
	} {
		r := call(t, "POST", adminURL(m, "/clock"), `{"advance":"1h"}`, hdr...)
		mustStatus(t, r, 415)
		if e := r.json(t)["errors"].([]any)[0].(map[string]any); !strings.Contains(e["detail"].(string), "application/json") {
			t.Fatalf("%v: detail %v", hdr, e["detail"])
		}
	}
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key+"/jobs"), `{"jobs":[]}`, "Content-Type: text/plain"), 415)
	if !m.Now().Equal(before) || len(m.Jobs(key)) != 1 {
		t.Fatal("a non-JSON write changed state")
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/clock"), `{"advance":"1h"}`, "Content-Type: application/json; charset=utf-8"), 200)
	mustStatus(t, call(t, "DELETE", adminURL(m, "/requests"), nil), 200)
}

func TestControl_NeverRateLimitedOrThrottled(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1", "--rate-limit-burst=1", "--rate-limit-steady=1", "--throttle-probability=1")
	for i := 0; i < 5; i++ {
		mustStatus(t, call(t, "GET", adminURL(m, "/health"), nil), 200)
	}
	if r := api(t, m.URL(), "GET", "/api/catalog-item-bulk-update-jobs", nil); r.status != 429 {
		t.Fatalf("API not throttled: %d", r.status)
	}
}

func TestControl_UnknownRouteAndMethod(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=1")
	mustStatus(t, call(t, "GET", adminURL(m, "/nope"), nil), 404)
	r := call(t, "PATCH", adminURL(m, "/faults"), nil)
	mustStatus(t, r, 405)
	if r.header.Get("Allow") != "GET, POST, DELETE" {
		t.Fatalf("Allow %q", r.header.Get("Allow"))
	}
}
