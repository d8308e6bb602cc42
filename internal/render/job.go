package render

import (
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Job appends one job resource object.
func (r *Renderer) Job(b []byte, j *store.Job) []byte {
	p := r.P
	f := r.JobFields
	b = append(b, '{')
	b = append(b, jobTypeField...)
	if !p.JobIDAttribute {
		b = append(b, `,"id":`...)
		b = jsonw.String(b, j.ID)
	}
	b = append(b, `,"attributes":{`...)
	first := true
	key := func(name string) {
		b = jsonw.Key(b, name, first)
		first = false
	}
	if p.JobIDAttribute && f.Has(revision.JobID) {
		key("job_id")
		b = jsonw.String(b, j.ID)
	}
	if f.Has(revision.JobStatus) {
		key("status")
		b = jsonw.String(b, j.Status.String())
	}
	if f.Has(revision.JobCreatedAt) {
		key("created_at")
		b = jsonw.Time(b, j.CreatedAt)
	}
	if f.Has(revision.JobTotalCount) {
		key("total_count")
		b = jsonw.Int(b, j.Total)
	}
	if f.Has(revision.JobCompletedCount) {
		key("completed_count")
		b = jsonw.Int(b, j.Completed)
	}
	if f.Has(revision.JobFailedCount) {
		key("failed_count")
		b = jsonw.Int(b, j.Failed)
	}
	if f.Has(revision.JobCompletedAt) {
		key("completed_at")
		b = jsonw.Time(b, j.CompletedAt)
	}
	if f.Has(revision.JobExpiresAt) {
		key("expires_at")
		b = jsonw.Time(b, j.ExpiresAt)
	}
	if f.Has(revision.JobErrors) {
		key("errors")
		b = appendJobErrors(b, j.Errors)
	}
	b = append(b, `},"relationships":{"items":{`...)
	sep := false
	if !p.ItemsDataOptional || r.ItemData {
		b = append(b, `"data":[`...)
		for i, id := range j.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":"catalog-item","id":`...)
			b = jsonw.String(b, id)
			b = append(b, '}')
		}
		b = append(b, ']')
		sep = true
	}
	if p.ItemsLinks {
		if sep {
			b = append(b, ',')
		}
		b = append(b, `"links":{"self":`...)
		b = r.link(b, JobsPath, j.ID, "/relationships/items/")
		b = append(b, `,"related":`...)
		b = r.link(b, JobsPath, j.ID, "/items/")
		b = append(b, '}')
	}
	b = append(b, `}},"links":{"self":`...)
	b = r.link(b, JobsPath, j.ID, "/")
	return append(b, "}}"...)
}

func appendJobErrors(b []byte, errs []store.JobError) []byte {
	b = append(b, '[')
	for i := range errs {
		e := &errs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = jsonw.String(b, e.ID)
		b = append(b, `,"code":`...)
		b = jsonw.String(b, e.Code)
		b = append(b, `,"title":`...)
		b = jsonw.String(b, e.Title)
		b = append(b, `,"detail":`...)
		b = jsonw.String(b, e.Detail)
		b = append(b, `,"source":{"pointer":`...)
		b = jsonw.String(b, e.Pointer)
		b = append(b, "}}"...)
	}
	return append(b, ']')
}
