package render

import (
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

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
	b, _ = r.entityKept(b, ep, e, fields, mode, related)
	return b
}

// entityKept appends e as entity does and returns, besides, the object's
// bytes when the object cache held them (nil otherwise): the cache's
// values never change, so a caller may keep them rather than a copy of
// its own (a page memo's slot).
func (r *Renderer) entityKept(b []byte, ep *resource.Profile, e *store.Entity, fields resource.FieldSet, mode relMode, related []string) ([]byte, []byte) {
	var shape uint32
	if r.Frags != nil && e.Stamp() != 0 && r.Objects != Uncached {
		shape = r.entityShape(ep, fields, mode)
	}
	key, ok := makeFragKey(e.Stamp(), shape)
	if !ok {
		return r.renderEntity(b, ep, e, fields, mode, related), nil
	}
	if v, ok := r.Frags.get(objEntity, key); ok {
		return append(b, v...), v
	}
	after := r.renderEntity(b, ep, e, fields, mode, related)
	if r.Objects == KeepAtOnce {
		r.Frags.put(key, after[len(b):])
		return after, nil
	}
	return r.Frags.keep(objEntity, key, b, after), nil
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
