package handlers

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// jobDocCall is the call of a GET (or POST) of target on the
// catalog-item-bulk-create-jobs resource at revision date.
func jobDocCall(t *testing.T, method, target, date string) *call {
	t.Helper()
	reg := resource.Default()
	res, ok := reg.Named("catalog-item-bulk-create-jobs")
	if !ok {
		t.Fatal("no catalog-item-bulk-create-jobs resource")
	}
	p, ok := reg.Revisions().Exact(date)
	if !ok {
		t.Fatalf("no revision %s", date)
	}
	return &call{r: httptest.NewRequest(method, target, nil), res: res, rp: res.At(p), p: p,
		q: request{fields: resource.AllFields, includedFields: resource.AllFields}}
}

// A job's document says what the renderer's JobDoc says with the self link
// and the hints as strings (the request's URL, jobHints): at every
// revision, for a job queued, complete and failed, for a path with and
// without a query or a trailing slash, and for a public URL that JSON
// escapes.
func TestJobDoc_AnswersAsTheLinkAndHintsMadeAsStrings(t *testing.T) {
	jobs := []*store.Job{
		{ID: "01JQ", Kind: store.MustJobKind("catalog-item", store.Create), Status: store.Queued, Errors: []store.JobError{}},
		{ID: "01JP", Kind: store.MustJobKind("catalog-item", store.Create), Status: store.Processing, Errors: []store.JobError{}},
		{ID: "01JC", Kind: store.MustJobKind("catalog-item", store.Create), Status: store.Complete, Errors: []store.JobError{}},
		{ID: "01JF", Kind: store.MustJobKind("catalog-item", store.Create), Status: store.Complete, Failed: 1,
			Errors: []store.JobError{{ID: "e", Code: "invalid", Title: "Invalid input.", Detail: "d", Pointer: "/data/0"}}},
	}
	targets := []string{"/api/catalog-item-bulk-create-jobs/%s", "/api/catalog-item-bulk-create-jobs/%s/?include=items",
		"/api/catalog-item-bulk-create-jobs/%s?fields%%5Bcatalog-item%%5D=title&include=items"}
	n := 0
	for _, public := range []string{"", `http://mock.example/a"b\c` + "\u2028"} {
		h := &Handler{opts: Options{PublicURL: public}}
		for _, p := range resource.Default().Revisions().All() {
			for _, job := range jobs {
				for _, target := range targets {
					c := jobDocCall(t, "GET", fmt.Sprintf(target, job.ID), p.Date)
					rd := h.renderer(c)
					want := string(rd.JobDoc(nil, job, nil, selfURL(rd.Base, c.r), wantJobHints(h, c, job)))
					rd = h.renderer(c)
					if got := string(h.jobDoc(c, &rd, nil, job, nil)); got != want {
						t.Fatalf("%s %s %s: got\n%s\nwant\n%s", p.Date, job.Status, c.r.URL, got, want)
					}
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("nothing compared")
	}
}

// A poll of a job in progress writes its self link and its poll hint into
// the answer: neither the link (base, path and query joined) nor the
// hint (with the job's path) nor the hints' list is made at every poll.
func TestJobDoc_APollWritesItsLinkAndHintWithoutMakingThem(t *testing.T) {
	h := &Handler{opts: Options{PublicURL: "http://mock.example"}}
	job := &store.Job{ID: "01JQ", Kind: store.MustJobKind("catalog-item", store.Create), Status: store.Processing, Errors: []store.JobError{}}
	for _, date := range []string{"2026-07-15", "2022-10-17"} {
		c := jobDocCall(t, "GET", "/api/catalog-item-bulk-create-jobs/01JQ?include=items", date)
		buf := make([]byte, 0, 4096)
		doc := func() {
			rd := h.renderer(c)
			buf = h.jobDoc(c, &rd, buf[:0], job, nil)
		}
		if n := testing.AllocsPerRun(50, doc); n != 0 {
			t.Errorf("%s: a poll's document allocates %v times, want 0", date, n)
		}
	}
}

// wantJobHints is the hints a job's document carries, made as strings: a
// job in progress is told to poll it by its path (at a revision that shows
// hints), any other gets jobHints'.
func wantJobHints(h *Handler, c *call, job *store.Job) []string {
	if c.p.AgentHints && job.Status.InProgress() {
		return []string{"Poll GET " + c.res.Path() + "/" + job.ID + " until its status is complete."}
	}
	return h.jobHints(c, job)
}
