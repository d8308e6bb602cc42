package handlers

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// jobIDOf returns a job's id in either revision shape.
func jobIDOf(job map[string]any) string {
	if id, ok := job["id"].(string); ok {
		return id
	}
	return job["attributes"].(map[string]any)["job_id"].(string)
}

// walk follows links.next from first and returns every job id seen, in order.
func walk(t *testing.T, e *env, first, rev string) []string {
	t.Helper()
	var ids []string
	link := first
	for pages := 0; link != ""; pages++ {
		if pages > 1000 {
			t.Fatal("more than 1000 pages")
		}
		r := e.get(link, "revision: "+rev)
		if r.status != 200 {
			t.Fatalf("%s: status %d\n%s", link, r.status, r.body)
		}
		validate(t, r, rev)
		d := r.doc(t)
		jobs := d["data"].([]any)
		if len(jobs) > 100 {
			t.Fatalf("page of %d jobs", len(jobs))
		}
		for _, j := range jobs {
			ids = append(ids, jobIDOf(j.(map[string]any)))
		}
		links := d["links"].(map[string]any)
		fromStart := pages == 0 && !strings.Contains(first, "page%5Bcursor%5D")
		if fromStart != (links["prev"] == nil) {
			t.Fatalf("page %d: prev %v", pages, links["prev"])
		}
		link, _ = links["next"].(string)
		if link != "" && !strings.HasPrefix(link, e.srv.URL) {
			t.Fatalf("next link %q is not absolute on the server", link)
		}
		if link != "" && len(jobs) != 100 {
			t.Fatalf("a page of %d jobs has a next link", len(jobs))
		}
	}
	return ids
}

func TestPaging_EveryJobExactlyOncePerStatusAndRevisionShape(t *testing.T) {
	e := newEnv(t, withJobs(1234))
	a, _ := e.store.Account(testKey)
	all, _ := snapshot(t, a)
	want := map[string]map[string]bool{"": {}}
	for _, j := range all {
		s := j.Status.String()
		if want[s] == nil {
			want[s] = map[string]bool{}
		}
		want[s][j.ID] = true
		want[""][j.ID] = true
	}
	// One revision per shape: job_id attribute, top-level id with
	// relationship data, links-only relationships, vnd.api+json, meta.
	for _, rev := range []string{"2022-10-17", "2023-12-15", "2024-05-15", "2024-10-15", "2026-07-15"} {
		for status, set := range want {
			first := e.srv.URL + listPath
			if status != "" {
				first += "?filter=" + url.QueryEscape("equals(status,'"+status+"')")
			}
			ids := walk(t, e, first, rev)
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("%s %q: job %s seen twice", rev, status, id)
				}
				if !set[id] {
					t.Fatalf("%s %q: job %s does not belong", rev, status, id)
				}
				seen[id] = true
			}
			if len(seen) != len(set) {
				t.Fatalf("%s %q: saw %d jobs, want %d", rev, status, len(seen), len(set))
			}
		}
	}
}

func TestPaging_JobsAddedOrRemovedMidWalk(t *testing.T) {
	e := newEnv(t, withJobs(450))
	a, _ := e.store.Mutable(testKey)
	before, _ := snapshot(t, a)

	r := e.get(listPath)
	next := r.doc(t)["links"].(map[string]any)["next"].(string)
	cursorJob := before[99].ID
	// Remove the cursor's own job and the next one; add one behind the cursor
	// (already read) and one ahead of it.
	a.Delete(jobItemUpdate, cursorJob)
	a.Delete(jobItemUpdate, before[100].ID)
	behind := &store.Job{ID: before[50].ID + "0", Status: store.Queued, CreatedAt: testNow, Total: 1, Kind: jobItemUpdate, IDs: []string{"x"}}
	ahead := &store.Job{ID: before[300].ID + "0", Status: store.Queued, CreatedAt: testNow, Total: 1, Kind: jobItemUpdate, IDs: []string{"x"}}
	if err := a.Put(behind); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(ahead); err != nil {
		t.Fatal(err)
	}

	ids := walk(t, e, next, "2026-07-15")
	seen := map[string]int{}
	for _, id := range ids {
		seen[id]++
	}
	for i, j := range before[101:] {
		if seen[j.ID] != 1 {
			t.Fatalf("job %d (%s) present for the whole walk seen %d times", 101+i, j.ID, seen[j.ID])
		}
	}
	if seen[ahead.ID] != 1 || seen[behind.ID] != 0 || seen[cursorJob] != 0 {
		t.Fatalf("ahead seen %d, behind %d, deleted cursor job %d", seen[ahead.ID], seen[behind.ID], seen[cursorJob])
	}
	if ids[0] != before[101].ID {
		t.Fatalf("walk after a deleted cursor job restarts at %s, want %s", ids[0], before[101].ID)
	}
}

func TestPaging_NextLinkKeepsParamsAndEncodesBrackets(t *testing.T) {
	e := newEnv(t)
	q := "filter=" + url.QueryEscape(`equals(status,"complete")`) + "&fields%5Bcatalog-item-bulk-update-job%5D=status&_=1"
	r := e.get(listPath + "/?" + q)
	links := r.doc(t)["links"].(map[string]any)
	if links["self"] != e.srv.URL+listPath+"/?"+q {
		t.Fatalf("self %q does not echo the request", links["self"])
	}
	next := links["next"].(string)
	wantPrefix := e.srv.URL + listPath + "/?filter=equals%28status%2C%22complete%22%29&fields%5Bcatalog-item-bulk-update-job%5D=status&_=1&page%5Bcursor%5D="
	if !strings.HasPrefix(next, wantPrefix) {
		t.Fatalf("next %q\nwant prefix %q", next, wantPrefix)
	}
	raw, _ := url.QueryUnescape(strings.TrimPrefix(next, wantPrefix))
	if strings.HasSuffix(raw, "=") || strings.ContainsAny(raw, "-_") {
		t.Fatalf("cursor %q is not unpadded standard base64", raw)
	}
	dec, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || !strings.HasPrefix(string(dec), "next::id::") {
		t.Fatalf("cursor decodes to %q (%v)", dec, err)
	}
	// Following next twice and prev once comes back to the second page.
	second := e.get(next)
	third := e.get(second.doc(t)["links"].(map[string]any)["next"].(string))
	back := e.get(third.doc(t)["links"].(map[string]any)["prev"].(string))
	gotData, _ := json.Marshal(back.doc(t)["data"])
	wantData, _ := json.Marshal(second.doc(t)["data"])
	if string(gotData) != string(wantData) {
		t.Fatal("prev of the third page is not the second page")
	}
}

func TestPaging_PublicURLRewritesLinks(t *testing.T) {
	e := newEnv(t, func(o *Options, _ *store.Options) { o.PublicURL = "https://a.klaviyo.com" })
	d := e.get(listPath).doc(t)
	for _, k := range []string{"self", "next"} {
		if s := d["links"].(map[string]any)[k].(string); !strings.HasPrefix(s, "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs") {
			t.Fatalf("%s link %q", k, s)
		}
	}
	job := d["data"].([]any)[0].(map[string]any)
	if s := job["links"].(map[string]any)["self"].(string); s != fmt.Sprintf("https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/%s/", job["id"]) {
		t.Fatalf("job self %q", s)
	}
}

func TestPaging_IndependentDecoderAgrees(t *testing.T) {
	e := newEnv(t)
	for _, p := range revision.Default().All() {
		if ujp(p).JobIDAttribute {
			continue // google/jsonapi needs a top-level id
		}
		r := e.get(listPath, "revision: "+p.Date)
		jobs, err := spectest.DecodeJobs(r.body)
		if err != nil {
			t.Fatalf("%s: google/jsonapi cannot decode the page: %v", p.Date, err)
		}
		if len(jobs) != 100 || jobs[0].ID == "" || jobs[0].Status == "" {
			t.Fatalf("%s: decoded %d jobs, first %+v", p.Date, len(jobs), jobs[0])
		}
	}
}

// TestPaging_WholeNextLinkAsCursorWalksEveryJob pages the way the official
// SDKs' READMEs teach: links.next, whole, passed back as page[cursor]. The
// SDKs reduce it to the cursor only for https links, so over http the link
// itself arrives; the walk must see every job once, and the filter of the
// first request must carry on.
func TestPaging_WholeNextLinkAsCursorWalksEveryJob(t *testing.T) {
	e := newEnv(t, withJobs(345))
	a, _ := e.store.Account(testKey)
	all, _ := snapshot(t, a)
	want := 0
	for _, j := range all {
		if j.Status == store.Complete {
			want++
		}
	}
	filter := "filter=" + urlEscape(`equals(status,"complete")`)
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("too many pages")
		}
		target := listPath + "?" + filter
		if cursor != "" {
			target += "&page%5Bcursor%5D=" + url.QueryEscape(cursor)
		}
		r := e.get(target)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.body)
		}
		d := r.doc(t)
		for _, j := range d["data"].([]any) {
			job := j.(map[string]any)
			if st := job["attributes"].(map[string]any)["status"]; st != "complete" {
				t.Fatalf("page %d holds a %v job: the filter was lost", pages, st)
			}
			if id := jobIDOf(job); seen[id] {
				t.Fatalf("job %s seen twice", id)
			} else {
				seen[id] = true
			}
		}
		next, _ := d["links"].(map[string]any)["next"].(string)
		if next == "" {
			break
		}
		if !strings.HasPrefix(next, "http://") {
			t.Fatalf("next link %q is not plain http: the test would not exercise the rule", next)
		}
		cursor = next
	}
	if len(seen) != want {
		t.Fatalf("walked %d complete jobs, want %d", len(seen), want)
	}
}

func TestPaging_LinkWithoutACursorIsAnInvalidCursor(t *testing.T) {
	e := newEnv(t)
	for _, v := range []string{
		e.srv.URL + listPath,
		e.srv.URL + "/__admin/requests?page%5Bcursor%5D=" + b64("next::id::x"),
		"mailto:someone@example.com",
	} {
		r := e.get(listPath + "?page%5Bcursor%5D=" + url.QueryEscape(v))
		e := wantError(t, r, 400, "invalid", map[string]any{"pointer": "/data/"})
		if e["detail"] != "Invalid cursor provided." {
			t.Errorf("%s: detail %v", v, e["detail"])
		}
	}
}
