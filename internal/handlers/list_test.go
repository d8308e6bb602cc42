package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

const listPath = "/api/catalog-item-bulk-update-jobs"

func TestListJobs_EveryRevisionServesItsOwnShape(t *testing.T) {
	e := newEnv(t)
	for _, p := range revision.Default().All() {
		for _, path := range []string{listPath, listPath + "/"} {
			r := e.get(path, "revision: "+p.Date)
			if r.status != 200 {
				t.Fatalf("%s %s: status %d\n%s", p.Date, path, r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != p.ContentType {
				t.Errorf("%s: content type %q, want %q", p.Date, ct, p.ContentType)
			}
			validate(t, r, p.Date)
			d := r.doc(t)
			jobs := d["data"].([]any)
			if len(jobs) != 100 {
				t.Fatalf("%s: first page has %d jobs", p.Date, len(jobs))
			}
			job := jobs[0].(map[string]any)
			attrs := job["attributes"].(map[string]any)
			_, hasID := job["id"]
			_, hasJobID := attrs["job_id"]
			if hasID == ujp(p).JobIDAttribute || hasJobID != ujp(p).JobIDAttribute {
				t.Errorf("%s: top-level id %v, attributes.job_id %v", p.Date, hasID, hasJobID)
			}
			links := d["links"].(map[string]any)
			if len(links) != 3 || links["prev"] != nil || links["next"] == nil {
				t.Errorf("%s: links %v, want exactly self, next, prev (null)", p.Date, links)
			}
			if !strings.HasSuffix(links["self"].(string), path) {
				t.Errorf("%s: self %v does not echo %s", p.Date, links["self"], path)
			}
			_, hasMeta := d["meta"]
			if hasMeta != p.AgentHints {
				t.Errorf("%s: meta present %v", p.Date, hasMeta)
			}
			rel := job["relationships"].(map[string]any)["items"].(map[string]any)
			_, hasData := rel["data"]
			_, hasLinks := rel["links"]
			if hasData != ujp(p).RelDataOnRead || hasLinks != ujp(p).RelLinks {
				t.Errorf("%s: relationships.items data %v links %v", p.Date, hasData, hasLinks)
			}
		}
	}
}

func TestListJobs_FilterByEachStatus(t *testing.T) {
	e := newEnv(t)
	for _, status := range []string{"queued", "processing", "complete", "cancelled"} {
		for _, f := range []string{`equals(status,'` + status + `')`, `equals(status,"` + status + `")`, `and(equals(status,'` + status + `'))`} {
			r := e.get(listPath + "?filter=" + urlEscape(f))
			validate(t, r, "2026-07-15")
			jobs := r.doc(t)["data"].([]any)
			if len(jobs) == 0 {
				t.Fatalf("%s: no jobs", f)
			}
			for _, j := range jobs {
				if got := j.(map[string]any)["attributes"].(map[string]any)["status"]; got != status {
					t.Fatalf("%s: job with status %v", f, got)
				}
			}
		}
	}
}

func TestListJobs_ContradictoryFilterIsAnEmptyPage(t *testing.T) {
	e := newEnv(t)
	r := e.get(listPath + "?filter=" + urlEscape(`equals(status,'queued'),equals(status,'complete')`))
	validate(t, r, "2026-07-15")
	d := r.doc(t)
	if len(d["data"].([]any)) != 0 || d["links"].(map[string]any)["next"] != nil {
		t.Fatalf("got %s", r.body)
	}
}

func TestListJobs_BadQueriesAreKlaviyoShaped400s(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, query string
		source      map[string]any
		detail      string
	}{
		{"other field", `filter=equals(created_at,'x')`, map[string]any{"parameter": "filter"}, "created_at"},
		{"other operator", `filter=any(status,['queued'])`, map[string]any{"parameter": "filter"}, "any"},
		{"bad syntax", `filter=equals(status,'queued'`, map[string]any{"parameter": "filter"}, "')'"},
		{"unknown status", `filter=equals(status,'done')`, map[string]any{"parameter": "filter"}, "'done'"},
		{"unquoted", `filter=equals(status,queued)`, map[string]any{"parameter": "filter"}, "quoted"},
		{"unknown field", `fields[catalog-item-bulk-update-job]=status,nope`, map[string]any{"parameter": "fields[catalog-item-bulk-update-job]"}, "'nope' is not a valid field for the resource 'catalog-item-bulk-update-job'."},
		{"page size", `page[size]=10`, map[string]any{"pointer": "/data/attributes/page_size"}, "'page_size' is not a valid field"},
		{"sort", `sort=-created_at`, map[string]any{"parameter": "sort"}, "created_at"},
		{"include on list", `include=items`, map[string]any{"parameter": "include"}, "'items' is not an allowed include parameter for this resource."},
		{"unknown type", `fields[profile]=email`, map[string]any{"parameter": "fields[profile]"}, "'profile'"},
		{"bad cursor", `page[cursor]=%21%21%21`, map[string]any{"pointer": "/data/"}, "Invalid cursor provided."},
		{"forged cursor", `page[cursor]=` + b64("hello"), map[string]any{"pointer": "/data/"}, "Invalid cursor provided."},
		{"bad escape", `filter=%zz`, map[string]any{"parameter": "filter"}, "percent-encoded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.get(listPath + "?" + escapeBrackets(c.query))
			er := wantError(t, r, 400, "invalid", c.source)
			if !strings.Contains(er["detail"].(string), c.detail) {
				t.Fatalf("detail %q does not contain %q", er["detail"], c.detail)
			}
			if er["title"] != "Invalid input." {
				t.Fatalf("title %q", er["title"])
			}
			validate(t, r, "2026-07-15")
		})
	}
}

func TestListJobs_SparseFieldsetPerRevision(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		rev, fields string
		want        []string
		status      int
	}{
		{"2022-10-17", "status,created_at", []string{"status", "created_at"}, 200},
		{"2022-10-17", "job_id", []string{"job_id"}, 200},
		{"2023-12-15", "job_id", nil, 400},
		{"2026-01-15", "id", nil, 400},
		{"2026-04-15", "id", []string{}, 200},
		{"2026-07-15", "total_count,id,errors", []string{"total_count", "errors"}, 200},
	}
	for _, c := range cases {
		r := e.get(listPath+"?fields%5Bcatalog-item-bulk-update-job%5D="+c.fields, "revision: "+c.rev)
		if r.status != c.status {
			t.Fatalf("%s fields=%s: status %d\n%s", c.rev, c.fields, r.status, r.body)
		}
		if c.status != 200 {
			wantError(t, r, 400, "invalid", map[string]any{"parameter": "fields[catalog-item-bulk-update-job]"})
			continue
		}
		validateSparse(t, r, c.rev, strings.Split(c.fields, ","), nil)
		for _, j := range r.doc(t)["data"].([]any) {
			job := j.(map[string]any)
			attrs := job["attributes"].(map[string]any)
			if len(attrs) != len(c.want) {
				t.Fatalf("%s fields=%s: attributes %v", c.rev, c.fields, attrs)
			}
			for _, k := range c.want {
				if _, ok := attrs[k]; !ok {
					t.Fatalf("%s fields=%s: attribute %s missing", c.rev, c.fields, k)
				}
			}
			if job["links"] == nil || job["relationships"] == nil {
				t.Fatalf("sparse fieldset stripped links or relationships")
			}
		}
	}
}

func TestListJobs_UnknownParametersAreIgnored(t *testing.T) {
	e := newEnv(t)
	a := e.get(listPath + "?_=1700000000&foo=bar")
	b := e.get(listPath)
	if a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
	if len(a.doc(t)["data"].([]any)) != len(b.doc(t)["data"].([]any)) {
		t.Fatal("cache buster changed the page")
	}
}

func TestListJobs_SameSeedAndKeyAreByteIdenticalAcrossServers(t *testing.T) {
	a, b := newEnv(t), newEnv(t)
	for _, rev := range []string{"2022-10-17", "2023-02-22", "2026-07-15"} {
		pa := a.get(listPath+"?page%5Bcursor%5D="+cursorAfterFirstPage(t, a, rev), "revision: "+rev)
		pb := b.get(listPath+"?page%5Bcursor%5D="+cursorAfterFirstPage(t, b, rev), "revision: "+rev)
		if pa.status != 200 || a.strip(pa) != b.strip(pb) {
			t.Fatalf("%s: two servers with the same seed answered differently", rev)
		}
	}
	other := a.get(listPath, "Authorization: Klaviyo-API-Key pk_ffffffffffffffffffffffffffffffffff")
	if a.strip(other) == a.strip(a.get(listPath)) {
		t.Fatal("two keys share their data")
	}
}

func TestListJobs_BearerTokensAreAccountsToo(t *testing.T) {
	e := newEnv(t)
	a := e.get(listPath, "Authorization: Bearer token-a")
	b := e.get(listPath, "Authorization: Bearer token-b")
	if a.status != 200 || b.status != 200 {
		t.Fatalf("status %d %d", a.status, b.status)
	}
	if string(a.body) == string(b.body) {
		t.Fatal("two tokens share their data")
	}
}

func TestListJobs_HeadMirrorsGet(t *testing.T) {
	e := newEnv(t)
	g := e.get(listPath)
	h := e.req(http.MethodHead, listPath, nil)
	if h.status != 200 || len(h.body) != 0 {
		t.Fatalf("HEAD: status %d, %d body bytes", h.status, len(h.body))
	}
	for _, k := range []string{"Content-Type", "Content-Length"} {
		if h.header.Get(k) != g.header.Get(k) {
			t.Errorf("HEAD %s %q, GET %q", k, h.header.Get(k), g.header.Get(k))
		}
	}
}
