package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// entityList serves every list of catalog entities: GET /<entities>, a
// related list (GET /<owner>/{id}/<relation>) and a relationship read (GET
// /<owner>/{id}/relationships/<relation>, identifiers only). One keyset
// page in creation order (or the reverse), filtered as the revision
// allows.
func (h *Handler) entityList(c *call, buf *[]byte) (int, []*apierror.Error) {
	req, res, aerr := h.entityPageRequest(c)
	if aerr != nil {
		return 0, []*apierror.Error{aerr}
	}
	rd := h.renderer(c)
	ids := c.ep.Op == resource.OpRelIDs
	req.Related = !ids && rd.RelData()
	if !ids && c.q.include {
		req.Include = includeOf(res, c.p)
	}
	page, err := c.acct.EntityPage(req)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	var room [2]string // the list's hints, at most two
	lh := h.listHintsOf(res)
	links, hints := pageLinks(c, rd.Base, paged{
		n: len(page.Entities), hasNext: page.HasNext, hasPrev: page.HasPrev, hints: room[:0],
		cursor: func(i int, dir query.Direction) string { return keyedCursor(dir, page.Entities[i]) },
	}, lh.next)
	if ids {
		if c.p.AgentHints {
			hints = append(hints, relatedListHint(c.res, c.ep.Rel, c.id))
		}
		list := make([]string, len(page.Entities))
		for i, e := range page.Entities {
			list[i] = e.ID
		}
		*buf = rd.Identifiers(*buf, res.Type, list, links, hints)
		return http.StatusOK, nil
	}
	if c.p.AgentHints {
		hints = append(hints, lh.one)
	}
	var included []*store.Entity
	if c.q.include {
		included = flatten(page.Included)
	}
	rd.Out = &c.out // the pipeline sends the pieces
	*buf = rd.Entities(*buf, page.Entities, page.Related, included, links, hints)
	return http.StatusOK, nil
}

// entityOneHint is the hint "Fetch one <type> with GET <path>/{id}." for
// res, concatenated: one string, where fmt would put each argument on the
// heap too
// (TestEntityHints_AListsHintsAreTheFormatsText compares the two).
func entityOneHint(res *resource.Resource) string {
	return "Fetch one " + res.Type + " with GET " + res.Path() + "/{id}."
}

// relatedListHint is the hint "Fetch the related <targets> with GET
// <path>/<id>/<relation>." for the relation rel of the owner's entity id,
// concatenated as entityOneHint is.
func relatedListHint(owner *resource.Resource, rel *resource.Relation, id string) string {
	return "Fetch the related " + rel.Target.Entity.Kind.Plural() + " with GET " + owner.Path() + "/" + id + "/" + rel.Name + "."
}

// entityPageRequest is the store request of c's entity list, and the
// resource listed: the path's (or, on a related list or relationship
// read, the relation's target, constrained to the path's entity), the
// filter's conditions, the order and size asked for, and the cursor's
// bounds.
func (h *Handler) entityPageRequest(c *call) (store.EntityPageRequest, *resource.Resource, *apierror.Error) {
	res := c.res
	req := store.EntityPageRequest{Desc: c.q.desc, Limit: c.q.size}
	if c.ep.Rel != nil {
		res = c.ep.Rel.Target
		parent := c.id
		if _, ok, err := c.acct.Entity(c.res.Entity.Kind, parent); err != nil || !ok {
			return req, res, h.notFound(err, c.res.Type, parent)
		}
		// The path's entity constrains the list like its filter would.
		req.Filter.Related = append(req.Filter.Related, store.RelatedCond{Rel: c.ep.Rel.Inverse, ID: parent})
	}
	req.Kind = res.Entity.Kind
	filterOf(&req.Filter, c.q.terms)
	var aerr *apierror.Error
	req.Before, req.After, aerr = seek(c, func(cur query.Cursor) (*store.Position, *apierror.Error) {
		pos, aerr := h.position(c, req.Kind, cur)
		return &pos, aerr
	})
	return req, res, aerr
}

// keyedCursor is the cursor continuing after (or before) e.
func keyedCursor(dir query.Direction, e *store.Entity) string {
	return query.EncodeCursor(query.Cursor{Dir: dir, ID: e.ID, Keyed: true, At: e.Created.UnixMicro()})
}

// position reads a cursor of an entity list: keyed cursors carry their
// position; an id cursor must name an entity that exists.
func (h *Handler) position(c *call, kind store.EntityKind, cur query.Cursor) (store.Position, *apierror.Error) {
	if cur.Keyed {
		return store.Position{At: cur.At, ID: cur.ID}, nil
	}
	pos, err := c.acct.PositionOf(kind, cur.ID)
	switch {
	case errors.Is(err, store.ErrUnknownPosition):
		return pos, apierror.InvalidCursor()
	case err != nil:
		return pos, h.storeError(err)
	}
	return pos, nil
}

// filterOf adds the filter's conditions to f.
func filterOf(f *store.EntityFilter, terms []query.Term) {
	for _, t := range terms {
		switch t.Field.Kind {
		case schema.FilterIDs:
			f.IDs = append(f.IDs, t.Strs)
		case schema.FilterRelated:
			f.Related = append(f.Related, store.RelatedCond{Rel: t.Field.Rel, ID: t.Str})
		case schema.FilterContains:
			f.Contains = append(f.Contains, store.ValueCond{Attr: t.Field.Attr, Value: t.Str})
		case schema.FilterEquals:
			var v any = t.Str
			if t.Field.Value == resource.ValBool {
				v = t.Bool
			}
			f.Equals = append(f.Equals, store.ValueCond{Attr: t.Field.Attr, Value: v})
		}
	}
}

// includeOf is the relation include= adds to res at revision p.
func includeOf(res *resource.Resource, p *revision.Profile) *schema.Relation {
	r, _ := res.Entity.Decl.Relation(res.At(p).Include)
	return r
}

// flatten lists the variants of a page's items once each, in order.
func flatten(lists [][]*store.Entity) []*store.Entity {
	out := []*store.Entity{}
	seen := map[string]bool{}
	for _, l := range lists {
		for _, e := range l {
			if !seen[e.ID] {
				seen[e.ID] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// entityGet serves GET /<entities>/{id}.
func (h *Handler) entityGet(c *call, buf *[]byte) (int, []*apierror.Error) {
	id := c.id
	rd := h.renderer(c)
	var include *schema.Relation
	if c.q.include {
		include = includeOf(c.res, c.p)
	}
	v, ok, err := c.acct.View(c.res.Entity.Kind, id, rd.RelData(), include)
	if err != nil || !ok {
		return 0, []*apierror.Error{h.notFound(err, c.res.Type, id)}
	}
	var included []*store.Entity
	if c.q.include {
		included = v.Included
		if included == nil {
			included = []*store.Entity{}
		}
	}
	var room [1]string
	self := selfAt(rd.Base, c)
	*buf = rd.EntityDoc(*buf, v.Entity, v.Related, included, &self, h.entityHints(room[:0], c, id))
	return http.StatusOK, nil
}

// entityHints appends to room what to do next with one entity (room is
// the caller's, on its stack: the list was an allocation of every
// answer).
func (h *Handler) entityHints(room []string, c *call, id string) []string {
	if !c.p.AgentHints {
		return room
	}
	// "Change it with PATCH <path>/<id> or remove it with DELETE
	// <path>/<id>.", concatenated: one string, where fmt would put each
	// argument on the heap (TestEntityHints_AnEntitysHintIsOneString
	// compares the two).
	path, seg := c.res.Path(), pathSegment(id)
	return append(room, "Change it with PATCH "+path+"/"+seg+" or remove it with DELETE "+path+"/"+seg+".")
}

// entityWrite serves POST /<entities> (201) and PATCH /<entities>/{id}
// (200): the body is checked whole first, then applied at once with the
// rules of the matching job element; nothing changes unless it succeeds.
func (h *Handler) entityWrite(c *call, buf *[]byte) (int, []*apierror.Error) {
	action, status, id := store.Create, http.StatusCreated, ""
	if c.ep.Op == resource.OpUpdate {
		action, status, id = store.Update, http.StatusOK, c.id
	}
	el, errs := payload.ParseEntity(c.rp, c.body, action, id)
	if len(errs) > 0 {
		return 0, errs
	}
	acct, err := h.opts.Store.Mutable(c.key)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	rd := h.renderer(c)
	rd.Objects = render.KeepAtOnce // the next read of a list usually shows it
	kind, _ := store.JobKindOf(c.res.Entity.Kind, action)
	v, eerr, err := acct.Write(kind, el, rd.RelData())
	if errs := h.writeRefused(err, eerr, c.res.Type, el.ID); errs != nil {
		return 0, errs
	}
	var room [1]string
	self := selfAt(rd.Base, c)
	*buf = rd.EntityDoc(*buf, v.Entity, v.Related, nil, &self, h.entityHints(room[:0], c, v.Entity.ID))
	return status, nil
}

// writeRefused is the answer to an entity or relationship write the store
// refused: a store error (the memory budget, an account limit), or the
// element's own error (not found, conflict, invalid); nil when it was
// applied.
func (h *Handler) writeRefused(err error, eerr *store.ElementError, typ, id string) []*apierror.Error {
	switch {
	case err != nil:
		return []*apierror.Error{h.storeError(err)}
	case eerr != nil:
		return []*apierror.Error{elementError(eerr, typ, id)}
	}
	return nil
}

// entityDelete serves DELETE /<entities>/{id}: 204 with no body. An item
// takes its variants and its category memberships with it.
func (h *Handler) entityDelete(c *call, _ *[]byte) (int, []*apierror.Error) {
	id := c.id
	acct, err := h.opts.Store.Mutable(c.key)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	kind, _ := store.JobKindOf(c.res.Entity.Kind, store.Delete)
	_, eerr, err := acct.Write(kind, store.Element{ID: id}, false)
	if errs := h.writeRefused(err, eerr, c.res.Type, id); errs != nil {
		return 0, errs
	}
	return http.StatusNoContent, nil
}

// elementError is the answer for an entity write the catalog refused:
// the entity does not exist (404), exists already (409), or names related
// entities that do not exist (400).
func elementError(e *store.ElementError, typ, id string) *apierror.Error {
	switch e.Code {
	case apierror.CodeNotFound:
		if e.Member == "/id" || e.Member == "" {
			return entityNotFound(typ, id)
		}
	case apierror.CodeConflict:
		return apierror.Conflict(apierror.PointerData+e.Member, e.Detail)
	}
	if len(e.Member) > 5 && e.Member[:5] == "/data" {
		return apierror.InvalidPointer(e.Member, e.Detail)
	}
	return apierror.InvalidPointer(apierror.PointerData+e.Member, e.Detail)
}

// notFound is the 404 for an entity the path names that does not exist
// (or the store's error).
func (h *Handler) notFound(err error, typ, id string) *apierror.Error {
	if err != nil {
		return h.storeError(err)
	}
	return entityNotFound(typ, id)
}

// entityNotFound is the 404 for an entity id that does not exist. An id
// of a catalog type sent without its integration and catalog (GKA-00001
// for $custom:::$default:::GKA-00001) gets a hint with its full form, which
// goes to the log: Klaviyo's 404 carries no meta.
func entityNotFound(typ, id string) *apierror.Error {
	e := apierror.ResourceNotFound(typ, id)
	if k, ok := store.KindOfType(typ); ok && k.Decl().ID == schema.IDExternal && id != "" && !strings.Contains(id, ":::") {
		full := schema.IDOf(id)
		e.Hintf("Catalog ids are %s<external_id>: did you mean %s (in a path, percent-encoded: %s)?",
			schema.IDPrefix, full, strings.ReplaceAll(url.QueryEscape(full), "+", "%20"))
	}
	return e
}
