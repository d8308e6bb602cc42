package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// A job in progress tells an agent to poll it by its path, at a revision
// that shows hints (TestJobDoc_APollWritesItsLinkAndHintWithoutMakingThem
// counts what writing it costs).
func TestJobHints_APollNamesTheJob(t *testing.T) {
	h := flowHandler()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, flowRequest(http.MethodPost, "/api/catalog-item-bulk-create-jobs", appendCreateBody(nil, 1)))
	answer := w.Body.Bytes()
	id := jobID(answer)
	want := `"Poll GET /api/catalog-item-bulk-create-jobs/` + id + ` until its status is complete."`
	if id == "" || !bytes.Contains(answer, []byte(want)) {
		t.Fatalf("the answer holds no %s: %.400s", want, answer)
	}
}

// The job hints' texts (2026-07-15+), as formats: the oracles the
// concatenating code is checked against.
const (
	hintJobGetOne = "Fetch one job with GET %s/{job_id} to poll its progress."
	hintJobErrors = "Inspect errors for the %s the job could not %s."
)

// TestJobHints_AListsAndAFailedJobsHintsAreTheFormatsText: the hint every
// job list carries and the one a job that failed some elements carries
// are their formats' text for every job resource, each made as one
// string: fmt put each argument on the heap besides.
func TestJobHints_AListsAndAFailedJobsHintsAreTheFormatsText(t *testing.T) {
	n := 0
	for _, res := range resource.Default().All() {
		if res.Job == nil {
			continue
		}
		n++
		kind := res.Job.Kind
		checkHint(t, func() string { return jobGetOneHint(res) }, fmt.Sprintf(hintJobGetOne, res.Path()))
		checkHint(t, func() string { return jobErrorsHint(kind) },
			fmt.Sprintf(hintJobErrors, kind.Entity().Plural(), kind.Action()))
	}
	if n == 0 {
		t.Fatal("no job resources")
	}
}
