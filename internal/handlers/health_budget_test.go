package handlers

import (
	"encoding/json"
	"testing"
)

// /__admin/health reports the render caches against the whole budget they
// were given, page memos included: what it says is held is all the caches
// hold.
func TestHealth_RenderCachesAreReportedAgainstTheWholeBudget(t *testing.T) {
	const budget = 16 << 20
	e := newEnv(t, withCache(budget))
	if r := e.req("GET", "/api/catalog-items", nil); r.status != 200 {
		t.Fatalf("GET: %d", r.status)
	}
	var health struct {
		Cache map[string]int64 `json:"render_cache"`
	}
	if err := json.Unmarshal(e.req("GET", "/__admin/health", nil).body, &health); err != nil {
		t.Fatal(err)
	}
	// Each cache rounds its budget down to whole shards: a few bytes.
	if l := health.Cache["limit_bytes"]; l > budget || l < budget-64 {
		t.Fatalf("/__admin/health reports a limit of %d bytes for a budget of %d", l, budget)
	}
}
