package spectest

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// Hand-written sample documents, shaped after the specs' schemas. They are
// fixtures for this helper only, not emulator output.

const (
	jobID    = "01GSQPBF74KQ5YTDEPP41T1BZH"
	itemID   = "$custom:::$default:::SKU-1"
	host     = "https://a.klaviyo.com"
	jobsPath = "/api/catalog-item-bulk-update-jobs"
	ts       = "2024-11-14T23:18:34.827140+00:00"
)

// sampleRevisions are the revisions the shape tests run on.
var sampleRevisions = []string{"2022-10-17", "2023-12-15", "2024-10-15", "2026-07-15"}

// slashed reports whether the spec paths of rev end in "/".
func slashed(rev string) bool { return rev < "2024-10-15" }

// listPath returns the list/create path as the spec of rev spells it.
func listPath(rev string) string {
	if slashed(rev) {
		return jobsPath + "/"
	}
	return jobsPath
}

// onePath returns the get-one path for jobID as the spec of rev spells it.
func onePath(rev string) string {
	if slashed(rev) {
		return jobsPath + "/" + jobID + "/"
	}
	return jobsPath + "/" + jobID
}

// mediaOf returns the media type the spec of rev declares.
func mediaOf(rev string) string {
	if slashed(rev) {
		return mediaJSON
	}
	return mediaVndAPI
}

func sampleJob(rev string) map[string]any {
	attrs := map[string]any{
		"status": "processing", "created_at": ts, "total_count": 2,
		"completed_count": 1, "failed_count": 0,
		"completed_at": ts, "expires_at": ts, "errors": []any{},
	}
	job := map[string]any{
		"type":       "catalog-item-bulk-update-job",
		"attributes": attrs,
		"links":      map[string]any{"self": host + jobsPath + "/" + jobID + "/"},
	}
	if rev < "2023-12-15" {
		attrs["job_id"] = jobID
	} else {
		job["id"] = jobID
	}
	items := map[string]any{"data": []any{map[string]any{"type": "catalog-item", "id": itemID}}}
	if rev >= "2023-02-22" {
		items["links"] = map[string]any{
			"self":    host + jobsPath + "/" + jobID + "/relationships/items/",
			"related": host + jobsPath + "/" + jobID + "/items/",
		}
	}
	job["relationships"] = map[string]any{"items": items}
	return job
}

func sampleItem() map[string]any {
	return map[string]any{
		"type": "catalog-item",
		"id":   itemID,
		"attributes": map[string]any{
			"external_id": "SKU-1", "title": "Shirt", "description": "Blue",
			"price": 42.5, "url": "https://example.com/sku-1",
			"image_full_url": "https://example.com/1.png", "image_thumbnail_url": "https://example.com/1t.png",
			"images": []any{"https://example.com/1.png"}, "custom_metadata": map[string]any{"Top Pick": true},
			"published": true, "created": ts, "updated": ts,
		},
		"links": map[string]any{"self": host + "/api/catalog-items/" + itemID + "/"},
	}
}

// listDoc is a minimal valid list (collection) document.
func listDoc(rev string) map[string]any {
	return map[string]any{
		"data":  []any{sampleJob(rev)},
		"links": map[string]any{"self": host + listPath(rev)},
	}
}

// oneDoc is a minimal valid get-one or create document (withIncluded adds
// one catalog item in included[], which only get-one declares).
func oneDoc(rev string, withIncluded bool) map[string]any {
	doc := map[string]any{"data": sampleJob(rev)}
	if withIncluded {
		doc["included"] = []any{sampleItem()}
	}
	if rev >= "2026-01-15" {
		doc["links"] = map[string]any{"self": host + onePath(rev)}
	}
	if rev >= "2026-07-15" {
		doc["meta"] = map[string]any{"agent_hints": map[string]any{"next_steps": []any{"poll the job"}}}
	}
	return doc
}

// errorDoc is an error document as Klaviyo serves it (status, links and meta
// are not in the spec's schema but are allowed as additional members).
func errorDoc(status int, code, title string) map[string]any {
	return map[string]any{"errors": []any{map[string]any{
		"id": "e4eebb08-b055-4a6f-bb13-c8cb69c9eb94", "status": status, "code": code,
		"title": title, "detail": title, "source": map[string]any{"pointer": "/data/"},
		"links": map[string]any{}, "meta": map[string]any{},
	}}}
}

// mustJSON encodes v or fails the test.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit walks a JSON pointer inside doc and sets (or, for del, deletes) the
// member it names.
func edit(t *testing.T, doc any, pointer string, value any, del bool) {
	t.Helper()
	toks := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	cur := doc
	for i, tok := range toks {
		last := i == len(toks)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if del {
					delete(c, tok)
				} else {
					c[tok] = value
				}
				return
			}
			cur = c[tok]
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n >= len(c) {
				t.Fatalf("bad pointer %s", pointer)
			}
			if last {
				c[n] = value
				return
			}
			cur = c[n]
		default:
			t.Fatalf("pointer %s runs through a scalar", pointer)
		}
	}
}

func set(t *testing.T, doc any, pointer string, value any) {
	t.Helper()
	edit(t, doc, pointer, value, false)
}

func del(t *testing.T, doc any, pointer string) {
	t.Helper()
	edit(t, doc, pointer, nil, true)
}

// response wraps doc as a response served with the spec's media type.
func response(t *testing.T, rev, method, path string, status int, doc any) Response {
	t.Helper()
	return Response{Revision: rev, Method: method, Path: path, Status: status,
		ContentType: mediaOf(rev), Body: mustJSON(t, doc)}
}

// mustPass fails the test when r does not conform.
func mustPass(t *testing.T, r Response) {
	t.Helper()
	if err := Check(r); err != nil {
		t.Errorf("want pass, got: %v", err)
	}
}

// mustFail fails the test unless r is rejected with every want substring.
func mustFail(t *testing.T, r Response, want ...string) {
	t.Helper()
	err := Check(r)
	if err == nil {
		t.Errorf("want rejection of %s %s (%s) mentioning %q, got pass", r.Method, r.Path, r.Revision, want)
		return
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not mention %q:\n%v", w, err)
		}
	}
}
