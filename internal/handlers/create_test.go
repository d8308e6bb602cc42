package handlers

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func withLifecycle(l store.Lifecycle) envOption {
	return func(_ *Options, so *store.Options) { so.Lifecycle = l }
}

// itemIDs returns n catalog item ids of the account (existing ones).
func (e *env) itemIDs(key string, n int) []string {
	e.t.Helper()
	a, _ := e.store.Account(key)
	_, items := snapshot(e.t, a)
	out := make([]string, n)
	for i := range out {
		out[i] = items[i].ID
	}
	return out
}

// createBody builds a POST body in the shape of revision rev; each item
// gets the given attributes.
func createBody(rev string, ids []string, attrs map[string]any) []byte {
	p, _ := revision.Default().Exact(rev)
	items := make([]any, len(ids))
	for i, id := range ids {
		items[i] = map[string]any{"type": "catalog-item", "id": id, "attributes": attrs}
	}
	var list any = items
	if ujp(p).BodyWrapped {
		list = map[string]any{"data": items}
	}
	b, _ := json.Marshal(map[string]any{"data": map[string]any{
		"type": "catalog-item-bulk-update-job", "attributes": map[string]any{"items": list},
	}})
	return b
}

func (e *env) post(rev string, body []byte, hdr ...string) *resp {
	e.t.Helper()
	hdr = append([]string{"revision: " + rev, "Content-Type: application/vnd.api+json"}, hdr...)
	return e.req(http.MethodPost, listPath, bytes.NewReader(body), hdr...)
}

// attrsOf returns data.attributes of a single-job document.
func attrsOf(t *testing.T, r *resp) map[string]any {
	t.Helper()
	return r.doc(t)["data"].(map[string]any)["attributes"].(map[string]any)
}

func createdID(t *testing.T, r *resp) string {
	t.Helper()
	return jobIDOf(r.doc(t)["data"].(map[string]any))
}

func TestCreateJob_LifecycleOverTheClock(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Duration, Duration: 10 * time.Second}))
	ids := e.itemIDs(testKey, 10)
	r := e.post("2026-07-15", createBody("2026-07-15", ids, map[string]any{"title": "Renamed", "price": 9.5}))
	if r.status != 202 {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	validate(t, r, "2026-07-15")
	a := attrsOf(t, r)
	if a["status"] != "queued" || a["total_count"] != 10.0 || a["completed_count"] != 0.0 || a["completed_at"] != nil {
		t.Fatalf("created job %v", a)
	}
	id := createdID(t, r)
	one := listPath + "/" + id
	e.clock.Advance(time.Second) // still queued: the first fifth of 10 s
	if s := attrsOf(t, e.get(one))["status"]; s != "queued" {
		t.Fatalf("at 1 s: %v", s)
	}
	e.clock.Advance(5 * time.Second) // 6 s: half of the 8 s processing span
	mid := e.get(one)
	validate(t, mid, "2026-07-15")
	m := attrsOf(t, mid)
	if m["status"] != "processing" || m["completed_count"] != 5.0 || m["completed_at"] != nil {
		t.Fatalf("at 6 s: %v", m)
	}
	e.clock.Advance(4 * time.Second) // 10 s
	done := e.get(one + "?include=items")
	validate(t, done, "2026-07-15")
	d := attrsOf(t, done)
	if d["status"] != "complete" || d["completed_count"] != 10.0 || d["failed_count"] != 0.0 {
		t.Fatalf("at 10 s: %v", d)
	}
	created := testNow
	if d["completed_at"] != created.Add(10*time.Second).Format("2006-01-02T15:04:05+00:00") {
		t.Fatalf("completed_at %v", d["completed_at"])
	}
	if d["expires_at"] != created.Add(10*time.Second+store.DefaultRetention).Format("2006-01-02T15:04:05+00:00") {
		t.Fatalf("expires_at %v", d["expires_at"])
	}
	// The items really changed.
	inc := done.doc(t)["included"].([]any)
	if len(inc) != 10 {
		t.Fatalf("%d included items", len(inc))
	}
	for _, it := range inc {
		at := it.(map[string]any)["attributes"].(map[string]any)
		if at["title"] != "Renamed" || at["price"] != 9.5 {
			t.Fatalf("item not updated: %v", at)
		}
	}
}

func TestCreateJob_MissingItemsFailWithOneErrorEach(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
	ids := append(e.itemIDs(testKey, 3), "$custom:::$default:::NOPE-1", "$custom:::$default:::NOPE-2")
	for _, rev := range []string{"2022-10-17", "2024-10-15"} {
		r := e.post(rev, createBody(rev, ids, map[string]any{"published": false}))
		if r.status != 202 {
			t.Fatalf("%s: %d\n%s", rev, r.status, r.body)
		}
		validate(t, r, rev)
		got := e.get(listPath+"/"+createdID(t, r), "revision: "+rev)
		validate(t, got, rev)
		a := attrsOf(t, got)
		if a["status"] != "complete" || a["completed_count"] != 3.0 || a["failed_count"] != 2.0 {
			t.Fatalf("%s: %v", rev, a)
		}
		errs := a["errors"].([]any)
		if len(errs) != 2 {
			t.Fatalf("%s: %d errors for 2 failed items", rev, len(errs))
		}
		p, _ := revision.Default().Exact(rev)
		wantPtr := "/data/attributes/items/3/id"
		if ujp(p).BodyWrapped {
			wantPtr = "/data/attributes/items/data/3/id"
		}
		first := errs[0].(map[string]any)
		if first["source"].(map[string]any)["pointer"] != wantPtr || !strings.Contains(first["detail"].(string), "NOPE-1") {
			t.Fatalf("%s: first error %v", rev, first)
		}
	}
}

func TestCreateJob_PollsMode(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Polls, Polls: 3}))
	r := e.post("2026-07-15", createBody("2026-07-15", e.itemIDs(testKey, 6), map[string]any{"title": "x"}))
	id := createdID(t, r)
	// Listing is not polling.
	for i := 0; i < 3; i++ {
		e.get(listPath + "?filter=" + urlEscape("equals(status,'queued')"))
	}
	want := []struct {
		status    string
		completed float64
	}{{"processing", 2}, {"processing", 4}, {"complete", 6}}
	for i, w := range want {
		a := attrsOf(t, e.get(listPath+"/"+id))
		if a["status"] != w.status || a["completed_count"] != w.completed {
			t.Fatalf("poll %d: %v %v, want %s %v", i+1, a["status"], a["completed_count"], w.status, w.completed)
		}
	}
}

func TestCreateJob_ImmediateMode(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
	r := e.post("2026-07-15", createBody("2026-07-15", e.itemIDs(testKey, 2), map[string]any{"title": "x"}))
	if attrsOf(t, r)["status"] != "queued" {
		t.Fatal("POST answered with a non-queued job")
	}
	l := e.get(listPath + "?filter=" + urlEscape("equals(status,'complete')") + "&page%5Bcursor%5D=" + b64("next::id::"+createdID(t, r)[:25]))
	found := false
	for _, j := range l.doc(t)["data"].([]any) {
		found = found || jobIDOf(j.(map[string]any)) == createdID(t, r)
	}
	if !found {
		t.Fatal("the job is not complete at the next read")
	}
}

func TestCreateJob_AppearsAtTheEndOfTheListWithIncreasingIDsEvenIfTheClockGoesBack(t *testing.T) {
	e := newEnv(t, withJobs(30))
	var ids []string
	for i := 0; i < 3; i++ {
		r := e.post("2026-07-15", createBody("2026-07-15", e.itemIDs(testKey, 1), map[string]any{"title": "x"}))
		ids = append(ids, createdID(t, r))
		e.clock.Advance(-48 * time.Hour)
	}
	if !(ids[0] < ids[1] && ids[1] < ids[2]) {
		t.Fatalf("ids not increasing: %v", ids)
	}
	walked := walk(t, e, e.srv.URL+listPath, "2026-07-15")
	if len(walked) != 33 || !reflect.DeepEqual(walked[30:], ids) {
		t.Fatalf("list ends %v, want the created %v", walked[len(walked)-3:], ids)
	}
}

func TestCreateJob_RefusedRequestsChangeNothing(t *testing.T) {
	e := newEnv(t)
	ok := e.itemIDs(testKey, 1)
	many := make([]string, 101)
	for i := range many {
		many[i] = ok[0]
	}
	wrapped := func(item string) []byte {
		return []byte(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[` + item + `]}}}}`)
	}
	cases := []struct {
		name    string
		rev     string
		body    []byte
		hdr     []string
		status  int
		code    string
		pointer string
	}{
		{"not json", "2026-07-15", []byte(`{"data":`), nil, 400, "parse_error", "/data"},
		{"trailing garbage", "2026-07-15", []byte(`{} {}`), nil, 400, "parse_error", "/data"},
		{"no data", "2026-07-15", []byte(`{}`), nil, 400, "invalid", "/data"},
		{"wrong type", "2026-07-15", []byte(`{"data":{"type":"profile","attributes":{"items":{"data":[]}}}}`), nil, 400, "invalid", "/data/type"},
		{"old shape at new revision", "2026-07-15", createBody("2023-06-15", ok, map[string]any{"title": "x"}), nil, 400, "invalid", "/data/attributes/items"},
		{"new shape at old revision", "2023-06-15", createBody("2023-07-15", ok, map[string]any{"title": "x"}), nil, 400, "invalid", "/data/attributes/items"},
		{"no items", "2026-07-15", wrapped(``), nil, 400, "invalid", "/data/attributes/items/data"},
		{"101 items", "2026-07-15", createBody("2026-07-15", many, map[string]any{"title": "x"}), nil, 400, "invalid", "/data/attributes/items/data"},
		{"item type", "2026-07-15", wrapped(`{"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{}}`), nil, 400, "invalid", "/data/attributes/items/data/0/type"},
		{"item id", "2026-07-15", wrapped(`{"type":"catalog-item","id":"$shopify:::$default:::A","attributes":{}}`), nil, 400, "invalid", "/data/attributes/items/data/0/id"},
		{"not updatable", "2026-07-15", wrapped(`{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"external_id":"B"}}`), nil, 400, "invalid", "/data/attributes/items/data/0/attributes/external_id"},
		{"price type", "2026-07-15", wrapped(`{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"price":"9.99"}}`), nil, 400, "invalid", "/data/attributes/items/data/0/attributes/price"},
		{"null before 2024-02-15", "2023-12-15", wrapped(`{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":null}}`), nil, 400, "invalid", "/data/attributes/items/data/0/attributes/title"},
		{"images element", "2026-07-15", wrapped(`{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"images":["a",1]}}`), nil, 400, "invalid", "/data/attributes/items/data/0/attributes/images/1"},
		{"metadata size", "2026-07-15", wrapped(`{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"custom_metadata":{"k":"` + strings.Repeat("x", 102400) + `"}}}`), nil, 400, "invalid", "/data/attributes/items/data/0/attributes/custom_metadata"},
		{"categories data required", "2024-02-15", wrapped(`{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{}}}`), nil, 400, "invalid", "/data/attributes/items/data/0/relationships/categories/data"},
		{"content type", "2026-07-15", createBody("2026-07-15", ok, nil), []string{"Content-Type: text/plain"}, 415, "unsupported_media_type", ""},
		{"encoding", "2026-07-15", createBody("2026-07-15", ok, nil), []string{"Content-Encoding: br"}, 415, "unsupported_media_type", ""},
		{"too large at 2023-10-15", "2023-10-15", bytes.Repeat([]byte(" "), 4<<20+1), nil, 413, "request_too_large", "/data"},
		{"fields before 2026-04-15", "2026-01-15", createBody("2026-01-15", ok, map[string]any{"title": "x"}), nil, 400, "invalid", ""},
	}
	a, _ := e.store.Account(testKey)
	beforeJobs, beforeItems := snapshot(t, a)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := listPath
			if c.name == "fields before 2026-04-15" {
				path += "?fields%5Bcatalog-item-bulk-update-job%5D=status"
			}
			hdr := append([]string{"revision: " + c.rev, "Content-Type: application/vnd.api+json"}, c.hdr...)
			r := e.req(http.MethodPost, path, bytes.NewReader(c.body), hdr...)
			var src map[string]any
			if c.pointer != "" {
				src = map[string]any{"pointer": c.pointer}
			}
			wantError(t, r, c.status, c.code, src)
			validate(t, r, c.rev)
		})
	}
	afterJobs, afterItems := snapshot(t, a)
	if !reflect.DeepEqual(beforeJobs, afterJobs) || !reflect.DeepEqual(beforeItems, afterItems) {
		t.Fatal("a refused POST changed the store")
	}
	if keys, changed := e.store.Keys(); len(keys) != 1 || changed[0] {
		t.Fatalf("a refused POST marked the account changed: %v %v", keys, changed)
	}
}

func TestCreateJob_SeveralProblemsShareOneErrorID(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[
		{"type":"catalog-item","id":"bad","attributes":{"price":"x"}},
		{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"colour":"red"}}]}}}}`)
	r := e.post("2026-07-15", body)
	errs := r.doc(t)["errors"].([]any)
	if r.status != 400 || len(errs) != 3 {
		t.Fatalf("status %d, %d errors: %s", r.status, len(errs), r.body)
	}
	id := errs[0].(map[string]any)["id"]
	var ptrs []string
	for _, er := range errs {
		m := er.(map[string]any)
		if m["id"] != id {
			t.Fatal("errors of one response have different ids")
		}
		ptrs = append(ptrs, m["source"].(map[string]any)["pointer"].(string))
	}
	want := []string{"/data/attributes/items/data/0/id", "/data/attributes/items/data/0/attributes/price", "/data/attributes/items/data/1/attributes/colour"}
	if !reflect.DeepEqual(ptrs, want) {
		t.Fatalf("pointers %v, want %v", ptrs, want)
	}
}

func TestCreateJob_AcceptsGzipAndPlainJSON(t *testing.T) {
	e := newEnv(t)
	body := createBody("2024-10-15", e.itemIDs(testKey, 2), map[string]any{"title": "z"})
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(body)
	w.Close()
	if r := e.post("2024-10-15", gz.Bytes(), "Content-Encoding: gzip"); r.status != 202 {
		t.Fatalf("gzip: %d %s", r.status, r.body)
	}
	if r := e.post("2024-10-15", body, "Content-Type: application/json; charset=utf-8"); r.status != 202 {
		t.Fatalf("application/json: %d %s", r.status, r.body)
	}
}

func TestCreateJob_InProgressLimit(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Polls, MaxInProgress: 3}))
	body := createBody("2026-07-15", e.itemIDs(testKey, 1), map[string]any{"title": "x"})
	var first string
	for i := 0; i < 3; i++ {
		r := e.post("2026-07-15", body)
		if r.status != 202 {
			t.Fatalf("job %d: %d", i, r.status)
		}
		if i == 0 {
			first = createdID(t, r)
		}
	}
	r := e.post("2026-07-15", body)
	er := wantError(t, r, 400, "invalid", map[string]any{"pointer": "/data"})
	if !strings.Contains(er["detail"].(string), "3") {
		t.Fatalf("detail %q", er["detail"])
	}
	for i := 0; i < 3; i++ { // finish the first job
		e.get(listPath + "/" + first)
	}
	if r := e.post("2026-07-15", body); r.status != 202 {
		t.Fatalf("after a job completed: %d", r.status)
	}
}

func TestCreateJob_SparseFieldsetFrom2026_04_15(t *testing.T) {
	e := newEnv(t)
	body := createBody("2026-04-15", e.itemIDs(testKey, 1), map[string]any{"title": "x"})
	r := e.req(http.MethodPost, listPath+"?fields%5Bcatalog-item-bulk-update-job%5D=status,id", bytes.NewReader(body),
		"revision: 2026-04-15", "Content-Type: application/vnd.api+json")
	if r.status != 202 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	validateSparse(t, r, "2026-04-15", []string{"status", "id"}, nil)
	if a := attrsOf(t, r); len(a) != 1 || a["status"] != "queued" {
		t.Fatalf("attributes %v", a)
	}
	if self := r.doc(t)["links"].(map[string]any)["self"]; self == nil {
		t.Fatal("2026-04-15 POST lacks links.self")
	}
}

func TestCreateJob_RateLimitsPerRevision(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Scale: 0.01}))
	body := createBody("2025-10-15", e.itemIDs(testKey, 1), map[string]any{"title": "x"})
	r := e.post("2025-10-15", body)
	if r.status != 202 || r.header.Get("RateLimit-Limit") != "1, 1;w=1, 7;w=60" {
		t.Fatalf("2025-10-15 POST: %d limit %q", r.status, r.header.Get("RateLimit-Limit"))
	}
	want429(t, e.post("2025-10-15", body), "2025-10-15")
	e.clock.Advance(time.Second)
	if r := e.post("2026-01-15", body); r.status != 202 || r.header.Get("RateLimit-Limit") != "1, 1;w=1, 8;w=60" {
		t.Fatalf("2026-01-15 POST: %d limit %q", r.status, r.header.Get("RateLimit-Limit"))
	}
}

func TestGetJob_IncludeAndSparseFieldsetsAcrossRevisions(t *testing.T) {
	e := newEnv(t)
	a, _ := e.store.Account(testKey)
	jobs, _ := snapshot(t, a)
	var job *store.Job
	for _, j := range jobs {
		if j.Status == store.Complete && j.Failed > 0 {
			job = j
			break
		}
	}
	for _, rev := range []string{"2022-10-17", "2024-10-15", "2026-07-15"} {
		p, _ := revision.Default().Exact(rev)
		for _, path := range []string{listPath + "/" + job.ID, listPath + "/" + job.ID + "/"} {
			plain := e.get(path, "revision: "+rev)
			validate(t, plain, rev)
			d := plain.doc(t)
			if _, ok := d["included"]; ok {
				t.Fatalf("%s: included without include=items", rev)
			}
			if jobIDOf(d["data"].(map[string]any)) != job.ID {
				t.Fatalf("%s: wrong job", rev)
			}
			if _, ok := d["links"]; ok != p.DocumentSelfLink {
				t.Fatalf("%s: top-level links %v", rev, ok)
			}
		}
		withItems := e.get(listPath+"/"+job.ID+"?include=items&fields%5Bcatalog-item%5D=title,price&fields%5Bcatalog-item-bulk-update-job%5D=status", "revision: "+rev)
		validateSparse(t, withItems, rev, []string{"status"}, []string{"title", "price"})
		d := withItems.doc(t)
		inc := d["included"].([]any)
		if len(inc) != job.Completed {
			t.Fatalf("%s: %d included items, want the %d that exist", rev, len(inc), job.Completed)
		}
		for _, it := range inc {
			if at := it.(map[string]any)["attributes"].(map[string]any); len(at) != 2 {
				t.Fatalf("%s: item attributes %v", rev, at)
			}
		}
		rel := d["data"].(map[string]any)["relationships"].(map[string]any)["items"].(map[string]any)
		if data, _ := rel["data"].([]any); len(data) != job.Total {
			t.Fatalf("%s: relationships.items.data has %d of %d", rev, len(data), job.Total)
		}
	}
}

func TestGetJob_ErrorsAreKlaviyoShaped(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"01ZZZZZZZZZZZZZZZZZZZZZZZZ", "nope"} {
		r := e.get(listPath + "/" + id)
		er := wantError(t, r, 404, "not_found", map[string]any{"pointer": "/data/"})
		if er["detail"] != fmt.Sprintf("A catalog-item-bulk-update-job with id %s does not exist.", id) {
			t.Fatalf("detail %q", er["detail"])
		}
		validate(t, r, "2026-07-15")
	}
	a, _ := e.store.Account(testKey)
	jobs, _ := snapshot(t, a)
	r := e.get(listPath + "/" + jobs[0].ID + "?include=variants")
	wantError(t, r, 400, "invalid", map[string]any{"parameter": "include"})
	r = e.get(listPath + "/" + jobs[0].ID + "?fields%5Bcatalog-item%5D=sku")
	wantError(t, r, 400, "invalid", map[string]any{"parameter": "fields[catalog-item]"})
}
