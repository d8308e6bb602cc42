package spectest

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestToleranceTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, row := range Tolerances {
		if row.Name == "" || row.Why == "" || seen[row.Name] {
			t.Errorf("bad or duplicate row %+v", row)
		}
		seen[row.Name] = true
		if len(row.Revisions()) == 0 {
			t.Errorf("%s covers no embedded revision", row.Name)
		}
		if !strings.Contains(string(readme), "`"+row.Name+"`") {
			t.Errorf("README.md does not list tolerance %s", row.Name)
		}
	}
	for _, name := range []string{tolNullJobTimestamps, tolNullIncludedAttrs, tolNullEntityAttrs, tolNullPageLinks, tolSparseRequired, tolErrorVndAPI} {
		if !seen[name] {
			t.Errorf("row %s missing from Tolerances", name)
		}
	}
	if len(Tolerances) != 6 {
		t.Errorf("want exactly 6 rows, got %d", len(Tolerances))
	}
	old := Tolerances[0].Revisions()
	if len(old) != 9 || old[0] != "2022-10-17" || old[8] != "2023-12-15" {
		t.Errorf("%s covers %v", Tolerances[0].Name, old)
	}
}

// checkRaw validates r against the unpatched spec, to show a tolerance is
// what makes a document pass.
func checkRaw(t *testing.T, r Response) error {
	t.Helper()
	doc, err := loadRaw(r.Revision)
	if err != nil {
		t.Fatal(err)
	}
	return checkDoc(doc, r)
}

func TestNullJobTimestamps(t *testing.T) {
	for _, rev := range Revisions() {
		doc := oneDoc(rev, false)
		set(t, doc, "/data/attributes/completed_at", nil)
		set(t, doc, "/data/attributes/expires_at", nil)
		r := response(t, rev, "POST", listPath(rev), 202, doc)
		mustPass(t, r)
		if raw := checkRaw(t, r); (raw != nil) != (rev < "2024-02-15") {
			t.Errorf("%s: unpatched spec verdict %v", rev, raw)
		}
		// The list and get-one schemas reach the job through allOf in most revisions.
		list := listDoc(rev)
		set(t, list, "/data/0/attributes/completed_at", nil)
		set(t, list, "/data/0/attributes/expires_at", nil)
		mustPass(t, response(t, rev, "GET", listPath(rev), 200, list))
		one := oneDoc(rev, true)
		set(t, one, "/data/attributes/expires_at", nil)
		mustPass(t, response(t, rev, "GET", onePath(rev), 200, one))
		// Nothing else in the job becomes nullable.
		set(t, doc, "/data/attributes/created_at", nil)
		mustFail(t, response(t, rev, "POST", listPath(rev), 202, doc), "/data/attributes/created_at", "not nullable")
		if rev < "2024-02-15" {
			doc = oneDoc(rev, false)
			set(t, doc, "/data/attributes/completed_count", nil)
			mustFail(t, response(t, rev, "POST", listPath(rev), 202, doc), "/data/attributes/completed_count")
		}
	}
}

func TestNullIncludedItemAttributes(t *testing.T) {
	for _, rev := range Revisions() {
		doc := oneDoc(rev, true)
		for _, a := range []string{"description", "price", "url", "images", "custom_metadata", "published", "updated"} {
			set(t, doc, "/included/0/attributes/"+a, nil)
		}
		r := response(t, rev, "GET", onePath(rev), 200, doc)
		mustPass(t, r)
		if raw := checkRaw(t, r); (raw != nil) != (rev < "2024-02-15") {
			t.Errorf("%s: unpatched spec verdict %v", rev, raw)
		}
		set(t, doc, "/included/0/id", nil)
		mustFail(t, response(t, rev, "GET", onePath(rev), 200, doc), "/included/0/id")
	}
}

func TestNullCollectionPageLinks(t *testing.T) {
	for _, rev := range Revisions() {
		doc := listDoc(rev)
		set(t, doc, "/links/next", nil)
		set(t, doc, "/links/prev", nil)
		r := response(t, rev, "GET", listPath(rev), 200, doc)
		mustPass(t, r)
		if checkRaw(t, r) == nil {
			t.Errorf("%s: unpatched spec accepts null next/prev", rev)
		}
		if rev < "2026-04-15" { // first/last exist in the spec but stay non-nullable
			set(t, doc, "/links/first", nil)
			mustFail(t, response(t, rev, "GET", listPath(rev), 200, doc), "/links/first")
			del(t, doc, "/links/first")
		}
		set(t, doc, "/links/self", nil)
		mustFail(t, response(t, rev, "GET", listPath(rev), 200, doc), "/links/self")
	}
}

func TestSparseFieldsetRequired(t *testing.T) {
	for _, rev := range sampleRevisions {
		doc := oneDoc(rev, true)
		doc["data"].(map[string]any)["attributes"] = map[string]any{"created_at": ts}
		fields := []string{"created_at"}
		if rev < "2023-12-15" {
			set(t, doc, "/data/attributes/job_id", jobID)
			fields = append(fields, "job_id")
		}
		r := response(t, rev, "GET", onePath(rev), 200, doc)
		mustFail(t, r, `property "status" is missing`, `property "total_count" is missing`)
		r.Fields = fields
		mustPass(t, r)
		r.Fields = append(slices.Clone(fields), "status")
		mustFail(t, r, `property "status" is missing`)
		r.Fields = nil // the relaxed copy must not leak into other calls
		mustFail(t, r, `property "status" is missing`)
		r.Fields = fields
		set(t, doc, "/data/type", "catalog-item")
		r.Body = mustJSON(t, doc)
		mustFail(t, r, "/data/type")

		list := listDoc(rev)
		set(t, list, "/data/0/attributes", map[string]any{})
		lr := response(t, rev, "GET", listPath(rev), 200, list)
		mustFail(t, lr, `property "created_at" is missing`)
		lr.Fields = []string{}
		mustPass(t, lr)

		item := oneDoc(rev, true)
		set(t, item, "/included/0/attributes", map[string]any{"title": "Shirt"})
		ir := response(t, rev, "GET", onePath(rev), 200, item)
		ir.IncludedFields = []string{"title"}
		mustPass(t, ir)
	}
}

func TestErrorMediaType(t *testing.T) {
	notFound := errorDoc(404, "not_found", "Not found.")
	for _, rev := range Revisions() {
		r := response(t, rev, "GET", onePath(rev), 404, notFound)
		r.ContentType = mediaVndAPI
		mustPass(t, r)
		r.ContentType = "application/xml"
		mustFail(t, r, "Content-Type", "application/xml")
		r.ContentType = mediaVndAPI
		broken := errorDoc(429, "throttled", "Request was throttled.")
		del(t, broken, "/errors/0/title")
		r.Status, r.Body = 429, mustJSON(t, broken)
		mustFail(t, r, "/errors/0/title") // the schema still applies
		if rev < "2024-10-15" {
			ok := response(t, rev, "GET", onePath(rev), 200, oneDoc(rev, true))
			ok.ContentType = mediaVndAPI
			mustFail(t, ok, "Content-Type") // success responses get no media tolerance
		} else {
			r = response(t, rev, "GET", onePath(rev), 404, notFound)
			r.ContentType = mediaJSON
			mustFail(t, r, "Content-Type") // the tolerance only widens, never narrows
		}
	}
}

// TestNullEntityAttributes: an item without a price carries price null;
// before 2024-02-15 only the tolerance lets that pass.
func TestNullEntityAttributes(t *testing.T) {
	for _, rev := range []string{"2022-10-17", "2023-07-15", "2023-12-15", "2024-02-15", "2026-07-15"} {
		path := "/api/catalog-items/$custom:::$default:::A"
		if rev < "2024-10-15" {
			path += "/"
		}
		body := `{"data":{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"external_id":"A","title":"t",` +
			`"description":"d","price":null,"url":"https://x.example/a"},"links":{"self":"https://x.example/api/catalog-items/$custom:::$default:::A/"}}}`
		ct := "application/json"
		if rev >= "2024-10-15" {
			ct = "application/vnd.api+json"
		}
		r := Response{Revision: rev, Method: "GET", Path: path, Status: 200, ContentType: ct, Body: []byte(body)}
		if err := Check(r); err != nil {
			t.Errorf("%s: %v", rev, err)
		}
		if raw := checkRaw(t, r); (raw != nil) != (rev < "2024-02-15") {
			t.Errorf("%s: unpatched spec says %v", rev, raw)
		}
	}
}
