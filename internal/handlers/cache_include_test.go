package handlers

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// newTwin is a cached and an uncached emulator over identical stores, jobs
// taking 4 s on a frozen clock.
func newTwin(t *testing.T) *twin {
	t.Helper()
	opts := []envOption{withLifecycle(store.Lifecycle{Mode: store.Duration, Duration: 4 * time.Second}), withPublicURL("https://a.klaviyo.test")}
	return &twin{t: t, cached: newEnv(t, append(opts, withCache(16<<20))...), direct: newEnv(t, append(opts, withCache(-1))...)}
}

// included returns the included objects of a document, by id.
func included(t *testing.T, body []byte) map[string]map[string]any {
	t.Helper()
	var doc struct {
		Included []map[string]any `json:"included"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not JSON: %v\n%.300s", err, body)
	}
	out := map[string]map[string]any{}
	for _, o := range doc.Included {
		out[o["id"].(string)] = o
	}
	return out
}

// stringAttr returns the first attribute an update of entity resource r
// may set that holds a string (an item's or variant's title, a
// category's name).
func stringAttr(t *testing.T, r *resource.Resource) string {
	t.Helper()
	name, ok := updatableString(r)
	if !ok {
		t.Fatalf("%s has no string attribute to update", r.Name)
	}
	return name
}

// updatableString returns the first string attribute of r a request may
// update, if it has one.
func updatableString(r *resource.Resource) (string, bool) {
	for _, a := range r.Entity.Decl.Attrs {
		if a.Update && a.Type == schema.String {
			return a.Name, true
		}
	}
	return "", false
}

// patchBody is an entity PATCH setting attr to value.
func patchBody(r *resource.Resource, id, attr, value string) []byte {
	return fmt.Appendf(nil, `{"data":{"type":%q,"id":%q,"attributes":{%q:%q}}}`, r.Type, id, attr, value)
}

// completeJob returns a seeded job of kind k that completed without failures.
func completeJob(t *testing.T, a *store.Account, k store.JobKind) *store.Job {
	t.Helper()
	jobs, err := a.AllJobs(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Status == store.Complete && j.Failed == 0 && j.Total > 0 {
			return j
		}
	}
	t.Fatalf("no complete %s job", k)
	return nil
}

// TestCache_JobIncludeShowsTheEntitiesAsTheyAreNow reads a job with
// include=<its entities> at each revision (twice, so the second read is a
// cache hit), changes one of the included entities through the API, and
// reads again: the included entity must carry the new value, byte for byte
// what the uncached emulator writes. It holds for every job resource whose
// GET-one takes an include, and for the include key spelled with a
// percent-escape (which the query parser decodes like any other).
func TestCache_JobIncludeShowsTheEntitiesAsTheyAreNow(t *testing.T) {
	for _, r := range resource.Default().All() {
		if r.Job == nil || !r.Job.Include {
			continue
		}
		t.Run(r.Name, func(t *testing.T) {
			tw := newTwin(t)
			a, _ := tw.direct.store.Account(testKey)
			job := completeJob(t, a, r.Job.Kind)
			ent := r.Job.Entity
			attr := stringAttr(t, ent)
			key := r.Job.Kind.Entity().Plural()
			n := 0
			for _, rev := range []string{"2022-10-17", "2023-07-15", "2026-07-15"} {
				for _, include := range []string{"include=" + key, "includ%65=" + key} {
					path := at(rev, r.Path()+"/"+job.ID) + "?" + include
					before := included(t, tw.do("GET", path, rev, nil).body)
					if len(before) == 0 {
						t.Fatalf("%s (%s) includes nothing", path, rev)
					}
					id := job.IDs[0]
					n++
					value := fmt.Sprintf("changed %d", n)
					tw.do("PATCH", ent.Path()+"/"+url.PathEscape(id), "2026-07-15", patchBody(ent, id, attr, value))
					after := included(t, tw.do("GET", path, rev, nil).body)
					if got := after[id]["attributes"].(map[string]any)[attr]; got != value {
						t.Fatalf("%s (%s) after the PATCH: %s is %q, want %q", path, rev, attr, got, value)
					}
				}
			}
		})
	}
}

// TestCache_ItemIncludeShowsItsVariantsAsTheyAreNow reads an item and the
// item list with include=variants at each revision, then changes what the
// include shows: a variant PATCHed, a variant created under the item, a
// variant deleted; and a category's item list with include=variants as a
// relationship write adds the item and removes it. Each read after a
// change must show it, byte for byte what the uncached emulator writes.
func TestCache_ItemIncludeShowsItsVariantsAsTheyAreNow(t *testing.T) {
	reg := resource.Default()
	items, _ := reg.Named("catalog-items")
	variants, _ := reg.Named("catalog-variants")
	tw := newTwin(t)
	a, _ := tw.direct.store.Account(testKey)
	list, err := a.AllEntities(itemKind)
	if err != nil {
		t.Fatal(err)
	}
	item := list[0].ID // the first of the list's first page
	vs, _ := a.ChildIDs(itemKind, item, "variants")
	if len(vs) == 0 {
		t.Fatalf("item %s has no variants", item)
	}
	n := 0
	changes := []struct {
		name   string
		change func() string // makes the change, returns the variant it touched
		shows  func(inc map[string]map[string]any, id string) bool
	}{
		{"variant PATCH", func() string {
			n++
			id := vs[0]
			tw.do("PATCH", variants.Path()+"/"+url.PathEscape(id), "2026-07-15", patchBody(variants, id, "title", fmt.Sprint("patched ", n)))
			return id
		}, func(inc map[string]map[string]any, id string) bool {
			return inc[id] != nil && inc[id]["attributes"].(map[string]any)["title"] == fmt.Sprint("patched ", n)
		}},
		{"variant created under the item", func() string {
			n++
			ext := fmt.Sprint("INC-", n)
			tw.do("POST", variants.Path(), "2026-07-15", fmt.Appendf(nil, `{"data":{"type":"catalog-variant","attributes":`+
				`{"external_id":%q,"title":"v","description":"d","sku":"S","inventory_quantity":1,"price":1,"url":"https://x.example/v"},`+
				`"relationships":{"item":{"data":{"type":"catalog-item","id":%q}}}}}`, ext, item))
			return store.EntityID(ext)
		}, func(inc map[string]map[string]any, id string) bool { return inc[id] != nil }},
		{"variant deleted", func() string {
			now, _ := a.ChildIDs(itemKind, item, "variants")
			id := now[len(now)-1]
			tw.do("DELETE", variants.Path()+"/"+url.PathEscape(id), "2026-07-15", nil)
			return id
		}, func(inc map[string]map[string]any, id string) bool { return inc[id] == nil }},
	}
	for _, rev := range []string{"2022-10-17", "2023-07-15", "2024-10-15", "2026-07-15"} {
		for _, path := range []string{
			at(rev, items.Path()+"/"+url.PathEscape(item)) + "?include=variants",
			at(rev, items.Path()) + "?include=variants",
			at(rev, items.Path()+"/"+url.PathEscape(item)) + "?%69nclude=variants",
		} {
			for _, c := range changes {
				tw.do("GET", path, rev, nil)
				id := c.change()
				if inc := included(t, tw.do("GET", path, rev, nil).body); !c.shows(inc, id) {
					t.Fatalf("%s (%s) after a %s (%s): included %v", path, rev, c.name, id, slices.Sorted(maps.Keys(inc)))
				}
			}
		}
	}

	// A relationship write: the item joins a category, then leaves it; the
	// category's item list with include=variants follows.
	cats, _ := a.AllEntities(categoryKind)
	rel := "/api/catalog-categories/" + url.PathEscape(cats[0].ID) + "/relationships/items"
	body := fmt.Appendf(nil, `{"data":[{"type":"catalog-item","id":%q}]}`, item)
	for _, rev := range []string{"2023-07-15", "2026-07-15"} {
		path := at(rev, "/api/catalog-categories/"+url.PathEscape(cats[0].ID)+"/items") + "?include=variants"
		for _, method := range []string{"POST", "DELETE"} {
			tw.do("GET", path, rev, nil)
			tw.do(method, rel, "2026-07-15", body)
			inc := included(t, tw.do("GET", path, rev, nil).body)
			if shown := inc[vs[0]] != nil; shown != (method == "POST") {
				t.Fatalf("%s (%s) after the relationship %s: the item's variant %s included: %v", path, rev, method, vs[0], shown)
			}
		}
	}
}
