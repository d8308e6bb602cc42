package render_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

const specPath = "/api/catalog-item-bulk-update-jobs"

// fixtureParams are the seeded catalog's sizes; Jobs is set per call.
var fixtureParams = fixtures.Params{Seed: 1, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}}

// fixtureJobs returns n realistic seeded jobs of kind.
func fixtureJobs(t testing.TB, kind store.JobKind, n int) []*store.Job {
	t.Helper()
	p := fixtureParams
	p.Jobs = n
	jobs := fixtures.Jobs(p, "pk_spec", kind)
	if len(jobs) != n {
		t.Fatalf("fixtures gave %d %v jobs, want %d", len(jobs), kind, n)
	}
	for _, j := range jobs {
		if j.Kind != kind {
			t.Fatalf("fixtures gave a %v job for %v", j.Kind, kind)
		}
	}
	return jobs
}

// fixtureEntities returns the seeded catalog entities of kind, by id.
func fixtureEntities(t testing.TB, kind store.EntityKind) map[string]*store.Entity {
	t.Helper()
	seed := fixtures.Materialize(fixtures.Generate(fixtureParams, "pk_spec", store.EntityCollection(kind)))
	byID := make(map[string]*store.Entity, len(seed.Entities))
	for _, e := range seed.Entities {
		byID[e.ID] = e
	}
	if len(byID) == 0 {
		t.Fatalf("fixtures gave no %v", kind)
	}
	return byID
}

// fixtureAccount returns realistic seeded item update jobs and items.
func fixtureAccount(t testing.TB, jobs int) ([]*store.Job, map[string]*store.Entity) {
	t.Helper()
	return fixtureJobs(t, jobItemUpdate, jobs), fixtureEntities(t, itemKind)
}

// includedOf returns the entities of j the account holds, in job order.
func includedOf(j *store.Job, entities map[string]*store.Entity) []*store.Entity {
	out := []*store.Entity{}
	for _, id := range j.IDs {
		if e, ok := entities[id]; ok {
			out = append(out, e)
		}
	}
	return out
}

// failedAndInFlight returns a job with failed elements and a job still
// queued or processing.
func failedAndInFlight(t testing.TB, jobs []*store.Job) (failed, inFlight *store.Job) {
	t.Helper()
	for _, j := range jobs {
		if j.Failed > 0 && len(j.Errors) > 0 && failed == nil {
			failed = j
		}
		if j.Status.InProgress() && inFlight == nil {
			inFlight = j
		}
	}
	if failed == nil || inFlight == nil {
		t.Fatalf("fixtures lack a failed or an in-flight job")
	}
	return failed, inFlight
}

// posted is the job a POST of inFlight's elements answers with.
func posted(j *store.Job) *store.Job {
	return &store.Job{ID: j.ID, Kind: j.Kind, Status: store.Queued, CreatedAt: j.CreatedAt, Total: len(j.IDs),
		IDs: j.IDs, Errors: []store.JobError{}}
}

// specPathOf is the collection path of js as the spec of date spells it:
// with a trailing slash up to 2024-07-15 (docs/klaviyo-behaviour.md §1.4,
// rows 2022-10-17 and 2024-10-15).
func specPathOf(js jobSpec, date string) string {
	if factTrailingSlash(date) {
		return "/api/" + js.name + "/"
	}
	return "/api/" + js.name
}

// specOnePathOf is the path of one job of js as the spec of date spells it.
func specOnePathOf(js jobSpec, date, id string) string {
	if factTrailingSlash(date) {
		return "/api/" + js.name + "/" + id + "/"
	}
	return "/api/" + js.name + "/" + id
}

func specCheck(t *testing.T, r spectest.Response) {
	t.Helper()
	if err := spectest.Check(r); err != nil {
		t.Error(err)
	}
}

func TestRenderedDocumentsMatchTheSpecOfEveryRevision(t *testing.T) {
	jobs, items := fixtureAccount(t, 40)
	failed, inFlight := failedAndInFlight(t, jobs)
	revs := map[string]bool{}
	for _, r := range spectest.Revisions() {
		revs[r] = true
	}
	for _, rp := range revision.Default().All() {
		p := itemUpdateAt(t, rp)
		if !revs[p.Date] {
			t.Errorf("no embedded spec for revision %s", p.Date)
			continue
		}
		t.Run(p.Date, func(t *testing.T) {
			r := renderer(p)
			list := r.Jobs(nil, jobs, render.Links{Self: render.Text{base + specPath}, Next: base + specPath + "?page%5Bcursor%5D=bmV4dA"},
				[]string{"Fetch the next page of jobs by following links.next."})
			specCheck(t, spectest.Response{Revision: p.Date, Method: "GET", Path: specPath, Status: 200,
				ContentType: p.ContentType, Body: list})

			for _, j := range []*store.Job{failed, inFlight} {
				self := base + specPath + "/" + j.ID
				one := r.JobDoc(nil, j, nil, self, []string{"Poll it."})
				specCheck(t, spectest.Response{Revision: p.Date, Method: "GET", Path: specPath + "/" + j.ID, Status: 200,
					ContentType: p.ContentType, Body: one})

				ri := renderer(p)
				ri.Include = true
				withItems := ri.JobDoc(nil, j, includedOf(j, items), self, nil)
				specCheck(t, spectest.Response{Revision: p.Date, Method: "GET", Path: specPath + "/" + j.ID + "?include=items",
					Status: 200, ContentType: p.ContentType, Body: withItems})
			}

			created := posted(inFlight)
			rw := renderer(p)
			rw.Write = true
			post := rw.JobDoc(nil, created, nil, base+specPath+"/"+created.ID, []string{"Poll it."})
			specCheck(t, spectest.Response{Revision: p.Date, Method: "POST", Path: specPath, Status: 202,
				ContentType: p.ContentType, Body: post})
		})
	}
}

// TestEveryJobResourceMatchesTheSpecOfEveryRevision renders, for each of
// the nine job resources at each revision, a list page of seeded jobs, the
// GET-one of a failed and of an in-flight job (with include of its
// entities where the resource allows it) and a POST answer; each must
// validate against that revision's spec and have the shape
// docs/klaviyo-behaviour.md §8.1 and §8.2 give it.
func TestEveryJobResourceMatchesTheSpecOfEveryRevision(t *testing.T) {
	revs := map[string]bool{}
	for _, r := range spectest.Revisions() {
		revs[r] = true
	}
	for _, js := range jobSpecs {
		t.Run(js.name, func(t *testing.T) {
			jobs := fixtureJobs(t, js.kind, 40)
			entities := fixtureEntities(t, js.entity.kind)
			failed, inFlight := failedAndInFlight(t, jobs)
			includedSome := false
			for _, rp := range revision.Default().All() {
				if !revs[rp.Date] {
					t.Errorf("no embedded spec for revision %s", rp.Date)
					continue
				}
				p := jobResource(t, js.name).At(rp)
				date := p.Date
				path := specPathOf(js, date)
				collection := base + "/api/" + js.name
				r := renderer(p)

				list := r.Jobs(nil, jobs, render.Links{Self: render.Text{collection}, Next: collection + "?page%5Bcursor%5D=bmV4dA"},
					[]string{"Fetch the next page of jobs by following links.next."})
				specCheck(t, spectest.Response{Revision: date, Method: "GET", Path: path, Status: 200,
					ContentType: p.ContentType, Body: list})
				data := arr(t, decode(t, list), "data")
				if len(data) != len(jobs) {
					t.Fatalf("%s %s: %d jobs listed, want %d", js.name, date, len(data), len(jobs))
				}
				for i, j := range jobs {
					checkJobOf(t, js, date, data[i].(map[string]any), j, factRelDataOnRead(js, date))
				}

				for _, j := range []*store.Job{failed, inFlight} {
					self := collection + "/" + j.ID
					one := r.JobDoc(nil, j, nil, self, []string{"Poll it."})
					specCheck(t, spectest.Response{Revision: date, Method: "GET", Path: specOnePathOf(js, date, j.ID),
						Status: 200, ContentType: p.ContentType, Body: one})
					doc := decode(t, one)
					if _, ok := doc["included"]; ok {
						t.Errorf("%s %s: included without include", js.name, date)
					}
					checkJobOf(t, js, date, obj(t, doc, "data"), j, factRelDataOnRead(js, date))

					if !js.include {
						continue
					}
					ri := renderer(p)
					ri.Include = true
					inc := includedOf(j, entities)
					includedSome = includedSome || len(inc) > 0
					withIncluded := ri.JobDoc(nil, j, inc, self, nil)
					specCheck(t, spectest.Response{Revision: date, Method: "GET",
						Path:   specOnePathOf(js, date, j.ID) + "?include=" + js.relKey,
						Status: 200, ContentType: p.ContentType, Body: withIncluded})
					doc = decode(t, withIncluded)
					checkJobOf(t, js, date, obj(t, doc, "data"), j, true)
					got := arr(t, doc, "included")
					if len(got) != len(inc) {
						t.Fatalf("%s %s: %d included, want %d", js.name, date, len(got), len(inc))
					}
					for k, e := range inc {
						checkEntity(t, js.entity, date, got[k].(map[string]any), e.ID)
					}
				}

				created := posted(inFlight)
				rw := renderer(p)
				rw.Write = true
				post := rw.JobDoc(nil, created, nil, collection+"/"+created.ID, []string{"Poll it."})
				specCheck(t, spectest.Response{Revision: date, Method: "POST", Path: path, Status: 202,
					ContentType: p.ContentType, Body: post})
				checkJobOf(t, js, date, obj(t, decode(t, post), "data"), created, factRelDataOnCreate(date))
			}
			if js.include && !includedSome {
				t.Errorf("%s: no fixture job has an entity of the catalog to include", js.name)
			}
		})
	}
}

func TestSparseDocumentsMatchTheSpec(t *testing.T) {
	jobs, items := fixtureAccount(t, 10)
	cases := []struct {
		date      string
		jobNames  []string
		itemNames []string
	}{
		{"2022-10-17", []string{"job_id", "status"}, []string{"title"}},
		{"2023-12-15", []string{"errors"}, []string{"price", "published"}},
		{"2026-07-15", []string{"id", "completed_at"}, []string{"id"}},
	}
	for _, c := range cases {
		p := profile(t, c.date)
		r := renderer(p)
		r.Fields, r.IncludedFields, r.Include = jobFields(c.jobNames...), itemFields(c.itemNames...), true
		list := r.Jobs(nil, jobs, render.Links{Self: render.Text{base + specPath}}, nil)
		specCheck(t, spectest.Response{Revision: c.date, Method: "GET", Path: specPath, Status: 200,
			ContentType: p.ContentType, Body: list, Fields: c.jobNames})
		j := jobs[0]
		one := r.JobDoc(nil, j, includedOf(j, items), base+specPath+"/"+j.ID, nil)
		specCheck(t, spectest.Response{Revision: c.date, Method: "GET", Path: specPath + "/" + j.ID, Status: 200,
			ContentType: p.ContentType, Body: one, Fields: c.jobNames, IncludedFields: c.itemNames})
	}
}

// TestSparseDocumentsOfOtherJobsMatchTheSpec: sparse fieldsets of the job
// and of included variants and categories.
func TestSparseDocumentsOfOtherJobsMatchTheSpec(t *testing.T) {
	cases := []struct {
		js                    jobSpec
		date                  string
		jobNames, entityNames []string
		entityFieldNames      []string
	}{
		{jobSpecs[3], "2022-10-17", []string{"job_id", "failed_count"}, []string{"sku", "inventory_quantity"}, variantFieldNames},
		{jobSpecs[4], "2024-05-15", []string{"errors"}, []string{"price"}, variantFieldNames},
		{jobSpecs[6], "2023-12-15", []string{"status"}, []string{"name"}, categoryFieldNames},
		{jobSpecs[7], "2026-07-15", []string{"id"}, []string{"id", "updated"}, categoryFieldNames},
		{jobSpecs[0], "2026-04-15", []string{"total_count"}, []string{"images"}, itemFieldNames},
	}
	for _, c := range cases {
		jobs := fixtureJobs(t, c.js.kind, 10)
		entities := fixtureEntities(t, c.js.entity.kind)
		p := profileOf(t, c.js.name, c.date)
		r := renderer(p)
		r.Fields, r.IncludedFields, r.Include = jobFields(c.jobNames...), fieldSet(c.entityFieldNames, c.entityNames...), true
		list := r.Jobs(nil, jobs, render.Links{Self: render.Text{base + "/api/" + c.js.name}}, nil)
		specCheck(t, spectest.Response{Revision: c.date, Method: "GET", Path: specPathOf(c.js, c.date), Status: 200,
			ContentType: p.ContentType, Body: list, Fields: c.jobNames})
		var j *store.Job
		for _, x := range jobs {
			if len(includedOf(x, entities)) > 0 {
				j = x
				break
			}
		}
		if j == nil {
			t.Fatalf("%s: no job with entities to include", c.js.name)
		}
		one := r.JobDoc(nil, j, includedOf(j, entities), base+"/api/"+c.js.name+"/"+j.ID, nil)
		specCheck(t, spectest.Response{Revision: c.date, Method: "GET", Path: specOnePathOf(c.js, c.date, j.ID), Status: 200,
			ContentType: p.ContentType, Body: one, Fields: c.jobNames, IncludedFields: c.entityNames})
		// The fieldset is what is rendered: the check is not vacuous.
		var wantAttrs []string
		for _, n := range c.entityNames {
			if n != "id" {
				wantAttrs = append(wantAttrs, n)
			}
		}
		wantKeys(t, c.js.name+" "+c.date+" included attributes", obj(t, arr(t, decode(t, one), "included")[0].(map[string]any), "attributes"), wantAttrs...)
	}
}

func TestSpecCheckRejectsAWrongShape(t *testing.T) {
	// Guard against a vacuous spec check: a 2022-10-17 document rendered
	// with a 2026-07-15 profile has a top-level id and no job_id.
	jobs, _ := fixtureAccount(t, 3)
	body := renderer(profile(t, "2026-07-15")).Jobs(nil, jobs, render.Links{Self: render.Text{base + specPath}}, nil)
	err := spectest.Check(spectest.Response{Revision: "2022-10-17", Method: "GET", Path: specPath, Status: 200,
		ContentType: "application/json", Body: body})
	if err == nil {
		t.Errorf("spectest accepted a 2026-07-15 document as 2022-10-17")
	}
}

// TestSpecCheckRejectsWrongShapesOfEveryJobResource guards the all-resource
// spec test against being vacuous: for every job resource, a document of
// the wrong revision, of another job resource, and (before 2024-05-15) a
// POST answer without relationship data must all be rejected.
func TestSpecCheckRejectsWrongShapesOfEveryJobResource(t *testing.T) {
	for i, js := range jobSpecs {
		jobs := fixtureJobs(t, js.kind, 3)
		body := renderer(profileOf(t, js.name, "2026-07-15")).Jobs(nil, jobs, render.Links{Self: render.Text{base + "/api/" + js.name}}, nil)
		if spectest.Check(spectest.Response{Revision: "2022-10-17", Method: "GET", Path: specPathOf(js, "2022-10-17"),
			Status: 200, ContentType: "application/json", Body: body}) == nil {
			t.Errorf("%s: spectest accepted a 2026-07-15 list as 2022-10-17", js.name)
		}
		// The same list is valid where it belongs and nowhere else.
		specCheck(t, spectest.Response{Revision: "2026-07-15", Method: "GET", Path: specPathOf(js, "2026-07-15"),
			Status: 200, ContentType: "application/vnd.api+json", Body: body})
		other := jobSpecs[(i+1)%len(jobSpecs)]
		if spectest.Check(spectest.Response{Revision: "2026-07-15", Method: "GET", Path: specPathOf(other, "2026-07-15"),
			Status: 200, ContentType: "application/vnd.api+json", Body: body}) == nil {
			t.Errorf("spectest accepted a %s list as %s", js.name, other.name)
		}
		// A POST answer rendered as a read at 2024-05-15 (no data) is not a
		// 2024-02-15 POST answer, which requires relationships.<key>.data.
		created := posted(jobs[len(jobs)-1])
		noData := renderer(profileOf(t, js.name, "2024-05-15"))
		noData.Write = true
		post := noData.JobDoc(nil, created, nil, "", nil)
		if spectest.Check(spectest.Response{Revision: "2024-02-15", Method: "POST", Path: specPathOf(js, "2024-02-15"),
			Status: 202, ContentType: "application/json", Body: post}) == nil {
			t.Errorf("%s: spectest accepted a POST answer without relationship data at 2024-02-15", js.name)
		}
	}
}

// TestProfilesOfEveryJobResourceServeTheSpecsContentType: the spec check
// above passes p.ContentType; it must be the revision's
// (docs/klaviyo-behaviour.md §1.4, rows 2022-10-17 and 2024-10-15).
func TestProfilesOfEveryJobResourceServeTheSpecsContentType(t *testing.T) {
	for _, js := range jobSpecs {
		for _, rp := range revision.Default().All() {
			p := jobResource(t, js.name).At(rp)
			want := "application/json"
			if !factTrailingSlash(p.Date) {
				want = "application/vnd.api+json"
			}
			if p.ContentType != want {
				t.Errorf("%s %s: content type %q, want %q", js.name, p.Date, p.ContentType, want)
			}
		}
	}
}
