// Package render is the project's own revision-aware JSON:API encoder. It
// appends documents to byte slices, asking the resource's profile at the
// request's revision for every shape decision and the resource's descriptor
// tables for every attribute, so one code path serves every resource at
// every revision.
package render

import (
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

	// Frags, when set, caches rendered objects across requests.
	Frags *Fragments
	// Objects is how entities rendered use Frags (a job object is always
	// kept at its second rendering).
	Objects ObjectCaching
	// Out, when set, takes a page memo's long runs of unchanged objects
	// as pieces spliced into the buffer appended to, not copied into it:
	// the document is then Out with its Buf the buffer returned.
	Out *Pieces

	baseEsc   string // Base JSON-escaped, once per renderer
	baseReady bool
	// shapes of this renderer's objects in Frags (0: not yet).
	jobShape  uint32
	shapeMemo [2]shapeMemo
	memoNext  int
}

// ObjectCaching is how a renderer's entities use the object cache.
type ObjectCaching uint8

// Object caching modes.
const (
	// KeepAtSecond: an entity is looked for, and kept at its second
	// rendering (one rendered once and never again costs no copy).
	KeepAtSecond ObjectCaching = iota
	// KeepAtOnce: kept at its first rendering (the answer to a write,
	// whose object the next read of a list usually shows).
	KeepAtOnce
	// Uncached: neither looked for nor kept (the entities a job in
	// progress shows, rendered again at each poll: see Handler.getOne).
	Uncached
)

// Links are a document's top-level links; empty Next/Prev render as null.
// Self is the request's own URL, in parts (see Text).
type Links struct {
	Self       Text
	Next, Prev string
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
	b = append(b, ']')
	b = r.collectionLinks(b, links)
	b = r.meta(b, hints)
	return append(b, '}')
}

// JobDoc appends a single-job document with its included entities (nil:
// no included member), its self link and hints made as strings. The
// handlers write theirs in parts (JobDocParts); JobDoc is the form tests
// compare them with.
func (r *Renderer) JobDoc(b []byte, j *store.Job, included []*store.Entity, self string, hints []string) []byte {
	return r.JobDocParts(b, j, included, &Text{self}, hints, nil)
}

// Entities appends a collection document of entities of the served
// resource: related[i] are es[i]'s relationship ids (when RelData), and
// included the entities include= asked for (nil: no included member).
func (r *Renderer) Entities(b []byte, es []*store.Entity, related [][]string, included []*store.Entity, links Links, hints []string) []byte {
	b = append(b, `{"data":[`...)
	mode := r.entityRels()
	pw, memo := r.memoPageOf(es, related, mode)
	if memo {
		b = pw.objects(r, b, es)
	} else {
		b = r.objects(b, es, related, mode)
	}
	tail := len(b)
	b = append(b, ']')
	b = r.included(b, included)
	b = r.collectionLinks(b, links)
	b = r.meta(b, hints)
	b = append(b, '}')
	if memo {
		b = pw.finish(r, b, tail)
	}
	return b
}

// objects appends es comma-separated, each from Frags when it holds it.
func (r *Renderer) objects(b []byte, es []*store.Entity, related [][]string, mode relMode) []byte {
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		var rel []string
		if related != nil {
			rel = related[i]
		}
		b = r.entity(b, r.P, e, r.Fields, mode, rel)
	}
	return b
}

// EntityDoc appends a single-entity document (GET one, POST, PATCH), its
// self link (from the revision that writes one) the request's URL.
func (r *Renderer) EntityDoc(b []byte, e *store.Entity, related []string, included []*store.Entity, self *Text, hints []string) []byte {
	b = append(b, `{"data":`...)
	b = r.Entity(b, e, related)
	b = r.included(b, included)
	if r.P.DocumentSelfLink {
		b = append(b, `,"links":{"self":`...)
		b = appendText(b, self)
		b = append(b, '}')
	}
	b = r.meta(b, hints)
	return append(b, '}')
}

// Identifiers appends a relationship document: the related entities'
// identifiers (of type typ) and the page's links.
func (r *Renderer) Identifiers(b []byte, typ string, ids []string, links Links, hints []string) []byte {
	b = append(b, `{"data":`...)
	b = identifiers(b, typ, ids, false)
	b = r.collectionLinks(b, links)
	b = r.meta(b, hints)
	return append(b, '}')
}

// included appends the included member: the entities include= added, of
// the served resource's included type.
func (r *Renderer) included(b []byte, es []*store.Entity) []byte {
	if es == nil {
		return b
	}
	inc, _ := r.P.Res.Relation(r.P.Include)
	ep := inc.Target.At(r.P.Profile)
	b = append(b, `,"included":[`...)
	mode := r.includedRels(ep)
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		b = r.entity(b, ep, e, r.IncludedFields, mode, nil)
	}
	return append(b, ']')
}

// collectionLinks appends a collection's links: self, next, prev.
func (r *Renderer) collectionLinks(b []byte, links Links) []byte {
	b = append(b, `,"links":{"self":`...)
	b = appendText(b, &links.Self)
	b = append(b, `,"next":`...)
	b = optString(b, links.Next)
	b = append(b, `,"prev":`...)
	b = optString(b, links.Prev)
	return append(b, '}')
}

func (r *Renderer) meta(b []byte, hints []string) []byte {
	return r.metaParts(b, hints, nil)
}

// metaParts is meta with, when hint is not nil nor empty, one more hint
// after hints, given in parts.
func (r *Renderer) metaParts(b []byte, hints []string, hint *Text) []byte {
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
	if hint != nil && !hint.Empty() {
		if len(hints) > 0 {
			b = append(b, ',')
		}
		b = appendText(b, hint)
	}
	return append(b, "]}}"...)
}

func optString(b []byte, s string) []byte {
	if s == "" {
		return jsonw.Null(b)
	}
	return jsonw.String(b, s)
}

// appendKey appends a pre-escaped `"name":`, after a comma unless first.
func appendKey(b []byte, quoted string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	return append(b, quoted...)
}
