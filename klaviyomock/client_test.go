package klaviyomock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/spectest"
)

const key = "pk_0123456789abcdef0123456789abcdef01"

// reply is an HTTP response read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

// call sends a request to base+path; body may be nil; hdr are "K: v".
func call(t *testing.T, method, url string, body any, hdr ...string) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(url, "/__admin/") && (method == "POST" || method == "PUT") {
		req.Header.Set("Content-Type", "application/json") // control API writes are JSON
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ":")
		if v = strings.TrimSpace(v); v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, b}
}

// api calls the emulated Klaviyo API as an SDK would.
func api(t *testing.T, base, method, path string, body any, hdr ...string) reply {
	t.Helper()
	h := append([]string{"revision: 2026-07-15", "Authorization: Klaviyo-API-Key " + key,
		"Accept: application/vnd.api+json", "Content-Type: application/vnd.api+json"}, hdr...)
	r := call(t, method, base+path, body, h...)
	rev := ""
	for _, x := range h {
		if k, v, _ := strings.Cut(x, ":"); strings.EqualFold(k, "revision") {
			rev = strings.TrimSpace(v)
		}
	}
	u, _ := url.Parse(base + path)
	if slices.Contains(spectest.Revisions(), rev) && strings.HasPrefix(u.Path, "/api/catalog-item-bulk-update-jobs") &&
		!strings.Contains(u.RawQuery, "fields") && r.status != 405 {
		spectest.Validate(t, spectest.Response{Revision: rev, Method: method, Path: u.Path, Status: r.status,
			ContentType: r.header.Get("Content-Type"), Body: r.body})
	}
	return r
}

// clientScenario is a small integration test a user would write: create a
// job, poll it to completion, page the list. It runs against any base URL.
func clientScenario(t *testing.T, base string) {
	t.Helper()
	items := call(t, "GET", base+"/__admin/accounts/"+key+"/items", nil).json(t)["items"].([]any)
	id := items[0].(map[string]any)["id"].(string)
	body := map[string]any{"data": map[string]any{"type": "catalog-item-bulk-update-job",
		"attributes": map[string]any{"items": map[string]any{"data": []any{
			map[string]any{"type": "catalog-item", "id": id, "attributes": map[string]any{"title": "From the scenario"}},
		}}}}}
	created := api(t, base, "POST", "/api/catalog-item-bulk-update-jobs", body)
	if created.status != 202 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	jobID := created.json(t)["data"].(map[string]any)["id"].(string)
	var status string
	for i := 0; i < 5 && status != "complete"; i++ {
		got := api(t, base, "GET", "/api/catalog-item-bulk-update-jobs/"+jobID, nil)
		status = got.json(t)["data"].(map[string]any)["attributes"].(map[string]any)["status"].(string)
	}
	if status != "complete" {
		t.Fatalf("job still %s after 5 polls", status)
	}
	n, next := 0, base+"/api/catalog-item-bulk-update-jobs"
	for next != "" {
		page := call(t, "GET", next, nil, "revision: 2026-07-15", "Authorization: Klaviyo-API-Key "+key)
		d := page.json(t)
		n += len(d["data"].([]any))
		next, _ = d["links"].(map[string]any)["next"].(string)
	}
	if n != 31 {
		t.Fatalf("listed %d jobs, want 30 seeded + 1 created", n)
	}
	reqs := call(t, "GET", base+"/__admin/requests?method=POST", nil).json(t)["requests"].([]any)
	if len(reqs) != 1 || !strings.Contains(reqs[0].(map[string]any)["body"].(string), "From the scenario") {
		t.Fatalf("journal holds %d POSTs: %v", len(reqs), reqs)
	}
}

// scenarioArgs configure both the in-process and the binary server.
var scenarioArgs = []string{"--jobs=30", "--job-transition=polls", "--job-polls=2"}

func mustStatus(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
}
