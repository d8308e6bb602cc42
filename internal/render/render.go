// Package render is the project's own revision-aware JSON:API encoder. It
// appends documents to byte slices, asking the resource's profile at the
// request's revision for every shape decision and the resource's descriptor
// tables for every attribute, so one code path serves every resource at
// every revision.
package render

import (
	"net/url"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Renderer renders documents for one request.
type Renderer struct {
	// P is the served resource at the request's revision.
	P *resource.Profile
	// Base is the scheme and host links start with, e.g. "http://127.0.0.1:8080".
	Base string
	// Fields are the served type's attributes to render (resource.AllFields
	// when the request sent no sparse fieldset); IncludedFields the
	// included type's.
	Fields, IncludedFields resource.FieldSet
	// Include: the request asked for the related entities (include=…):
	// relationship data is written and included[] holds them.
	Include bool
	// Write: the document answers a POST (relationship data follows the
	// revision's rule for write answers).
	Write bool
}

// Links are a document's top-level links; empty Next/Prev render as null.
type Links struct {
	Self, Next, Prev string
}

// Jobs appends a collection document of jobs.
func (r *Renderer) Jobs(b []byte, jobs []*store.Job, links Links, hints []string) []byte {
	b = append(b, `{"data":[`...)
	for i, j := range jobs {
		if i > 0 {
			b = append(b, ',')
		}
		b = r.Job(b, j)
	}
	b = append(b, `],"links":{"self":`...)
	b = jsonw.String(b, links.Self)
	b = append(b, `,"next":`...)
	b = optString(b, links.Next)
	b = append(b, `,"prev":`...)
	b = optString(b, links.Prev)
	b = append(b, '}')
	b = r.meta(b, hints)
	return append(b, '}')
}

// JobDoc appends a single-job document (GET one, POST) with its included
// entities (nil: no included member).
func (r *Renderer) JobDoc(b []byte, j *store.Job, included []*store.Entity, self string, hints []string) []byte {
	b = append(b, `{"data":`...)
	b = r.Job(b, j)
	if included != nil {
		ep := r.P.Res.Job.Entity.At(r.P.Profile)
		b = append(b, `,"included":[`...)
		for i, e := range included {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.entity(b, ep, e, r.IncludedFields, r.P.IncludedRelationships)
		}
		b = append(b, ']')
	}
	if r.P.DocumentSelfLink {
		b = append(b, `,"links":{"self":`...)
		b = jsonw.String(b, self)
		b = append(b, '}')
	}
	b = r.meta(b, hints)
	return append(b, '}')
}

// Job appends one job resource object.
func (r *Renderer) Job(b []byte, j *store.Job) []byte {
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
		b = jsonw.Key(b, a.Name, first)
		first = false
		b = a.Append(b, j)
	}
	ek := p.Res.Job.Kind.Entity() // the served resource decides the shape
	b = append(b, `},"relationships":{`...)
	b = jsonw.String(b, ek.Plural())
	b = append(b, ":{"...)
	data := r.Include || (r.Write && p.RelDataOnCreate) || (!r.Write && p.RelDataOnRead)
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

// entity appends one catalog entity resource object, with its
// relationship's links when rels.
func (r *Renderer) entity(b []byte, ep *resource.Profile, e *store.Entity, fields resource.FieldSet, rels bool) []byte {
	b = append(b, `{"type":`...)
	b = jsonw.String(b, ep.Res.Type)
	b = append(b, `,"id":`...)
	b = jsonw.String(b, e.ID)
	b = append(b, `,"attributes":{`...)
	first := true
	for i, a := range e.Kind.Attrs() {
		if !fields.Has(i) {
			continue
		}
		b = jsonw.Key(b, a.Name, first)
		first = false
		b = a.AppendJSON(b, e)
	}
	b = append(b, '}')
	seg := url.PathEscape(e.ID)
	if rels {
		b = append(b, `,"relationships":{`...)
		b = jsonw.String(b, ep.Res.Entity.RelKey)
		b = append(b, ":{"...)
		b = r.relLinks(b, ep.Res, seg, ep.Res.Entity.RelKey)
		b = append(b, "}}"...)
	}
	b = append(b, `,"links":{"self":`...)
	b = r.link(b, ep.Res, seg, "/")
	return append(b, "}}"...)
}

// relLinks appends "links":{"self":…/relationships/<key>/,"related":…/<key>/}.
func (r *Renderer) relLinks(b []byte, res *resource.Resource, seg, key string) []byte {
	b = append(b, `"links":{"self":`...)
	b = r.link(b, res, seg, "/relationships/"+key+"/")
	b = append(b, `,"related":`...)
	b = r.link(b, res, seg, "/"+key+"/")
	return append(b, '}')
}

func (r *Renderer) meta(b []byte, hints []string) []byte {
	if !r.P.AgentHints {
		return b
	}
	b = append(b, `,"meta":{"agent_hints":{"next_steps":[`...)
	for i, h := range hints {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.String(b, h)
	}
	return append(b, "]}}"...)
}

func optString(b []byte, s string) []byte {
	if s == "" {
		return jsonw.Null(b)
	}
	return jsonw.String(b, s)
}

// link appends "base/api/<resource>/<seg><suffix>" as a JSON string.
func (r *Renderer) link(b []byte, res *resource.Resource, seg, suffix string) []byte {
	b = append(b, '"')
	b = appendRaw(b, r.Base)
	b = append(b, "/api/"...)
	b = append(b, res.Name...)
	b = append(b, '/')
	b = appendRaw(b, seg)
	b = append(b, suffix...)
	return append(b, '"')
}

// appendRaw appends s JSON-escaped without quotes.
func appendRaw(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q := jsonw.String(nil, s)
			return append(b, q[1:len(q)-1]...)
		}
	}
	return append(b, s...)
}
