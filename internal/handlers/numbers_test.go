package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// TestBodies_ANumberThatDoesNotFitAFloat64IsA400AtItsMember sends a number
// too large for a float64 in every kind of body: a job create, entity
// writes, a relationship write and control API documents. Each is a
// Klaviyo-shaped 400 invalid pointing at the number, and nothing is stored:
// echoed back as sent, the emulator's own answer would not decode (Go's
// encoding/json refuses such a number).
func TestBodies_ANumberThatDoesNotFitAFloat64IsA400AtItsMember(t *testing.T) {
	e := newEnv(t)
	a, _ := e.store.Account(testKey)
	id, cat := entityIDs(t, a, itemKind)[0], entityIDs(t, a, categoryKind)[0]
	seg := url.PathEscape(id)
	api := []struct {
		method, path, body, pointer, number string
	}{
		{"POST", "/api/catalog-item-bulk-update-jobs", fmt.Sprintf(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[`+
			`{"type":"catalog-item","id":%q,"attributes":{"custom_metadata":{"a":{"b":[1e999]}}}}]}}}}`, id),
			"/data/attributes/items/data/0/attributes/custom_metadata/a/b/0", "1e999"},
		{"PATCH", "/api/catalog-items/" + seg, fmt.Sprintf(`{"data":{"type":"catalog-item","id":%q,"attributes":{"custom_metadata":{"a":{"b":[1e999]}}}}}`, id),
			"/data/attributes/custom_metadata/a/b/0", "1e999"},
		{"POST", "/api/catalog-items", `{"data":{"type":"catalog-item","attributes":{"external_id":"BIG","title":"t","description":"d",` +
			`"url":"https://x.example/big","price":-1e400}}}`, "/data/attributes/price", "-1e400"},
		{"POST", "/api/catalog-categories/" + url.PathEscape(cat) + "/relationships/items",
			fmt.Sprintf(`{"data":[{"type":"catalog-item","id":%q,"meta":{"n":1.8e308}}]}`, id), "/data/0/meta/n", "1.8e308"},
	}
	for _, c := range api {
		r := e.req(c.method, c.path, bytes.NewReader([]byte(c.body)), "Content-Type: application/vnd.api+json")
		wantNumberError(t, r, c.pointer, c.number)
	}
	if r := e.get("/api/catalog-items/" + seg); bytes.Contains(r.body, []byte("1e999")) || r.status != 200 {
		t.Fatalf("the item after the refused writes: %d %.300s", r.status, r.body)
	}

	admin := []struct {
		method, path, body, pointer, number string
	}{
		{"PUT", "/accounts/" + testKey + "/items", fmt.Sprintf(`{"items":[{"external_id":"A"},{"external_id":"B","custom_metadata":{"a":{"b":[1e999]}}}]}`),
			"/items/1/custom_metadata/a/b/0", "1e999"},
		{"PUT", "/accounts/" + testKey, `{"item-bulk-update-jobs":[{"id":"01K0000000000000000000000A","status":"complete","created_at":"2026-01-01T00:00:00Z",` +
			`"total_count":1e999,"completed_count":0,"failed_count":0,"errors":[]}]}`, "/item-bulk-update-jobs/0/total_count", "1e999"},
		{"POST", "/faults", `{"match":{"path":"/api"},"latency":1e999}`, "/latency", "1e999"},
		{"POST", "/faults", `{"match":{"path":"/api"},"status":503,"probability":-1e999}`, "/probability", "-1e999"},
		{"POST", "/reset", `{"seed":1e999}`, "/seed", "1e999"},
		{"POST", "/clock", `{"advance":2e308}`, "/advance", "2e308"},
	}
	for _, c := range admin {
		r := e.adminReq(c.method, c.path, "", c.body)
		wantNumberError(t, r, c.pointer, c.number)
	}
	if r := e.adminReq("GET", "/faults", "", ""); !bytes.Contains(r.body, []byte(`"faults":[]`)) {
		t.Fatalf("a refused fault was added: %s", r.body)
	}
}

// wantNumberError asserts the one 400 invalid error for a number that does
// not fit a float64 at pointer.
func wantNumberError(t *testing.T, r *resp, pointer, number string) {
	t.Helper()
	e := wantError(t, r, http.StatusBadRequest, "invalid", map[string]any{"pointer": pointer})
	if want := fmt.Sprintf(jsonw.DetailNumberOutOfRange, number); e["detail"] != want {
		t.Fatalf("%s %s: detail %q, want %q", r.method, r.path, e["detail"], want)
	}
	var doc struct{ Errors []any }
	if json.Unmarshal(r.body, &doc) != nil || len(doc.Errors) != 1 {
		t.Fatalf("%s %s: want exactly one error: %s", r.method, r.path, r.body)
	}
}
