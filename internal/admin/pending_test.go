package admin_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// TestAdmin_PendingJobStateHoldsItsElementsAsTheirOwnKind: the control API
// (and so the state file) writes a job still in progress with the values
// each element will apply, named after the attributes of the job's entity
// kind, and that state reads back. Element values once held an item's
// attributes whatever the kind: a variant's sku was exported as nothing,
// and a category update's state was refused on reading.
func TestAdmin_PendingJobStateHoldsItsElementsAsTheirOwnKind(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Duration, Duration: time.Hour}))
	a, _ := e.store.Account(testKey)
	variant, cat := entityIDs(t, a, variantKind)[0], entityIDs(t, a, categoryKind)[0]
	reg := resource.Default()
	const rev = "2026-07-15"
	for _, c := range []struct {
		jobs, key string
		element   map[string]any
		want      string // the pending element's state
	}{
		{"catalog-variant-bulk-update-jobs", "variant-bulk-update-jobs",
			map[string]any{"type": "catalog-variant", "id": variant, "attributes": map[string]any{"sku": "SKU-NEW", "inventory_policy": 2, "published": false}},
			`{"id":"` + variant + `","set":["sku","inventory_policy","published"],"values":{"id":"","sku":"SKU-NEW","inventory_policy":2,"published":false}}`},
		{"catalog-category-bulk-update-jobs", "category-bulk-update-jobs",
			map[string]any{"type": "catalog-category", "id": cat, "attributes": map[string]any{"name": "Renamed"}},
			`{"id":"` + cat + `","set":["name"],"values":{"id":"","name":"Renamed"}}`},
	} {
		res, _ := reg.Named(c.jobs)
		posted := e.req(http.MethodPost, res.Path(), bytes.NewReader(jobBody(t, res, rev, c.element)), "revision: "+rev,
			"Content-Type: application/vnd.api+json")
		if posted.status != http.StatusAccepted {
			t.Fatalf("%s POST: %d %s", c.jobs, posted.status, posted.body)
		}
		var doc map[string]json.RawMessage
		var states []accountdoc.JobState
		exported := e.get("/__admin/accounts/" + testKey + "/" + c.key)
		if err := json.Unmarshal(exported.body, &doc); err != nil || json.Unmarshal(doc[c.key], &states) != nil || len(states) == 0 {
			t.Fatalf("%s export: %v\n%.300s", c.key, err, exported.body)
		}
		last := states[len(states)-1]
		if last.Pending == nil || len(last.Pending.Elements) != 1 {
			t.Fatalf("%s: the new job is not pending with one element: %+v", c.key, last)
		}
		if got, _ := json.Marshal(last.Pending.Elements[0]); string(got) != c.want {
			t.Errorf("%s: pending element\n%s\nwant\n%s", c.key, got, c.want)
		}
		if _, probs := accountdoc.JobsFromState(res.Job.Kind, states, "/"+c.key, true); len(probs) > 0 {
			t.Errorf("%s: the exported state does not read back: %v", c.key, probs)
		}
	}
}
