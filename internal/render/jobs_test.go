package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// jobOf returns a finished job of js with two elements, the second failed.
func jobOf(js jobSpec) *store.Job {
	j := completeJob()
	j.Kind = js.kind
	j.IDs = []string{store.EntityID("A-1"), store.EntityID("GONE")}
	j.Errors[0].Detail = "A " + js.entity.typ + " with id $custom:::$default:::GONE does not exist."
	j.Errors[0].Pointer = "/data/attributes/" + js.relKey + "/data/1/id"
	return j
}

// relOf is the relationships member docs/klaviyo-behaviour.md §8.1 and §8.2
// give a job of js holding ids, with data and/or links.
func relOf(js jobSpec, id string, ids []string, data, links bool) string {
	var parts []string
	if data {
		var ds []string
		for _, x := range ids {
			ds = append(ds, `{"type":"`+js.entity.typ+`","id":"`+x+`"}`)
		}
		parts = append(parts, `"data":[`+strings.Join(ds, ",")+`]`)
	}
	if links {
		jb := base + "/api/" + js.name + "/" + id
		parts = append(parts, `"links":{"self":"`+jb+`/relationships/`+js.relKey+`/","related":"`+jb+`/`+js.relKey+`/"}`)
	}
	return `{"` + js.relKey + `":{` + strings.Join(parts, ",") + `}}`
}

// TestJobRelationshipsAcrossRevisions pins relationships.<key> of every
// job resource on a list, a GET-one and a POST answer at the revisions where
// it changes (docs/klaviyo-behaviour.md §1.5 and §8.2). Delete jobs lose data
// on reads at 2023-12-15 but keep it on POST answers until 2024-05-15.
func TestJobRelationshipsAcrossRevisions(t *testing.T) {
	type shape struct{ readData, postData, links bool }
	for _, js := range jobSpecs {
		del := js.action == "delete"
		want := map[string]shape{
			"2022-10-17": {true, true, false},
			"2023-01-24": {true, true, false},
			"2023-02-22": {true, true, true},
			"2023-10-15": {true, true, true},
			"2023-12-15": {!del, true, true},
			"2024-02-15": {!del, true, true},
			"2024-05-15": {false, false, true},
			"2025-10-15": {false, false, true},
			"2026-04-15": {false, false, true},
			"2026-07-15": {false, false, true},
		}
		for date, w := range want {
			j := jobOf(js)
			r := renderer(profileOf(t, js.name, date))
			list := r.Jobs(nil, []*store.Job{j}, render.Links{Self: render.Text{base + "/api/" + js.name}}, nil)
			one := r.JobDoc(nil, j, nil, "", nil)
			rw := renderer(profileOf(t, js.name, date))
			rw.Write = true
			post := rw.JobDoc(nil, j, nil, "", nil)
			read := relOf(js, j.ID, j.IDs, w.readData, w.links)
			if got := string(rawAt(t, list, "data", 0, "relationships")); got != read {
				t.Errorf("%s %s list:\n got %s\nwant %s", js.name, date, got, read)
			}
			if got := string(rawAt(t, one, "data", "relationships")); got != read {
				t.Errorf("%s %s GET:\n got %s\nwant %s", js.name, date, got, read)
			}
			if got, want := string(rawAt(t, post, "data", "relationships")), relOf(js, j.ID, j.IDs, w.postData, w.links); got != want {
				t.Errorf("%s %s POST:\n got %s\nwant %s", js.name, date, got, want)
			}
		}
	}
}

// TestJob_IncludeWritesRelationshipDataAtEveryRevision: include=<key>
// fills relationships.<key>.data wherever it is optional, for every job
// resource that accepts an include.
func TestJob_IncludeWritesRelationshipDataAtEveryRevision(t *testing.T) {
	for _, js := range jobSpecs {
		if !js.include {
			continue
		}
		for _, rp := range revision.Default().All() {
			r := renderer(jobResource(t, js.name).At(rp))
			r.Include = true
			j := jobOf(js)
			doc := decode(t, r.JobDoc(nil, j, []*store.Entity{}, "", nil))
			checkJobOf(t, js, rp.Date, obj(t, doc, "data"), j, true)
			if inc := arr(t, doc, "included"); len(inc) != 0 {
				t.Errorf("%s %s: included %v, want []", js.name, rp.Date, inc)
			}
		}
	}
}

// TestJobDoc_MembersOfEveryJobResource: the document members of a GET-one
// and of a POST answer of every job resource at every revision.
func TestJobDoc_MembersOfEveryJobResource(t *testing.T) {
	for _, js := range jobSpecs {
		for _, rp := range revision.Default().All() {
			date := rp.Date
			for _, write := range []bool{false, true} {
				r := renderer(jobResource(t, js.name).At(rp))
				r.Write = write
				j := jobOf(js)
				self := base + "/api/" + js.name
				hints := []string{"Poll " + js.name + "."}
				doc := decode(t, r.JobDoc(nil, j, nil, self, hints))
				top := []string{"data"}
				if factDocumentSelfLink(date) {
					top = append(top, "links")
				}
				if factAgentHints(date) {
					top = append(top, "meta")
				}
				where := js.name + " " + date
				if write {
					where += " POST"
				}
				wantKeys(t, where, doc, top...)
				withData := factRelDataOnRead(js, date)
				if write {
					withData = factRelDataOnCreate(date)
				}
				checkJobOf(t, js, date, obj(t, doc, "data"), j, withData)
				if factDocumentSelfLink(date) {
					if l := obj(t, doc, "links"); len(l) != 1 || l["self"] != self {
						t.Errorf("%s: links %v, want self %q", where, l, self)
					}
				}
				if factAgentHints(date) {
					if steps := arr(t, obj(t, obj(t, doc, "meta"), "agent_hints"), "next_steps"); len(steps) != 1 || steps[0] != hints[0] {
						t.Errorf("%s: next_steps %v", where, steps)
					}
				}
			}
		}
	}
}

// fullVariant is a catalog variant with every attribute set.
func fullVariant() *store.Entity {
	v := &store.Entity{
		Kind: variantKind, ID: store.EntityID("SKU-1-V1"), ExternalID: "SKU-1-V1",
		Created: created, Updated: completed,
	}
	parent, ok := variantKind.Decl().Relation("item")
	if !ok {
		panic("test setup: a catalog-variant has no relation item")
	}
	v.SetRef(parent, store.EntityID("SKU-1"))
	return withAttrs(v,
		"title", ptr("Red Shoe 9"),
		"description", ptr("Size 9"),
		"sku", ptr("RS-9"),
		"inventory_policy", ptr(1),
		"inventory_quantity", ptr(12.0),
		"price", ptr(21.5),
		"url", ptr("https://shop.example.com/p/sku-1?size=9"),
		"image_full_url", ptr("https://shop.example.com/i/sku-1-v1.jpg"),
		"image_thumbnail_url", ptr("https://shop.example.com/i/sku-1-v1-thumb.jpg"),
		"images", ptr([]string{"https://shop.example.com/i/sku-1-v1.jpg"}),
		"custom_metadata", json.RawMessage(`{"size":9}`),
		"published", ptr(false))
}

// fullCategory is a catalog category with every attribute set (created is
// kept but never rendered).
func fullCategory() *store.Entity {
	c := &store.Entity{Kind: categoryKind, ID: store.EntityID("CAT-1"), ExternalID: "CAT-1",
		Created: created, Updated: completed}
	return withAttrs(c, "name", ptr("Shoes"))
}

func TestIncludedVariant_ExactAcrossRevisions(t *testing.T) {
	vb := base + "/api/catalog-variants/$custom:::$default:::SKU-1-V1"
	attrs := `{"type":"catalog-variant","id":"$custom:::$default:::SKU-1-V1","attributes":{"external_id":"SKU-1-V1",` +
		`"title":"Red Shoe 9","description":"Size 9","sku":"RS-9","inventory_policy":1,"inventory_quantity":12.0,"price":21.5,` +
		`"url":"https://shop.example.com/p/sku-1?size=9","image_full_url":"https://shop.example.com/i/sku-1-v1.jpg",` +
		`"image_thumbnail_url":"https://shop.example.com/i/sku-1-v1-thumb.jpg","images":["https://shop.example.com/i/sku-1-v1.jpg"],` +
		`"custom_metadata":{"size":9},"published":false,"created":"2026-09-30T23:55:29.946027+00:00",` +
		`"updated":"2026-09-30T23:56:01+00:00"}`
	without := attrs + `,"links":{"self":"` + vb + `/"}}`
	with := attrs + `,"relationships":{"item":{"links":{"self":"` + vb + `/relationships/item/","related":"` + vb + `/item/"}}},` +
		`"links":{"self":"` + vb + `/"}}`
	for _, name := range []string{"catalog-variant-bulk-create-jobs", "catalog-variant-bulk-update-jobs"} {
		for date, want := range map[string]string{
			"2022-10-17": without, "2023-07-15": without, "2024-10-15": without, "2026-01-15": without,
			"2026-04-15": with, "2026-07-15": with,
		} {
			r := renderer(profileOf(t, name, date))
			r.Include = true
			j := jobOf(jobSpecs[3])
			j.Kind = jobResource(t, name).Job.Kind
			b := r.JobDoc(nil, j, []*store.Entity{fullVariant()}, "", nil)
			if got := string(rawAt(t, b, "included", 0)); got != want {
				t.Errorf("%s %s:\n got %s\nwant %s", name, date, got, want)
			}
		}
	}
}

func TestIncludedCategory_ExactAcrossRevisions(t *testing.T) {
	cb := base + "/api/catalog-categories/$custom:::$default:::CAT-1"
	attrs := `{"type":"catalog-category","id":"$custom:::$default:::CAT-1","attributes":{"external_id":"CAT-1",` +
		`"name":"Shoes","updated":"2026-09-30T23:56:01+00:00"}`
	without := attrs + `,"links":{"self":"` + cb + `/"}}`
	with := attrs + `,"relationships":{"items":{"links":{"self":"` + cb + `/relationships/items/","related":"` + cb + `/items/"}}},` +
		`"links":{"self":"` + cb + `/"}}`
	for _, name := range []string{"catalog-category-bulk-create-jobs", "catalog-category-bulk-update-jobs"} {
		for date, want := range map[string]string{
			"2022-10-17": without, "2023-12-15": without, "2025-10-15": without, "2026-01-15": without,
			"2026-04-15": with, "2026-07-15": with,
		} {
			r := renderer(profileOf(t, name, date))
			r.Include = true
			j := jobOf(jobSpecs[6])
			j.Kind = jobResource(t, name).Job.Kind
			b := r.JobDoc(nil, j, []*store.Entity{fullCategory()}, "", nil)
			if got := string(rawAt(t, b, "included", 0)); got != want {
				t.Errorf("%s %s:\n got %s\nwant %s", name, date, got, want)
			}
		}
	}
}

// TestIncludedEntities_SparseFieldsetsAndNulls: fields[catalog-variant] and
// fields[catalog-category] select attributes in the fixed order; unset
// attributes are null.
func TestIncludedEntities_SparseFieldsetsAndNulls(t *testing.T) {
	cases := []struct {
		name   string
		e      *store.Entity
		fields []string
		sel    []string
		want   string
	}{
		{"catalog-variant-bulk-create-jobs", fullVariant(), variantFieldNames, []string{"price", "sku", "id"},
			`{"sku":"RS-9","price":21.5}`},
		{"catalog-variant-bulk-update-jobs", fullVariant(), variantFieldNames, []string{"inventory_quantity", "inventory_policy"},
			`{"inventory_policy":1,"inventory_quantity":12.0}`},
		{"catalog-variant-bulk-update-jobs", &store.Entity{Kind: variantKind, ID: "x"}, variantFieldNames, variantAttrs,
			`{"external_id":"","title":null,"description":null,"sku":null,"inventory_policy":null,"inventory_quantity":null,` +
				`"price":null,"url":null,"image_full_url":null,"image_thumbnail_url":null,"images":null,"custom_metadata":null,` +
				`"published":null,"created":null,"updated":null}`},
		{"catalog-category-bulk-create-jobs", fullCategory(), categoryFieldNames, []string{"updated", "name"},
			`{"name":"Shoes","updated":"2026-09-30T23:56:01+00:00"}`},
		{"catalog-category-bulk-update-jobs", fullCategory(), categoryFieldNames, []string{"id"}, `{}`},
		{"catalog-category-bulk-update-jobs", &store.Entity{Kind: categoryKind, ID: "x"}, categoryFieldNames, categoryAttrs,
			`{"external_id":"","name":null,"updated":null}`},
	}
	for _, c := range cases {
		r := renderer(profileOf(t, c.name, "2026-07-15"))
		r.IncludedFields = fieldSet(c.fields, c.sel...)
		j := jobOf(itemUpdate)
		j.Kind = jobResource(t, c.name).Job.Kind
		b := r.JobDoc(nil, j, []*store.Entity{c.e}, "", nil)
		if got := string(rawAt(t, b, "included", 0, "attributes")); got != c.want {
			t.Errorf("%s %q:\n got %s\nwant %s", c.name, c.sel, got, c.want)
		}
		// The entity fieldset never touches the job.
		if got := memberOrder(t, rawAt(t, b, "data", "attributes")); len(got) != len(jobAttrs) {
			t.Errorf("%s: job attributes %q narrowed by the entity fieldset", c.name, got)
		}
	}
}

// TestJobs_ExactListOfCategoryDeleteJobsAt20231215: the first revision
// whose delete-job reads are links only.
func TestJobs_ExactListOfCategoryDeleteJobsAt20231215(t *testing.T) {
	j := jobOf(jobSpecs[8])
	self := base + "/api/catalog-category-bulk-delete-jobs"
	got := renderer(profileOf(t, "catalog-category-bulk-delete-jobs", "2023-12-15")).Jobs(nil, []*store.Job{j},
		render.Links{Self: render.Text{self + "/"}, Next: self + "/?page%5Bcursor%5D=x"}, []string{"ignored"})
	jb := self + "/" + jobID
	want := `{"data":[{"type":"catalog-category-bulk-delete-job","id":"` + jobID + `","attributes":{"status":"complete",` +
		`"created_at":"2026-09-30T23:55:29.946027+00:00","total_count":2,"completed_count":1,"failed_count":1,` +
		`"completed_at":"2026-09-30T23:56:01+00:00","expires_at":"2026-10-07T23:56:01+00:00","errors":[{"id":"6f1c0a52-3c8e-4a3e-9d55-0c8d1f0e7a11",` +
		`"code":"not_found","title":"Not found.","detail":"A catalog-category with id $custom:::$default:::GONE does not exist.",` +
		`"source":{"pointer":"/data/attributes/categories/data/1/id"}}]},"relationships":{"categories":{"links":{` +
		`"self":"` + jb + `/relationships/categories/","related":"` + jb + `/categories/"}}},"links":{"self":"` + jb + `/"}}],` +
		`"links":{"self":"` + self + `/","next":"` + self + `/?page%5Bcursor%5D=x","prev":null}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// TestJobDoc_ExactPostOfVariantDeleteJobAt20240215: the last revision whose
// delete-job POST answers carry relationship data (and job_id is gone).
func TestJobDoc_ExactPostOfVariantDeleteJobAt20240215(t *testing.T) {
	j := &store.Job{ID: jobID2, Kind: jobVariantDelete, Status: store.Queued, CreatedAt: created, Total: 2,
		IDs: []string{store.EntityID("V-1"), store.EntityID("V-2")}, Errors: []store.JobError{}}
	r := renderer(profileOf(t, "catalog-variant-bulk-delete-jobs", "2024-02-15"))
	r.Write = true
	got := r.JobDoc(nil, j, nil, base+"/api/catalog-variant-bulk-delete-jobs", []string{"ignored"})
	jb := base + "/api/catalog-variant-bulk-delete-jobs/" + jobID2
	want := `{"data":{"type":"catalog-variant-bulk-delete-job","id":"` + jobID2 + `","attributes":{"status":"queued",` +
		`"created_at":"2026-09-30T23:55:29.946027+00:00","total_count":2,"completed_count":0,"failed_count":0,` +
		`"completed_at":null,"expires_at":null,"errors":[]},"relationships":{"variants":{"data":[` +
		`{"type":"catalog-variant","id":"$custom:::$default:::V-1"},{"type":"catalog-variant","id":"$custom:::$default:::V-2"}],` +
		`"links":{"self":"` + jb + `/relationships/variants/","related":"` + jb + `/variants/"}}},"links":{"self":"` + jb + `/"}}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// TestJobDoc_ExactPostOfCategoryCreateJobAt20260715: a POST answer of the
// newest revision: no relationship data, document links.self and hints.
func TestJobDoc_ExactPostOfCategoryCreateJobAt20260715(t *testing.T) {
	j := &store.Job{ID: jobID2, Kind: jobCategoryCreate, Status: store.Queued, CreatedAt: created, Total: 1,
		IDs: []string{store.EntityID("CAT-1")}, Errors: []store.JobError{}}
	r := renderer(profileOf(t, "catalog-category-bulk-create-jobs", "2026-07-15"))
	r.Write = true
	coll := base + "/api/catalog-category-bulk-create-jobs"
	got := r.JobDoc(nil, j, nil, coll, []string{"Poll it."})
	jb := coll + "/" + jobID2
	want := `{"data":{"type":"catalog-category-bulk-create-job","id":"` + jobID2 + `","attributes":{"status":"queued",` +
		`"created_at":"2026-09-30T23:55:29.946027+00:00","total_count":1,"completed_count":0,"failed_count":0,` +
		`"completed_at":null,"expires_at":null,"errors":[]},"relationships":{"categories":{` +
		`"links":{"self":"` + jb + `/relationships/categories/","related":"` + jb + `/categories/"}}},"links":{"self":"` + jb + `/"}},` +
		`"links":{"self":"` + coll + `"},"meta":{"agent_hints":{"next_steps":["Poll it."]}}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// TestOne_ExactPostAt20231215: the item update job's POST answer keeps
// relationship data until 2024-05-15 (as its GET does), with the top-level
// id of 2023-12-15.
func TestOne_ExactPostAt20231215(t *testing.T) {
	r := renderer(profile(t, "2023-12-15"))
	r.Write = true
	got := r.JobDoc(nil, queuedJob(), nil, oneSelf, nil)
	jb := base + "/api/catalog-item-bulk-update-jobs/" + jobID2
	want := `{"data":{"type":"catalog-item-bulk-update-job","id":"` + jobID2 + `","attributes":{"status":"queued",` +
		`"created_at":"2026-09-30T23:55:29.946027+00:00","total_count":1,"completed_count":0,"failed_count":0,` +
		`"completed_at":null,"expires_at":null,"errors":[]},"relationships":{"items":{"data":[` +
		`{"type":"catalog-item","id":"$custom:::$default:::SKU-1"}],` +
		`"links":{"self":"` + jb + `/relationships/items/","related":"` + jb + `/items/"}}},"links":{"self":"` + jb + `/"}}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	// The same bytes as the GET answer: the item update job's write and
	// read rules coincide at every revision.
	for _, rp := range revision.Default().All() {
		p := itemUpdateAt(t, rp)
		read := renderer(p).JobDoc(nil, completeJob(), nil, oneSelf, nil)
		w := renderer(p)
		w.Write = true
		if post := w.JobDoc(nil, completeJob(), nil, oneSelf, nil); string(post) != string(read) {
			t.Errorf("%s: POST answer differs from GET:\n post %s\n  get %s", p.Date, post, read)
		}
	}
}
