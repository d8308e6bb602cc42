package spectest

import (
	"strings"
	"testing"
)

// A hand-written 2023-12-15 list document: one finished job with every
// attribute, one fresh job with nulls and absent attributes, and the
// null next/prev links real list responses carry.
const sampleList = `{
  "data": [
    {"type": "catalog-item-bulk-update-job", "id": "01J0000000000000000000000A",
     "attributes": {"status": "complete", "created_at": "2024-11-14T23:18:34.827140+00:00",
       "total_count": 3, "completed_count": 2, "failed_count": 1,
       "completed_at": "2024-11-14T23:19:00+00:00", "expires_at": "2024-11-21T23:19:00+00:00",
       "errors": [{"id": "e4eebb08-b055-4a6f-bb13-c8cb69c9eb94", "code": "invalid", "title": "Invalid input",
         "detail": "The payload provided in the request is invalid.", "source": {"pointer": "/data"}}]},
     "relationships": {"items": {"data": [{"type": "catalog-item", "id": "$custom:::$default:::SKU-1"}],
       "links": {"self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000A/relationships/items/",
                 "related": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000A/items/"}}},
     "links": {"self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000A/"}},
    {"type": "catalog-item-bulk-update-job", "id": "01J0000000000000000000000B",
     "attributes": {"status": "queued", "created_at": "2024-11-15T00:00:00+00:00", "total_count": 1,
       "completed_at": null, "expires_at": null},
     "relationships": {"items": {"data": []}},
     "links": {"self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000B/"}}
  ],
  "links": {"self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/", "next": null, "prev": null}
}`

// A hand-written 2026-07-15 get-one document: relationships without data,
// included items, null counts, top-level links and meta.
const sampleOne = `{
  "data": {"type": "catalog-item-bulk-update-job", "id": "01J0000000000000000000000C",
    "attributes": {"status": "processing", "created_at": "2026-07-20T08:00:00+00:00", "total_count": 2,
      "completed_count": null, "failed_count": null, "completed_at": null, "expires_at": null, "errors": null},
    "relationships": {"items": {"links": {
      "self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000C/relationships/items/",
      "related": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000C/items/"}}},
    "links": {"self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000C/"}},
  "included": [{"type": "catalog-item", "id": "$custom:::$default:::SKU-1",
    "attributes": {"external_id": "SKU-1", "title": "Shirt", "description": null, "price": 42.5},
    "links": {"self": "https://a.klaviyo.com/api/catalog-items/$custom:::$default:::SKU-1/"}}],
  "links": {"self": "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/01J0000000000000000000000C"},
  "meta": {"agent_hints": {"next_steps": []}}
}`

// The samples are themselves spec-conformant, so the decoder is exercised on
// documents the validator accepts.
func TestJSONAPISamplesConform(t *testing.T) {
	mustPass(t, Response{Revision: "2023-12-15", Method: "GET", Path: jobsPath + "/", Status: 200,
		ContentType: mediaJSON, Body: []byte(sampleList)})
	mustPass(t, Response{Revision: "2026-07-15", Method: "GET", Path: jobsPath + "/01J0000000000000000000000C",
		Status: 200, ContentType: mediaVndAPI, Body: []byte(sampleOne)})
}

func TestDecodeJobs(t *testing.T) {
	jobs, err := DecodeJobs([]byte(sampleList))
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 {
		t.Fatalf("got %d jobs", len(jobs))
	}
	a, b := jobs[0], jobs[1]
	if a.ID != "01J0000000000000000000000A" || a.Status != "complete" || a.TotalCount != 3 ||
		a.CreatedAt != "2024-11-14T23:18:34.827140+00:00" || a.CompletedCount == nil || *a.CompletedCount != 2 ||
		a.FailedCount == nil || *a.FailedCount != 1 || a.CompletedAt == nil || *a.CompletedAt != "2024-11-14T23:19:00+00:00" ||
		a.ExpiresAt == nil || *a.ExpiresAt != "2024-11-21T23:19:00+00:00" {
		t.Errorf("job A decoded as %+v", a)
	}
	if b.ID != "01J0000000000000000000000B" || b.Status != "queued" || b.TotalCount != 1 ||
		b.CompletedCount != nil || b.FailedCount != nil || b.CompletedAt != nil || b.ExpiresAt != nil {
		t.Errorf("job B (nulls, absent attributes) decoded as %+v", b)
	}
	empty, err := DecodeJobs([]byte(`{"data":[],"links":{"self":"https://a.klaviyo.com/api/catalog-item-bulk-update-jobs","next":null,"prev":null}}`))
	if err != nil || len(empty) != 0 {
		t.Errorf("empty page: %v %v", empty, err)
	}
}

func TestDecodeJob(t *testing.T) {
	j, err := DecodeJob([]byte(sampleOne))
	if err != nil {
		t.Fatal(err)
	}
	if j.ID != "01J0000000000000000000000C" || j.Status != "processing" || j.TotalCount != 2 ||
		j.CreatedAt != "2026-07-20T08:00:00+00:00" || j.CompletedCount != nil || j.FailedCount != nil ||
		j.CompletedAt != nil || j.ExpiresAt != nil {
		t.Errorf("decoded %+v", j)
	}
	// A create (202) document decodes the same way.
	post := mustJSON(t, oneDoc("2026-07-15", false))
	if j, err := DecodeJob(post); err != nil || j.ID != jobID || *j.CompletedCount != 1 {
		t.Errorf("POST document: %+v %v", j, err)
	}
}

func TestDecodeRejects(t *testing.T) {
	old := string(mustJSON(t, oneDoc("2023-10-15", false)))
	oldList := string(mustJSON(t, listDoc("2022-10-17")))
	errs := string(mustJSON(t, errorDoc(404, "not_found", "Not found.")))
	wrongType := strings.Replace(sampleOne, `"type": "catalog-item-bulk-update-job"`, `"type": "catalog-item"`, 1)
	numStatus := strings.Replace(sampleOne, `"status": "processing"`, `"status": 7`, 1)
	strCount := strings.Replace(sampleOne, `"total_count": 2`, `"total_count": "2"`, 1)
	for name, body := range map[string]string{
		"no top-level id": old, "error document": errs, "wrong type": wrongType,
		"number status": numStatus, "string count": strCount, "collection": sampleList, "not JSON": "{",
	} {
		if j, err := DecodeJob([]byte(body)); err == nil {
			t.Errorf("DecodeJob(%s) accepted: %+v", name, j)
		}
	}
	for name, body := range map[string]string{
		"no top-level id": oldList, "error document": errs, "single": sampleOne, "not JSON": "[",
	} {
		if j, err := DecodeJobs([]byte(body)); err == nil {
			t.Errorf("DecodeJobs(%s) accepted: %+v", name, j)
		}
	}
}
