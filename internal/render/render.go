// Package render is the project's own revision-aware JSON:API encoder. It
// appends documents to byte slices, asking the resource's profile at the
// request's revision for every shape decision and the resource's descriptor
// tables for every attribute, so one code path serves every resource at
// every revision.
package render

import (
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/codec"
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
	// KeepObjects: entities rendered are kept in Frags at once, not at
	// their second rendering (the answer to a write, whose object the
	// next read of a list usually shows; the items of a job in progress,
	// which its next poll shows again). A job object is always kept at
	// its second rendering.
	KeepObjects bool
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
	b = append(b, ']')
	b = r.collectionLinks(b, links)
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
			b = r.entity(b, ep, e, r.IncludedFields, r.includedRels(ep), nil)
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
	if v, ok := f.cache.Get(key); ok {
		return append(b, v...)
	}
	return f.keep(key, b, r.job(b, j))
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

// relMode is how an entity's relationship is written.
type relMode uint8

const (
	relNone  relMode = iota // no relationships member
	relLinks                // links only
	relData                 // data only (2022-10-17 items)
	relBoth                 // data and links
)

// includedRels is how entities of profile ep in included[] carry their
// relationship: links only, from the revision that adds them.
func (r *Renderer) includedRels(ep *resource.Profile) relMode {
	if !r.P.IncludedRelationships || ep.RelKey == "" {
		return relNone
	}
	return relLinks
}

// entityRels is how the served entities carry their relationship.
func (r *Renderer) entityRels() relMode {
	p := r.P
	if p.RelKey == "" || (r.Write && p.NoRelOnWrite) {
		return relNone
	}
	data := r.Include || (r.Write && p.RelDataOnCreate) || (!r.Write && p.RelDataOnRead)
	switch {
	case data && p.RelLinks:
		return relBoth
	case data:
		return relData
	}
	return relLinks
}

// RelData reports whether the served entities' relationship data is
// written (the caller then passes each entity's relationship ids).
func (r *Renderer) RelData() bool { m := r.entityRels(); return m == relData || m == relBoth }

// entity appends one catalog entity resource object of profile ep, its
// relationship written as mode says (related are its ids), from Frags when
// it holds it. The store gives an entity a new stamp whenever what it shows
// changes, its relationship's ids included (an item gaining a variant), so
// the whole object is cached.
func (r *Renderer) entity(b []byte, ep *resource.Profile, e *store.Entity, fields resource.FieldSet, mode relMode, related []string) []byte {
	var shape uint32
	if r.Frags != nil && e.Stamp() != 0 {
		shape = r.entityShape(ep, fields, mode)
	}
	key, ok := makeFragKey(e.Stamp(), shape)
	if !ok {
		return r.renderEntity(b, ep, e, fields, mode, related)
	}
	if v, ok := r.Frags.cache.Get(key); ok {
		return append(b, v...)
	}
	after := r.renderEntity(b, ep, e, fields, mode, related)
	if r.KeepObjects {
		r.Frags.cache.Put(key, after[len(b):])
		return after
	}
	return r.Frags.keep(key, b, after)
}

func (r *Renderer) renderEntity(b []byte, ep *resource.Profile, e *store.Entity, fields resource.FieldSet, mode relMode, related []string) []byte {
	b = r.entityHead(b, ep, e, fields, mode)
	if mode == relData || mode == relBoth {
		b = identifiers(b, ep.Res.Entity.RelType, related, ep.RelToOne)
	}
	return r.entityTail(b, ep, e, mode)
}

// entityShape returns the shape id of entities of ep rendered with fields
// and mode by this renderer (memoised: a renderer uses one or two).
func (r *Renderer) entityShape(ep *resource.Profile, fields resource.FieldSet, mode relMode) uint32 {
	k := shapeKey{p: ep, fields: fields, mode: mode, base: r.Base}
	for i := range r.shapeMemo {
		if m := &r.shapeMemo[i]; m.id != 0 && m.k == k {
			return m.id
		}
	}
	id := r.Frags.shape(k)
	r.shapeMemo[r.memoNext] = shapeMemo{k, id}
	r.memoNext = (r.memoNext + 1) % len(r.shapeMemo)
	return id
}

// entityHead appends an entity up to where its relationship data goes
// (all of it but the links when there is no data).
func (r *Renderer) entityHead(b []byte, ep *resource.Profile, e *store.Entity, fields resource.FieldSet, mode relMode) []byte {
	b = append(b, `{"type":`...)
	b = jsonw.String(b, ep.Res.Type)
	b = append(b, `,"id":`...)
	b = jsonw.String(b, e.ID)
	b = append(b, `,"attributes":{`...)
	first := true
	for i, a := range e.Kind.Attrs() {
		if ep.Date < a.Since {
			continue
		}
		members := selectedMembers(ep.Res, fields, i)
		if !fields.Has(i) && members == nil {
			continue
		}
		b = appendKey(b, a.Key, first)
		first = false
		switch {
		case fields.Has(i) && a.Local:
			b = codec.AppendLocal(b, e, i, r.Base)
		case fields.Has(i):
			b = codec.AppendAttr(b, e, i)
		default:
			b = codec.AppendMembers(b, e, i, members)
		}
	}
	b = append(b, '}')
	if mode != relNone {
		b = append(b, `,"relationships":{`...)
		b = jsonw.String(b, ep.RelKey)
		b = append(b, ":{"...)
		if mode == relData || mode == relBoth {
			b = append(b, `"data":`...)
		}
	}
	return b
}

// entityTail appends what follows the relationship data: the
// relationship's links, and the object's.
func (r *Renderer) entityTail(b []byte, ep *resource.Profile, e *store.Entity, mode relMode) []byte {
	seg := url.PathEscape(e.ID)
	if mode != relNone {
		if mode == relBoth {
			b = append(b, ',')
		}
		if mode != relData {
			b = r.relLinks(b, ep.Res, seg, ep.RelKey)
		}
		b = append(b, "}}"...)
	}
	b = append(b, `,"links":{"self":`...)
	b = r.link(b, ep.Res, seg, "/")
	return append(b, "}}"...)
}

type shapeMemo struct {
	k  shapeKey
	id uint32
}

// identifiers appends resource identifiers of type typ: an array, or for a
// to-one relationship the one identifier (null without one).
func identifiers(b []byte, typ string, ids []string, one bool) []byte {
	if one {
		if len(ids) == 0 {
			return jsonw.Null(b)
		}
		return identifier(b, typ, ids[0])
	}
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = identifier(b, typ, id)
	}
	return append(b, ']')
}

func identifier(b []byte, typ, id string) []byte {
	b = append(b, `{"type":`...)
	b = jsonw.String(b, typ)
	b = append(b, `,"id":`...)
	b = jsonw.String(b, id)
	return append(b, '}')
}

// Entity appends one entity of the served resource (related: its
// relationship ids when RelData).
func (r *Renderer) Entity(b []byte, e *store.Entity, related []string) []byte {
	return r.entity(b, r.P, e, r.Fields, r.entityRels(), related)
}

// Entities appends a collection document of entities of the served
// resource: related[i] are es[i]'s relationship ids (when RelData), and
// included the entities include= asked for (nil: no included member).
func (r *Renderer) Entities(b []byte, es []*store.Entity, related [][]string, included []*store.Entity, links Links, hints []string) []byte {
	b = append(b, `{"data":[`...)
	mode := r.entityRels()
	pw, memo := r.memoPageOf(es, related, mode)
	if memo {
		b = pw.objects(b, es)
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
		b = pw.finish(b, tail)
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

// EntityDoc appends a single-entity document (GET one, POST, PATCH).
func (r *Renderer) EntityDoc(b []byte, e *store.Entity, related []string, included []*store.Entity, self string, hints []string) []byte {
	b = append(b, `{"data":`...)
	b = r.Entity(b, e, related)
	b = r.included(b, included)
	if r.P.DocumentSelfLink {
		b = append(b, `,"links":{"self":`...)
		b = jsonw.String(b, self)
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
	b = jsonw.String(b, links.Self)
	b = append(b, `,"next":`...)
	b = optString(b, links.Next)
	b = append(b, `,"prev":`...)
	b = optString(b, links.Prev)
	return append(b, '}')
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

// appendKey appends a pre-escaped `"name":`, after a comma unless first.
func appendKey(b []byte, quoted string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	return append(b, quoted...)
}

// link appends "base/api/<resource>/<seg><suffix>" as a JSON string.
func (r *Renderer) link(b []byte, res *resource.Resource, seg, suffix string) []byte {
	if !r.baseReady {
		r.baseEsc, r.baseReady = string(appendRaw(nil, r.Base)), true
	}
	b = append(b, '"')
	b = append(b, r.baseEsc...)
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

// selectedMembers lists the members of attribute i that fields selects on
// their own (nil when none is: the attribute is whole or left out).
func selectedMembers(res *resource.Resource, fields resource.FieldSet, i int) []string {
	if res.Entity == nil || fields == resource.AllFields || i >= len(res.Entity.Members) {
		return nil
	}
	var out []string
	for _, f := range res.Entity.Members[i] {
		if fields.Has(f) {
			_, m, _ := strings.Cut(res.Fields[f], ".")
			out = append(out, m)
		}
	}
	return out
}
