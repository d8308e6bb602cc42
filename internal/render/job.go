package render

import (
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Job appends one job resource object (from Frags when it holds it).
func (r *Renderer) Job(b []byte, j *store.Job) []byte {
	f := r.Frags
	if f == nil || j.Stamp() == 0 {
		return r.job(b, j)
	}
	if r.jobShape == 0 {
		r.jobShape = f.shape(shapeKey{p: r.P, fields: r.Fields, job: true, mode: r.jobRels(), base: r.Base})
	}
	key, ok := makeFragKey(j.Stamp(), r.jobShape)
	if !ok {
		return r.job(b, j)
	}
	if v, ok := f.get(objJob, key); ok {
		return append(b, v...)
	}
	return f.keep(objJob, key, b, r.job(b, j))
}

// jobRels says whether a job's relationship data is written (relData) or
// not (relLinks) for this renderer.
func (r *Renderer) jobRels() relMode {
	p := r.P
	if r.Include || (r.Write && p.RelDataOnCreate) || (!r.Write && p.RelDataOnRead) {
		return relData
	}
	return relLinks
}

func (r *Renderer) job(b []byte, j *store.Job) []byte {
	p := r.P
	b = append(b, `{"type":`...)
	b = jsonw.String(b, p.Res.Type)
	if !p.JobIDAttribute {
		b = append(b, `,"id":`...)
		b = jsonw.String(b, j.ID)
	}
	b = append(b, `,"attributes":{`...)
	first := true
	for i, a := range resource.JobAttrs {
		if !r.Fields.Has(i) || (i == resource.JobIDField && !p.JobIDAttribute) {
			continue
		}
		b = appendKey(b, a.Key, first)
		first = false
		b = a.Append(b, j)
	}
	ek := p.Res.Job.Kind.Entity() // the served resource decides the shape
	b = append(b, `},"relationships":{`...)
	b = jsonw.String(b, ek.Plural())
	b = append(b, ":{"...)
	data := r.jobRels() == relData
	if data {
		b = append(b, `"data":[`...)
		for i, id := range j.IDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = jsonw.String(b, ek.Type())
			b = append(b, `,"id":`...)
			b = jsonw.String(b, id)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if p.RelLinks {
		if data {
			b = append(b, ',')
		}
		b = r.relLinks(b, p.Res, j.ID, ek.Plural())
	}
	b = append(b, `}},"links":{"self":`...)
	b = r.link(b, p.Res, j.ID, "/")
	return append(b, "}}"...)
}
