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
	if err := a.ensure(catalogNeeds(req.Kind, req.Related, req.Include != nil || len(req.Filter.Related) > 0)...); err != nil {
		return EntityPage{}, err
	}
	a.settle()
	if scans(req.Kind, &req.Filter) {
		return a.scanPage(req), nil
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	page := a.pageIn(&a.cat, req)
	a.extrasLocked(&page, req)
	return page, nil
}

// catalogNeeds lists the collections a read of kind needs generated: the
// kind's own (with those it refers to), every kind when what it shows is
// its children (an item's variants: rels), and every kind for relations
// and included entities (all).
func catalogNeeds(kind EntityKind, rels, all bool) []Collection {
	cs := []Collection{EntityCollection(kind)}
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
	limit := req.Limit
	if limit <= 0 {
		limit = PageSize
	}
	w := a.walkerIn(c, req.Kind, &req.Filter)
	match := a.pageMatch(c, &req)
	// forward walks in the requested order, backward against it.
	forward := func(from *Position, fn func(Position, int, *Entity) bool) { w(from, req.Desc, fn) }
	backward := func(from *Position, fn func(Position, int, *Entity) bool) { w(from, !req.Desc, fn) }
	exists := func(walk func(*Position, func(Position, int, *Entity) bool), from *Position) bool {
		found := false
		walk(from, func(p Position, i int, e *Entity) bool {
			_, found = match(p, i, e)
			return !found
		})
		return found
	}
	es := make([]*Entity, 0, min(limit+1, 128))
	collect := func(p Position, i int, e *Entity) bool {
		if e, ok := match(p, i, e); ok {
			es = append(es, e)
		}
		return len(es) <= limit
	}
	var page EntityPage
	if req.Before != nil {
		backward(req.Before, collect)
		if len(es) == 0 { // nothing precedes the cursor: the first page
			req.Before = nil
			return a.pageIn(c, req)
		}
		if len(es) > limit {
			es, page.HasPrev = es[:limit], true
		}
		slices.Reverse(es)
		page.HasNext = a.existsIn(c, req.Kind, *req.Before, &req.Filter) || exists(forward, req.Before)
	} else {
		forward(req.After, collect)
		if len(es) > limit {
			es, page.HasNext = es[:limit], true
		}
		if req.After != nil && len(es) > 0 {
			page.HasPrev = a.existsIn(c, req.Kind, *req.After, &req.Filter) || exists(backward, req.After)
		}
	}
	page.Entities = es
	return page
}

// pageMatch returns the test a page of req applies to each position it
// walks: the entity there (a seeded one as the walk found it, or made by
// its index; a held one by its id), and whether it matches the filter.
func (a *Account) pageMatch(c *catalog, req *EntityPageRequest) func(p Position, i int, e *Entity) (*Entity, bool) {
	k := c.kinds[req.Kind]
	part := k.partTest(req.Kind, &req.Filter)
	return func(p Position, i int, e *Entity) (*Entity, bool) {
		if a.work != nil {
			a.work.Add(1)
		}
		if part != nil && !part(p) {
			return nil, false
		}
		switch {
		case i < 0:
			e = c.at(req.Kind, p)
		case e == nil: // shown from the source: made by its index, as walk does
			e = k.make(i)
		}
		return e, e != nil && a.matchLocked(e, &req.Filter)
	}
}

// existsIn reports whether the entity at p still exists in c and matches.
func (a *Account) existsIn(c *catalog, kind EntityKind, p Position, f *EntityFilter) bool {
	e := c.get(kind, p.ID)
	return e != nil && positionOf(e).same(p) && a.matchLocked(e, f)
}

// at returns the entity at position p.
func (c *catalog) at(kind EntityKind, p Position) *Entity { return c.get(kind, p.ID) }
