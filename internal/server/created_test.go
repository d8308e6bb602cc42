package server

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// TestStateFile_CreatedCategoriesKeepTheirOrderAcrossARestart: categories
// created at different times list in the order they were created (their
// documents show no created time), before a restart and after it.
func TestStateFile_CreatedCategoriesKeepTheirOrderAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	cfg := cfgWith(t, "--state-file="+path)
	s1, err := New(cfg, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s1)
	for _, ext := range []string{"ZZZ-FIRST", "AAA-SECOND"} { // created in this order, ids the other way
		body := `{"data":{"type":"catalog-category","attributes":{"external_id":"` + ext + `","name":"` + ext + `","integration_type":"$custom","catalog_type":"$default"}}}`
		if code, doc := call(t, "POST", base+"/api/catalog-categories", body); code != 201 {
			t.Fatalf("POST: %d %.300s", code, doc)
		}
		clk.Advance(time.Minute)
	}
	before := lastTwoCategories(t, base)
	stop()
	s2, err := New(cfg, nil, clock.NewFrozen(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	base, stop = serve(t, s2)
	defer stop()
	after := lastTwoCategories(t, base)
	if before[0] != "$custom:::$default:::ZZZ-FIRST" || before != after {
		t.Fatalf("before the restart %v, after it %v", before, after)
	}
}

// lastTwoCategories returns the ids of the last two categories listed.
func lastTwoCategories(t *testing.T, base string) [2]string {
	t.Helper()
	var ids []string
	for target := base + "/api/catalog-categories"; target != ""; {
		_, body := call(t, "GET", target, "")
		var doc struct {
			Data  []struct{ ID string }
			Links struct{ Next string }
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("%v: %.300s", err, body)
		}
		for _, d := range doc.Data {
			ids = append(ids, d.ID)
		}
		target = doc.Links.Next
	}
	if len(ids) < 2 {
		t.Fatalf("%d categories", len(ids))
	}
	return [2]string{ids[len(ids)-2], ids[len(ids)-1]}
}
