package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// TestHealth_TheCachesTogetherKeepToTheirShareOfTheBudget: the render
// caches, the seeded jobs and the seeded entities kept once made are
// bounded, together, by the caches' share of --memory-budget (1/32), and
// /__admin/health reports each. Before, the seeded entities had a bound as
// large as the jobs' (a quarter of the share) outside that share, and
// health did not report them.
func TestHealth_TheCachesTogetherKeepToTheirShareOfTheBudget(t *testing.T) {
	cfg := cfgWith(t, "--memory-budget=512MiB")
	s, err := New(cfg, nil, clock.New())
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s)
	defer stop()
	req, _ := http.NewRequest("GET", base+"/api/catalog-items", nil)
	req.Header.Set("revision", "2026-07-15")
	req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET items: %d", res.StatusCode)
	}

	res, err = http.Get(base + "/__admin/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var health struct {
		Memory map[string]int64 `json:"memory"`
		Cache  map[string]int64 `json:"render_cache"`
	}
	if err := json.NewDecoder(res.Body).Decode(&health); err != nil {
		t.Fatal(err)
	}
	m := health.Memory
	if m["made_entities_bytes"] <= 0 || m["made_entities_limit_bytes"] <= 0 {
		t.Fatalf("a page of seeded items was made, but health reports made entities %d of %d bytes",
			m["made_entities_bytes"], m["made_entities_limit_bytes"])
	}
	share := int64(512<<20) / 32
	if sum := health.Cache["limit_bytes"] + m["made_jobs_limit_bytes"] + m["made_entities_limit_bytes"]; sum > share {
		t.Fatalf("the caches may hold %d bytes together (render %d, made jobs %d, made entities %d), more than their share %d",
			sum, health.Cache["limit_bytes"], m["made_jobs_limit_bytes"], m["made_entities_limit_bytes"], share)
	}
}
