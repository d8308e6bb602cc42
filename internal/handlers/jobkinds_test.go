package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// jobBody builds a job POST body at revision rev for resource res: its
// elements wrapped as the revision wants (a plain array up to 2023-06-15,
// {data: [...]} after).
func jobBody(t *testing.T, res *resource.Resource, rev string, elements ...map[string]any) []byte {
	t.Helper()
	p, _ := revision.Default().Exact(rev)
	var list any = elements
	if res.At(p).BodyWrapped {
		list = map[string]any{"data": elements}
	}
	b, err := json.Marshal(map[string]any{"data": map[string]any{"type": res.Type,
		"attributes": map[string]any{res.Job.Kind.Entity().Plural(): list}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ident is a JSON:API resource identifier.
func ident(typ, id string) map[string]any { return map[string]any{"type": typ, "id": id} }

// parent is a variant's parent item in the shape of revision rev.
func parent(res *resource.Resource, rev, item string) map[string]any {
	p, _ := revision.Default().Exact(rev)
	if res.At(p).VariantParent == resource.ParentItemsArray {
		return map[string]any{"items": map[string]any{"data": []any{ident("catalog-item", item)}}}
	}
	return map[string]any{"item": map[string]any{"data": ident("catalog-item", item)}}
}

// runJob posts a job, polls it until complete and returns its final
// document's data.
func (e *env) runJob(res *resource.Resource, rev string, body []byte) map[string]any {
	e.t.Helper()
	r := e.req(http.MethodPost, res.Path(), bytes.NewReader(body), "revision: "+rev, "Content-Type: application/vnd.api+json")
	if r.status != 202 {
		e.t.Fatalf("%s %s POST: %d %s", rev, res.Name, r.status, r.body)
	}
	data := r.doc(e.t)["data"].(map[string]any)
	if st := data["attributes"].(map[string]any)["status"]; st != "queued" {
		e.t.Fatalf("%s %s: a new job is %v", rev, res.Name, st)
	}
	id := jobIDOf(data)
	for polls := 0; ; polls++ {
		g := e.get(res.Path()+"/"+id, "revision: "+rev)
		if g.status != 200 {
			e.t.Fatalf("%s %s GET %s: %d %s", rev, res.Name, id, g.status, g.body)
		}
		d := g.doc(e.t)["data"].(map[string]any)
		if d["attributes"].(map[string]any)["status"] == "complete" {
			return d
		}
		if polls > 10 {
			e.t.Fatalf("%s %s: job %s never completed", rev, res.Name, id)
		}
	}
}

// jobErrors returns the codes and pointers of a job's errors.
func jobErrors(job map[string]any) [][2]string {
	var out [][2]string
	for _, x := range job["attributes"].(map[string]any)["errors"].([]any) {
		e := x.(map[string]any)
		out = append(out, [2]string{e["code"].(string), e["source"].(map[string]any)["pointer"].(string)})
	}
	return out
}

func entityIDs(t *testing.T, a *store.Account, k store.EntityKind) []string {
	t.Helper()
	es, err := a.AllEntities(k)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func counts(job map[string]any) (completed, failed float64) {
	a := job["attributes"].(map[string]any)
	return a["completed_count"].(float64), a["failed_count"].(float64)
}

// TestJobKinds_EachChangesTheCatalogAndRecordsItsFailures runs every job
// kind, create then update then delete, at an old, a middle and the newest
// revision: each response is checked against the revision's spec (by the
// test client), each job completes with one failed element recorded as a
// job error, and the catalog shows exactly what the jobs did.
func TestJobKinds_EachChangesTheCatalogAndRecordsItsFailures(t *testing.T) {
	reg := resource.Default()
	job := func(e store.EntityKind, a store.Action) *resource.Resource {
		r, _ := reg.Named("catalog-" + store.MustJobKind(e.Type(), a).String() + "-jobs")
		return r
	}
	for _, rev := range []string{"2022-10-17", "2023-02-22", "2024-10-15", "2026-07-15"} {
		t.Run(rev, func(t *testing.T) {
			e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
			a, _ := e.store.Account(testKey)
			items := entityIDs(t, a, itemKind)
			cats := entityIDs(t, a, categoryKind)
			p, _ := revision.Default().Exact(rev)
			pointer := func(res *resource.Resource, i int) string {
				key := res.Job.Kind.Entity().Plural()
				if res.At(p).BodyWrapped {
					return fmt.Sprintf("/data/attributes/%s/data/%d", key, i)
				}
				return fmt.Sprintf("/data/attributes/%s/%d", key, i)
			}

			// Items: create two (one a duplicate of a seeded item), in a category.
			ic := job(itemKind, store.Create)
			created := e.runJob(ic, rev, jobBody(t, ic, rev,
				map[string]any{"type": "catalog-item", "attributes": map[string]any{"external_id": "NEW-1", "title": "New one",
					"description": "d", "url": "https://shop.example/new-1", "price": 9.5},
					"relationships": map[string]any{"categories": map[string]any{"data": []any{ident("catalog-category", cats[0])}}}},
				map[string]any{"type": "catalog-item", "attributes": map[string]any{"external_id": items[0][len(store.IDPrefix):],
					"title": "dup", "description": "d", "url": "https://shop.example/dup"}},
			))
			if c, f := counts(created); c != 1 || f != 1 {
				t.Fatalf("item create: %v completed, %v failed", c, f)
			}
			if got := jobErrors(created); !slices.Equal(got, [][2]string{{"conflict", pointer(ic, 1) + "/attributes/external_id"}}) {
				t.Fatalf("item create errors %v", got)
			}
			newItem, ok, _ := a.Entity(itemKind, store.EntityID("NEW-1"))
			if !ok || attrStr(newItem, "title") != "New one" || attrNum(t, newItem, "price") != 9.5 {
				t.Fatalf("created item %+v", newItem)
			}
			if dup, _, _ := a.Entity(itemKind, items[0]); attrStr(dup, "title") == "dup" {
				t.Fatal("a duplicate create overwrote a seeded item")
			}

			// Items: update the new one and a missing one.
			iu := job(itemKind, store.Update)
			updated := e.runJob(iu, rev, jobBody(t, iu, rev,
				map[string]any{"type": "catalog-item", "id": store.EntityID("NEW-1"), "attributes": map[string]any{"title": "Renamed"}},
				map[string]any{"type": "catalog-item", "id": store.EntityID("NOPE"), "attributes": map[string]any{"title": "x"}},
			))
			if got := jobErrors(updated); !slices.Equal(got, [][2]string{{"not_found", pointer(iu, 1) + "/id"}}) {
				t.Fatalf("item update errors %v", got)
			}
			if it, _, _ := a.Entity(itemKind, store.EntityID("NEW-1")); attrStr(it, "title") != "Renamed" || attrNum(t, it, "price") != 9.5 {
				t.Fatalf("updated item %+v: only the title may change", it)
			}

			// Variants: create one under the new item (and one under a missing item).
			vc := job(variantKind, store.Create)
			variant := func(ext, item string) map[string]any {
				return map[string]any{"type": "catalog-variant", "attributes": map[string]any{"external_id": ext, "title": ext,
					"description": "d", "sku": "SKU-" + ext, "inventory_quantity": 3, "price": 4.5, "url": "https://shop.example/" + ext},
					"relationships": parent(vc, rev, item)}
			}
			vdone := e.runJob(vc, rev, jobBody(t, vc, rev, variant("NV-1", store.EntityID("NEW-1")), variant("NV-2", store.EntityID("GONE"))))
			if c, f := counts(vdone); c != 1 || f != 1 {
				t.Fatalf("variant create: %v completed, %v failed: %v", c, f, jobErrors(vdone))
			}
			if vs, _ := a.ChildIDs(itemKind, store.EntityID("NEW-1"), "variants"); !slices.Equal(vs, []string{store.EntityID("NV-1")}) {
				t.Fatalf("NEW-1's variants %v", vs)
			}
			vu := job(variantKind, store.Update)
			e.runJob(vu, rev, jobBody(t, vu, rev, map[string]any{"type": "catalog-variant", "id": store.EntityID("NV-1"),
				"attributes": map[string]any{"price": 5.25}}))
			if v, _, _ := a.Entity(variantKind, store.EntityID("NV-1")); attrNum(t, v, "price") != 5.25 {
				t.Fatalf("updated variant %+v", v)
			}

			// Categories: create one holding the new item, then give it two seeded items.
			cc := job(categoryKind, store.Create)
			e.runJob(cc, rev, jobBody(t, cc, rev, map[string]any{"type": "catalog-category",
				"attributes":    map[string]any{"external_id": "NC-1", "name": "New category"},
				"relationships": map[string]any{"items": map[string]any{"data": []any{ident("catalog-item", store.EntityID("NEW-1"))}}}}))
			cu := job(categoryKind, store.Update)
			e.runJob(cu, rev, jobBody(t, cu, rev, map[string]any{"type": "catalog-category", "id": store.EntityID("NC-1"),
				"attributes":    map[string]any{"name": "Renamed category"},
				"relationships": map[string]any{"items": map[string]any{"data": []any{ident("catalog-item", items[1]), ident("catalog-item", items[2])}}}}))
			cat, _, _ := a.Entity(categoryKind, store.EntityID("NC-1"))
			if attrStr(cat, "name") != "Renamed category" {
				t.Fatalf("category %+v", cat)
			}
			if got := e.categoryItems(a, store.EntityID("NC-1")); !slices.Equal(got, []string{items[1], items[2]}) {
				t.Fatalf("the update did not replace the category's items: %v", got)
			}

			// Deletes: the new item (and its variant with it), the category, and a missing variant.
			id := job(itemKind, store.Delete)
			e.runJob(id, rev, jobBody(t, id, rev, ident("catalog-item", store.EntityID("NEW-1"))))
			if _, ok, _ := a.Entity(itemKind, store.EntityID("NEW-1")); ok {
				t.Fatal("the deleted item is still there")
			}
			if _, ok, _ := a.Entity(variantKind, store.EntityID("NV-1")); ok {
				t.Fatal("the deleted item's variant survived")
			}
			vd := job(variantKind, store.Delete)
			vgone := e.runJob(vd, rev, jobBody(t, vd, rev, ident("catalog-variant", store.EntityID("NV-1"))))
			if got := jobErrors(vgone); !slices.Equal(got, [][2]string{{"not_found", pointer(vd, 0) + "/id"}}) {
				t.Fatalf("variant delete errors %v", got)
			}
			cd := job(categoryKind, store.Delete)
			e.runJob(cd, rev, jobBody(t, cd, rev, ident("catalog-category", store.EntityID("NC-1"))))
			if _, ok, _ := a.Entity(categoryKind, store.EntityID("NC-1")); ok {
				t.Fatal("the deleted category is still there")
			}
			if _, ok, _ := a.Entity(itemKind, items[1]); !ok {
				t.Fatal("deleting a category deleted its items")
			}
		})
	}
}

// categoryItems returns the items of a category, sorted.
func (e *env) categoryItems(a *store.Account, cat string) []string {
	e.t.Helper()
	ex, err := a.Export(collCategories)
	if err != nil {
		e.t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := accountdoc.WriteJSON(&buf, ex); err != nil {
		e.t.Fatal(err)
	}
	var doc struct {
		Categories []struct {
			ID    string   `json:"id"`
			Items []string `json:"items"`
		} `json:"categories"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		e.t.Fatal(err)
	}
	for _, c := range doc.Categories {
		if c.ID == cat {
			return c.Items
		}
	}
	return nil
}

// TestJobKinds_IncludeShowsTheCurrentStateOfWhatTheJobTouched asks each
// job kind that has an include for its entities: create and update jobs
// include them (with their current attributes); delete jobs refuse include.
func TestJobKinds_IncludeShowsTheCurrentStateOfWhatTheJobTouched(t *testing.T) {
	e := newEnv(t)
	for _, r := range resource.Default().All() {
		if r.Job == nil {
			continue
		}
		a, _ := e.store.Account(testKey)
		jobs, err := a.AllJobs(r.Job.Kind)
		if err != nil || len(jobs) == 0 {
			t.Fatalf("%s: %d seeded jobs (%v)", r.Name, len(jobs), err)
		}
		var done *store.Job
		for _, j := range jobs {
			if j.Status == store.Complete && j.Failed == 0 {
				done = j
				break
			}
		}
		key := r.Job.Kind.Entity().Plural()
		g := e.get(r.Path() + "/" + done.ID + "?include=" + key)
		if !r.Job.Include {
			wantError(t, g, 400, "invalid", map[string]any{"parameter": "include"})
			continue
		}
		if g.status != 200 {
			t.Fatalf("%s include: %d %s", r.Name, g.status, g.body)
		}
		d := g.doc(t)
		inc, _ := d["included"].([]any)
		data := d["data"].(map[string]any)["relationships"].(map[string]any)[key].(map[string]any)["data"].([]any)
		if len(inc) == 0 || len(data) != done.Total {
			t.Fatalf("%s: %d included, %d identifiers for %d elements", r.Name, len(inc), len(data), done.Total)
		}
		for _, x := range inc {
			if typ := x.(map[string]any)["type"]; typ != r.Job.Entity.Type {
				t.Fatalf("%s includes a %v", r.Name, typ)
			}
		}
	}
}

// TestRateLimits_EveryOperationHasItsOwnBucket exhausts the burst of one
// operation of one job resource and shows the others untouched, and that
// sibling resources do not share buckets.
func TestRateLimits_EveryOperationHasItsOwnBucket(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 2, Steady: 100}))
	creates, _ := resource.Default().Named("catalog-item-bulk-create-jobs")
	updates, _ := resource.Default().Named("catalog-item-bulk-update-jobs")
	categories, _ := resource.Default().Named("catalog-category-bulk-delete-jobs")
	for i := 0; i < 2; i++ {
		if r := e.get(creates.Path()); r.status != 200 {
			t.Fatalf("list %d: %d", i, r.status)
		}
	}
	want429(t, e.get(creates.Path()), "2026-07-15")
	a, _ := e.store.Account(testKey)
	jobs, _ := a.AllJobs(jobItemCreate)
	for _, target := range []string{creates.Path() + "/" + jobs[0].ID, updates.Path(), categories.Path()} {
		r := e.get(target)
		if r.status != 200 || r.header.Get("RateLimit-Remaining") != "1" {
			t.Fatalf("%s after another bucket was emptied: %d remaining %s", target, r.status, r.header.Get("RateLimit-Remaining"))
		}
	}
}

// TestHeaders_RateLimitFormRevisionAndRequestID shows the 2026 form of the
// rate-limit headers and the two x-klaviyo headers on an answer.
func TestHeaders_RateLimitFormRevisionAndRequestID(t *testing.T) {
	e := newEnv(t, klaviyoLimits)
	r := e.get(listPath, "revision: 2026-05-01")
	if got := r.header.Get("RateLimit-Limit"); got != "75, 75;w=1, 750;w=60" {
		t.Errorf("RateLimit-Limit %q", got)
	}
	if r.header.Get("RateLimit-Remaining") != "74" || r.header.Get("RateLimit-Reset") != "1" {
		t.Errorf("remaining %q reset %q, want the burst window's 74 and 1", r.header.Get("RateLimit-Remaining"), r.header.Get("RateLimit-Reset"))
	}
	if got := r.header.Get("x-klaviyo-api-revision"); got != "2026-04-15" {
		t.Errorf("x-klaviyo-api-revision %q, want the revision that served it", got)
	}
	id1, id2 := r.header.Get("x-klaviyo-req-id"), e.get(listPath).header.Get("x-klaviyo-req-id")
	if len(id1) != 36 || id1[14] != '4' || id1 == id2 {
		t.Errorf("x-klaviyo-req-id %q then %q, want distinct UUID4s", id1, id2)
	}
	if got := e.get(listPath, "revision: 2022-10-17").header.Get("RateLimit-Limit"); got != "350, 350;w=1, 3500;w=60" {
		t.Errorf("at 2022-10-17 RateLimit-Limit %q", got)
	}
}
