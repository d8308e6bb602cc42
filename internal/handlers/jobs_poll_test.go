package handlers

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// A job's document (every poll, every create) is rendered by a renderer
// that stays on the stack and takes the base URL as it is when nothing in
// it is escaped: neither the renderer (about 200 bytes) nor the base's
// escaped copy (two allocations) is made at every request.
func TestRenderer_AJobDocumentAllocatesNothingForItsRenderer(t *testing.T) {
	reg := resource.Default()
	res, ok := reg.Named("catalog-item-bulk-create-jobs")
	if !ok {
		t.Fatal("no catalog-item-bulk-create-jobs resource")
	}
	p := reg.Revisions().Newest()
	c := &call{r: httptest.NewRequest("GET", "/api/catalog-item-bulk-create-jobs/01J", nil), res: res, rp: res.At(p), p: p,
		q: request{fields: resource.AllFields, includedFields: resource.AllFields}}
	h := &Handler{opts: Options{PublicURL: "http://mock.example"}} // a base that is not concatenated
	job := &store.Job{ID: "01J", Kind: res.Job.Kind, Status: store.Complete, Errors: []store.JobError{}}
	buf := make([]byte, 0, 4096)
	render := func() {
		rd := h.renderer(c)
		buf = rd.JobDoc(buf[:0], job, nil, "", nil)
	}
	render()
	if !bytes.Contains(buf, []byte(`"id":"01J"`)) {
		t.Fatalf("the document does not show the job: %s", buf)
	}
	if n := testing.AllocsPerRun(50, render); n != 0 {
		t.Errorf("rendering a job document allocates %v times, want 0", n)
	}
}
