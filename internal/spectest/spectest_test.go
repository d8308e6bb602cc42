package spectest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestRevisions(t *testing.T) {
	revs := Revisions()
	if len(revs) != 21 || revs[0] != "2022-10-17" || revs[20] != "2026-07-15" || !slices.IsSorted(revs) {
		t.Fatalf("Revisions() = %v", revs)
	}
	if lic, err := specFS.ReadFile(specDir + "/LICENSE"); err != nil || !strings.Contains(string(lic), "MIT License") {
		t.Errorf("embedded LICENSE missing: %v", err)
	}
}

// TestSpecsValidate loads every embedded spec and runs doc.Validate. Example
// validation is disabled: the specs before 2024-02-15 carry date-time
// examples without an offset ("2022-11-08T00:00:00"), which kin-openapi's
// RFC 3339 format rejects; the second check pins that this is the only
// reason they fail.
func TestSpecsValidate(t *testing.T) {
	ctx := context.Background()
	for _, rev := range Revisions() {
		doc, err := loadRaw(rev)
		if err != nil {
			t.Fatalf("%s: %v", rev, err)
		}
		if err := doc.Validate(ctx, openapi3.DisableExamplesValidation()); err != nil {
			t.Errorf("%s: doc.Validate: %v", rev, err)
		}
		// Klaviyo's documents carry a few invalid examples (offset-less
		// date-times before 2024-02-15, inventory_policy 25): those, and
		// only those, may fail.
		if err := doc.Validate(ctx); err != nil && !strings.Contains(err.Error(), "invalid example") {
			t.Errorf("%s: doc.Validate with examples: %v", rev, err)
		}
	}
}

func TestValidDocumentsPass(t *testing.T) {
	for _, rev := range sampleRevisions {
		t.Run(rev, func(t *testing.T) {
			mustPass(t, response(t, rev, "GET", listPath(rev), 200, listDoc(rev)))
			mustPass(t, response(t, rev, "GET", onePath(rev), 200, oneDoc(rev, true)))
			mustPass(t, response(t, rev, "GET", onePath(rev), 200, oneDoc(rev, false)))
			mustPass(t, response(t, rev, "POST", listPath(rev), 202, oneDoc(rev, false)))
			mustPass(t, response(t, rev, "GET", onePath(rev), 404, errorDoc(404, "not_found", "Not found.")))
			mustPass(t, response(t, rev, "GET", listPath(rev), 400, errorDoc(400, "invalid", "Invalid input.")))
			mustPass(t, response(t, rev, "POST", listPath(rev), 500, errorDoc(500, "error", "A server error occurred.")))
			// Either path form, and a query string, select the same operation.
			mustPass(t, response(t, rev, "GET", jobsPath+"?page%5Bcursor%5D=abc", 200, listDoc(rev)))
			mustPass(t, response(t, rev, "GET", jobsPath+"/", 200, listDoc(rev)))
			mustPass(t, response(t, rev, "GET", jobsPath+"/"+jobID, 200, oneDoc(rev, true)))
			mustPass(t, response(t, rev, "GET", jobsPath+"/"+jobID+"/", 200, oneDoc(rev, true)))
			// Media type parameters are ignored.
			r := response(t, rev, "GET", listPath(rev), 200, listDoc(rev))
			r.ContentType = mediaOf(rev) + "; charset=utf-8"
			mustPass(t, r)
		})
	}
}

func TestInvalidDocumentsFail(t *testing.T) {
	type mutation struct {
		name   string
		method string
		one    bool // get-one document instead of list
		edit   func(t *testing.T, rev string, doc map[string]any)
		want   []string
	}
	cases := []mutation{
		{"wrong type", "GET", false, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/data/0/type", "catalog-item")
		}, []string{"/data/0/type"}},
		{"missing status", "GET", false, func(t *testing.T, _ string, d map[string]any) {
			del(t, d, "/data/0/attributes/status")
		}, []string{"/data/0/attributes", `"status"`}},
		{"missing links", "GET", true, func(t *testing.T, _ string, d map[string]any) {
			del(t, d, "/data/links")
		}, []string{"/data", `"links"`}},
		{"bad date-time", "GET", false, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/data/0/attributes/created_at", "2024-11-14 23:18:34")
		}, []string{"/data/0/attributes/created_at", "date-time"}},
		{"date-time without offset", "POST", true, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/data/attributes/expires_at", "2022-11-08T00:00:00")
		}, []string{"/data/attributes/expires_at", "date-time"}},
		{"relative uri", "GET", true, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/data/links/self", jobsPath+"/"+jobID+"/")
		}, []string{"/data/links/self", `"uri"`}},
		{"bad included item", "GET", true, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/included/0/attributes/published", "yes")
		}, []string{"/included/0/attributes/published"}},
		{"status not in enum", "GET", false, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/data/0/attributes/status", "done")
		}, []string{"/data/0/attributes/status"}},
		{"fractional count", "GET", false, func(t *testing.T, _ string, d map[string]any) {
			set(t, d, "/data/0/attributes/total_count", 2.5)
		}, []string{"/data/0/attributes/total_count", "integer"}},
		{"missing job id", "GET", true, func(t *testing.T, rev string, d map[string]any) {
			if rev < "2023-12-15" {
				del(t, d, "/data/attributes/job_id")
			} else {
				del(t, d, "/data/id")
			}
		}, []string{"/data"}},
	}
	for _, rev := range sampleRevisions {
		for _, c := range cases {
			t.Run(rev+"/"+c.name, func(t *testing.T) {
				doc, path, status := listDoc(rev), listPath(rev), 200
				if c.one {
					doc, path = oneDoc(rev, c.method == "GET"), onePath(rev)
				}
				if c.method == "POST" {
					path, status = listPath(rev), 202
				}
				c.edit(t, rev, doc)
				mustFail(t, response(t, rev, c.method, path, status, doc), c.want...)
			})
		}
	}
}

func TestRequestMismatchesFail(t *testing.T) {
	for _, rev := range sampleRevisions {
		t.Run(rev, func(t *testing.T) {
			other := mediaVndAPI
			if mediaOf(rev) == mediaVndAPI {
				other = mediaJSON
			}
			r := response(t, rev, "GET", listPath(rev), 200, listDoc(rev))
			r.ContentType = other
			mustFail(t, r, "Content-Type", other)
			r.ContentType = "text/html"
			mustFail(t, r, "Content-Type")

			e := errorDoc(404, "not_found", "Not found.")
			del(t, e, "/errors/0/code")
			mustFail(t, response(t, rev, "GET", onePath(rev), 404, e), "/errors/0", `"code"`)
			mustFail(t, response(t, rev, "GET", onePath(rev), 404, map[string]any{"detail": "x"}), `"errors"`)

			mustFail(t, response(t, rev, "POST", listPath(rev), 200, oneDoc(rev, false)), "no response for status 200")
			mustFail(t, response(t, rev, "DELETE", onePath(rev), 204, nil), "no DELETE operation")
			mustFail(t, response(t, rev, "GET", "/api/catalog-widgets/", 200, listDoc(rev)), "matches none")
			mustFail(t, response(t, rev, "GET", jobsPath+"//", 200, listDoc(rev)), "matches none")
			bad := response(t, rev, "GET", listPath(rev), 200, nil)
			bad.Body = []byte("{not json")
			mustFail(t, bad, "not JSON")
		})
	}
	mustFail(t, Response{Revision: "2024-01-01", Method: "GET", Path: jobsPath, Status: 200,
		ContentType: mediaJSON, Body: []byte(`{}`)}, "no embedded spec", "2023-12-15")
}

func TestEveryViolationReported(t *testing.T) {
	rev := "2023-12-15"
	doc := listDoc(rev)
	doc["data"] = append(doc["data"].([]any), sampleJob(rev))
	set(t, doc, "/data/0/type", "job")
	set(t, doc, "/data/1/attributes/created_at", "yesterday")
	del(t, doc, "/data/1/attributes/total_count")
	set(t, doc, "/links/self", "not a uri")
	mustFail(t, response(t, rev, "GET", listPath(rev), 200, doc), "4 violation(s)",
		"/data/0/type", "/data/1/attributes/created_at", "/data/1/attributes/total_count", `property "total_count" is missing`, "/links/self")
}

// recorder captures what Validate reports.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func TestValidateReportsOnT(t *testing.T) {
	rev := "2026-07-15"
	good := response(t, rev, "POST", listPath(rev), 202, oneDoc(rev, false))
	rec := &recorder{TB: t}
	Validate(rec, good)
	if len(rec.msgs) != 0 {
		t.Fatalf("valid document reported: %v", rec.msgs)
	}
	doc := oneDoc(rev, false)
	set(t, doc, "/meta/agent_hints/next_steps", "poll")
	Validate(rec, response(t, rev, "POST", listPath(rev), 202, doc))
	if len(rec.msgs) != 1 {
		t.Fatalf("want one report, got %v", rec.msgs)
	}
	for _, w := range []string{rev, "POST", listPath(rev), "status 202", "/meta/agent_hints/next_steps"} {
		if !strings.Contains(rec.msgs[0], w) {
			t.Errorf("report does not mention %q: %s", w, rec.msgs[0])
		}
	}
}
