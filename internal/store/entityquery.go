package store

import (
	"errors"
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// EntityPageRequest asks for one page of entities of a kind in position
// order (creation time, then id), or the reverse when Desc.
type EntityPageRequest struct {
	Kind   EntityKind
	Filter EntityFilter
	Desc   bool
	// After continues after a position (a next cursor); Before returns the
	// page that ends just before one (a prev cursor).
	After, Before *Position
	// Limit is the page size; PageSize when zero.
	Limit int
	// Related asks for each entity's relationship ids (the relation its
	// kind shows); Include for the entities a relation holds (include=).
	Related bool
	Include *schema.Relation
}

// EntityPage is one page of entities, whether matching entities lie on
// either side, and what the request asked for besides.
type EntityPage struct {
	Entities         []*Entity
	HasNext, HasPrev bool
	// Related[i] are the ids of Entities[i]'s relationship.
	Related [][]string
	// Included[i] are the entities Entities[i] holds through Include.
	Included [][]*Entity
}

// ErrUnknownPosition: a cursor names an entity that does not exist (and
// carries no position of its own).
var ErrUnknownPosition = errors.New("store: the cursor's entity does not exist")

// PositionOf returns the position of an entity, to resume a list after
// it.
func (a *Account) PositionOf(kind EntityKind, id string) (Position, error) {
	e, ok, err := a.Entity(kind, id)
	switch {
	case err != nil:
		return Position{}, err
	case !ok:
		return Position{}, ErrUnknownPosition
	}
	return positionOf(e), nil
}

// EntityPage returns one page of entities. It walks the narrowest index
// the filter allows (the ids listed, an item's variants or categories, a
// category's items, a SKU's variants, else every entity of the kind) in
// position order from the cursor, so a page costs O(page + log n) unless
// conditions the index does not cover (contains, published) skip most
// entities.
func (a *Account) EntityPage(req EntityPageRequest) (EntityPage, error) {
	if err := a.ensureCatalog(req.Kind, req.Related, req.Include != nil || len(req.Filter.Related) > 0); err != nil {
		return EntityPage{}, err
	}
	a.settle()
	if scans(req.Kind, &req.Filter) {
		return a.scanPage(req), nil
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	page := a.memoPageIn(req)
	a.extrasLocked(&page, req)
	return page, nil
}

// ensureCatalog generates the collections a read of kind needs (see
// catalogNeeds), listed on the caller's stack: the list was an allocation
// of every read and write of an entity.
func (a *Account) ensureCatalog(kind EntityKind, rels, all bool) error {
	var room [8]Collection
	return a.ensure(catalogNeeds(room[:0], kind, rels, all)...)
}

// catalogNeeds appends to cs the collections a read of kind needs
// generated: the kind's own (with those it refers to), every kind when
// what it shows is its children (an item's variants: rels), and every
// kind for relations and included entities (all).
func catalogNeeds(cs []Collection, kind EntityKind, rels, all bool) []Collection {
	cs = append(cs, EntityCollection(kind))
	if shows, ok := kind.Decl().Relation(kind.Decl().Shows); all || (rels && ok && shows.Kind == schema.Children) {
		for _, k := range Kinds() {
			cs = append(cs, EntityCollection(k))
		}
	}
	return cs
}

// pageIn returns the page of c (the account's catalog, under its lock, or a
// view of it), without what the request asks besides the entities.
func (a *Account) pageIn(c *catalog, req EntityPageRequest) EntityPage {
	pg := a.newPager(c, req)
	es := pg.room[:0:min(pg.limit+1, len(pg.room))]
	var page EntityPage
	if req.Before != nil {
		es = pg.collect(es, req.Before, !req.Desc)
		if len(es) == 0 { // nothing precedes the cursor: the first page
			req.Before = nil
			return a.pageIn(c, req)
		}
		if len(es) > pg.limit {
			es, page.HasPrev = es[:pg.limit], true
		}
		slices.Reverse(es)
		page.HasNext = a.existsIn(c, req.Kind, *req.Before, &req.Filter) || pg.exists(req.Before, req.Desc)
	} else {
		es = pg.collect(es, req.After, req.Desc)
		if len(es) > pg.limit {
			es, page.HasNext = es[:pg.limit], true
		}
		if req.After != nil && len(es) > 0 {
			page.HasPrev = a.existsIn(c, req.Kind, *req.After, &req.Filter) || pg.exists(req.After, !req.Desc)
		}
	}
	page.Entities = es
	return page
}

// pager is the state of one page's walk of c for req: the index it walks
// (idx; nil: the kind's own, seeded and held, through the seeded walk's
// state mw), the filter's test of seeded positions (part; nil: none), and
// the entities collected. One value, and the page's entities in its room
// unless the page is larger, where the walker, the filter test, the
// collector and the request they shared were each an allocation of every
// page.
type pager struct {
	a     *Account
	c     *catalog
	req   EntityPageRequest
	k     *seededKind
	part  func(p Position) bool
	idx   walker
	parts func(i int) bool
	limit int
	// es are the entities collected (probe: only whether one matches,
	// found).
	es           []*Entity
	probe, found bool
	mw           madeWalk
	room         [PageSize + 1]*Entity
}

// newPager returns the pager of a page of req in c.
func (a *Account) newPager(c *catalog, req EntityPageRequest) *pager {
	pg := &pager{a: a, c: c, req: req, k: c.kinds[req.Kind], limit: req.Limit}
	if pg.limit <= 0 {
		pg.limit = PageSize
	}
	f := &pg.req.Filter
	pg.part = pg.k.partTest(req.Kind, f)
	if pg.idx = a.indexWalkerIn(c, req.Kind, f); pg.idx == nil {
		pg.parts = pg.k.partFilter(req.Kind, f)
	}
	return pg
}

// collect appends to es the matching entities from `from` (exclusive) on,
// descending when desc, until it holds one more than the page's limit.
func (pg *pager) collect(es []*Entity, from *Position, desc bool) []*Entity {
	pg.es, pg.probe = es, false
	pg.walk(from, desc)
	return pg.es
}

// exists reports whether an entity matches from `from` (exclusive) on,
// descending when desc.
func (pg *pager) exists(from *Position, desc bool) bool {
	pg.probe, pg.found = true, false
	pg.walk(from, desc)
	return pg.found
}

// walk visits the positions of the page's index from `from` on.
func (pg *pager) walk(from *Position, desc bool) {
	if pg.idx != nil {
		pg.idx(from, desc, func(p Position) bool { return pg.visit(p, -1, nil) })
		return
	}
	pg.k.walkMadeInto(&pg.mw, from, desc, nil, pg.parts, pg)
}

// visit takes the position p the walk reached (i, e as the walk gives
// them) and reports whether the walk goes on.
func (pg *pager) visit(p Position, i int, e *Entity) bool {
	e, ok := pg.match(p, i, e)
	if pg.probe {
		pg.found = ok
		return !ok
	}
	if ok {
		pg.es = append(pg.es, e)
	}
	return len(pg.es) <= pg.limit
}

// match returns the entity at the position p walked (a seeded one as the
// walk found it, or made by its index; a held one by its id), and whether
// it matches the filter.
func (pg *pager) match(p Position, i int, e *Entity) (*Entity, bool) {
	a, req := pg.a, &pg.req
	if a.work != nil {
		a.work.Add(1)
	}
	if pg.part != nil && !pg.part(p) {
		return nil, false
	}
	switch {
	case i < 0:
		e = pg.c.at(req.Kind, p)
	case e == nil: // shown from the source: made by its index, as walk does
		e = pg.k.make(i)
	}
	return e, e != nil && a.matchLocked(e, &req.Filter)
}

// existsIn reports whether the entity at p still exists in c and matches.
func (a *Account) existsIn(c *catalog, kind EntityKind, p Position, f *EntityFilter) bool {
	e := c.get(kind, p.ID)
	return e != nil && positionOf(e).same(p) && a.matchLocked(e, f)
}

// at returns the entity at position p.
func (c *catalog) at(kind EntityKind, p Position) *Entity { return c.get(kind, p.ID) }
