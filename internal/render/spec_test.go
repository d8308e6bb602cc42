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

// fixtureAccount returns realistic seeded jobs and items.
func fixtureAccount(t testing.TB, jobs int) ([]*store.Job, map[string]*store.Item) {
	t.Helper()
	js, its := fixtures.Generate(fixtures.Params{Seed: 1, Jobs: jobs, Items: 200}, "pk_spec")
	byID := make(map[string]*store.Item, len(its))
	for _, it := range its {
		byID[it.ID] = it
	}
	return js, byID
}

// includedOf returns the catalog items of j the account holds, in job order.
func includedOf(j *store.Job, items map[string]*store.Item) []*store.Item {
	out := []*store.Item{}
	for _, id := range j.Items {
		if it, ok := items[id]; ok {
			out = append(out, it)
		}
	}
	return out
}

func specCheck(t *testing.T, r spectest.Response) {
	t.Helper()
	if err := spectest.Check(r); err != nil {
		t.Error(err)
	}
}

func TestRenderedDocumentsMatchTheSpecOfEveryRevision(t *testing.T) {
	jobs, items := fixtureAccount(t, 40)
	var failed, inFlight *store.Job
	for _, j := range jobs {
		if j.Failed > 0 && failed == nil {
			failed = j
		}
		if j.Status.InProgress() && inFlight == nil {
			inFlight = j
		}
	}
	if failed == nil || inFlight == nil {
		t.Fatalf("fixtures lack a failed or an in-flight job")
	}
	revs := map[string]bool{}
	for _, r := range spectest.Revisions() {
		revs[r] = true
	}
	for _, p := range revision.Default().All() {
		if !revs[p.Date] {
			t.Errorf("no embedded spec for revision %s", p.Date)
			continue
		}
		t.Run(p.Date, func(t *testing.T) {
			r := renderer(p)
			list := r.List(nil, jobs, render.Links{Self: base + specPath, Next: base + specPath + "?page%5Bcursor%5D=bmV4dA"},
				[]string{"Fetch the next page of jobs by following links.next."})
			specCheck(t, spectest.Response{Revision: p.Date, Method: "GET", Path: specPath, Status: 200,
				ContentType: p.ContentType, Body: list})

			for _, j := range []*store.Job{failed, inFlight} {
				self := base + specPath + "/" + j.ID
				one := r.One(nil, j, nil, self, []string{"Poll it."})
				specCheck(t, spectest.Response{Revision: p.Date, Method: "GET", Path: specPath + "/" + j.ID, Status: 200,
					ContentType: p.ContentType, Body: one})

				ri := renderer(p)
				ri.ItemData = true
				withItems := ri.One(nil, j, includedOf(j, items), self, nil)
				specCheck(t, spectest.Response{Revision: p.Date, Method: "GET", Path: specPath + "/" + j.ID + "?include=items",
					Status: 200, ContentType: p.ContentType, Body: withItems})
			}

			created := &store.Job{ID: inFlight.ID, Status: store.Queued, CreatedAt: inFlight.CreatedAt,
				Total: len(inFlight.Items), Items: inFlight.Items}
			post := r.One(nil, created, nil, base+specPath+"/"+created.ID, []string{"Poll it."})
			specCheck(t, spectest.Response{Revision: p.Date, Method: "POST", Path: specPath, Status: 202,
				ContentType: p.ContentType, Body: post})
		})
	}
}

func TestSparseDocumentsMatchTheSpec(t *testing.T) {
	jobs, items := fixtureAccount(t, 10)
	cases := []struct {
		date       string
		jobNames   []string
		jobFields  revision.FieldSet
		itemNames  []string
		itemFields revision.FieldSet
	}{
		{"2022-10-17", []string{"job_id", "status"}, jobFields(revision.JobID, revision.JobStatus),
			[]string{"title"}, jobFields(revision.ItemTitle)},
		{"2023-12-15", []string{"errors"}, jobFields(revision.JobErrors),
			[]string{"price", "published"}, jobFields(revision.ItemPrice, revision.ItemPublished)},
		{"2026-07-15", []string{"id", "completed_at"}, jobFields(revision.JobIDField, revision.JobCompletedAt),
			[]string{"id"}, jobFields(revision.ItemIDField)},
	}
	for _, c := range cases {
		p := profile(t, c.date)
		r := renderer(p)
		r.JobFields, r.ItemFields, r.ItemData = c.jobFields, c.itemFields, true
		list := r.List(nil, jobs, render.Links{Self: base + specPath}, nil)
		specCheck(t, spectest.Response{Revision: c.date, Method: "GET", Path: specPath, Status: 200,
			ContentType: p.ContentType, Body: list, JobFields: c.jobNames})
		j := jobs[0]
		one := r.One(nil, j, includedOf(j, items), base+specPath+"/"+j.ID, nil)
		specCheck(t, spectest.Response{Revision: c.date, Method: "GET", Path: specPath + "/" + j.ID, Status: 200,
			ContentType: p.ContentType, Body: one, JobFields: c.jobNames, ItemFields: c.itemNames})
	}
}

func TestSpecCheckRejectsAWrongShape(t *testing.T) {
	// Guard against a vacuous spec check: a 2022-10-17 document rendered
	// with a 2026-07-15 profile has a top-level id and no job_id.
	jobs, _ := fixtureAccount(t, 3)
	body := renderer(profile(t, "2026-07-15")).List(nil, jobs, render.Links{Self: base + specPath}, nil)
	err := spectest.Check(spectest.Response{Revision: "2022-10-17", Method: "GET", Path: specPath, Status: 200,
		ContentType: "application/json", Body: body})
	if err == nil {
		t.Errorf("spectest accepted a 2026-07-15 document as 2022-10-17")
	}
}
