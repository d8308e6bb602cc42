// Package render is the project's own revision-aware JSON:API encoder. It
// appends documents to byte slices, asking the revision profile for every
// shape decision, so one code path serves all revisions.
package render

import (
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Paths of links.
const (
	JobsPath     = "/api/catalog-item-bulk-update-jobs/"
	ItemsPath    = "/api/catalog-items/"
	jobTypeField = `"type":"` + revision.TypeJob + `"`
)

// Renderer renders documents for one request.
type Renderer struct {
	// P is the revision profile of the request.
	P *revision.Profile
	// Base is the scheme and host links start with, e.g. "http://127.0.0.1:8080".
	Base string
	// JobFields and ItemFields are the attributes to render (all when the
	// request sent no sparse fieldset).
	JobFields  revision.FieldSet
	ItemFields revision.FieldSet
	// ItemData asks for relationships.items.data even where the revision
	// makes it optional (include=items).
	ItemData bool
}

// AllFields is a FieldSet that selects every field.
const AllFields = ^revision.FieldSet(0)

// Links are a document's top-level links; empty Next/Prev render as null.
type Links struct {
	Self, Next, Prev string
}

// List appends a collection document.
func (r *Renderer) List(b []byte, jobs []*store.Job, links Links, hints []string) []byte {
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

// One appends a single-job document (GET one, POST) with its included items.
func (r *Renderer) One(b []byte, j *store.Job, included []*store.Item, self string, hints []string) []byte {
	b = append(b, `{"data":`...)
	b = r.Job(b, j)
	if included != nil {
		b = append(b, `,"included":[`...)
		for i, it := range included {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Item(b, it)
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

// link appends "base+path+id+suffix" as a JSON string.
func (r *Renderer) link(b []byte, path, id, suffix string) []byte {
	b = append(b, '"')
	b = appendRaw(b, r.Base)
	b = append(b, path...)
	b = appendRaw(b, id)
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
