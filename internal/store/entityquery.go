package store

import (
	"errors"
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// EntityFilter holds the conditions an entity list applies; every one
// must hold. Each slice is one condition per element (several equals on
// the same field must all hold).
type EntityFilter struct {
	// IDs: the id is in every list (any(ids,[…])).
	IDs [][]string
	// Related: the entity relates to an id through a relation (an item in
	// a category, a variant of an item, a category holding an item).
	Related []RelatedCond
	// Equals: an attribute equals a value (a string, or a bool).
	Equals []ValueCond
	// Contains: a string attribute contains a value (case-sensitive).
	Contains []ValueCond
}

// RelatedCond is one condition on a relation: the entity relates to ID.
type RelatedCond struct {
	Rel *schema.Relation
	ID  string
}

// ValueCond is one condition on the attribute at index Attr.
type ValueCond struct {
	Attr  int
	Value any
}

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

// extrasLocked fills what the request asked for besides the entities.
func (a *Account) extrasLocked(page *EntityPage, req EntityPageRequest) {
	if req.Related {
		page.Related = make([][]string, len(page.Entities))
		for i, e := range page.Entities {
			page.Related[i] = a.relationshipLocked(e)
		}
	}
	if req.Include != nil {
		page.Included = make([][]*Entity, len(page.Entities))
		for i, e := range page.Entities {
			page.Included[i] = a.includedLocked(e, req.Include)
		}
	}
}

// relationshipLocked returns the ids of the relation e's kind shows in
// responses (an item's variants, a variant's item, a category's items).
func (a *Account) relationshipLocked(e *Entity) []string {
	r, ok := e.Kind.Decl().Relation(e.Kind.Decl().Shows)
	if !ok {
		return nil
	}
	return positionIDs(a.cat.related(e.Kind, e.ID, r))
}

// includedLocked returns the entities e holds through r, in position order.
func (a *Account) includedLocked(e *Entity, r *schema.Relation) []*Entity {
	ps := a.cat.related(e.Kind, e.ID, r)
	t := e.Kind.Target(r)
	out := make([]*Entity, 0, len(ps))
	for _, p := range ps {
		if x := a.cat.at(t, p); x != nil {
			out = append(out, x)
		}
	}
	return out
}

// walker walks positions strictly after from (from the start when nil),
// ascending or descending, until fn returns false.
type walker func(from *Position, desc bool, fn func(Position) bool)

// indexedWalker is a walker that also tells each position's index in
// the walked kind's source when it is shown from there (-1: held, or
// found through another index) and, when the made-entity cache kept it,
// the entity made for that index (nil: not known).
type indexedWalker func(from *Position, desc bool, fn func(p Position, i int, e *Entity) bool)

// walkerIn chooses the narrowest index of c the filter allows: the ids
// listed, the entities related to an id, those holding an indexed value,
// else every entity of the kind (which knows the seeded indexes).
func (a *Account) walkerIn(c *catalog, kind EntityKind, f *EntityFilter) indexedWalker {
	if w := a.indexWalkerIn(c, kind, f); w != nil {
		return func(from *Position, desc bool, fn func(Position, int, *Entity) bool) {
			w(from, desc, func(p Position) bool { return fn(p, -1, nil) })
		}
	}
	k := c.kinds[kind]
	parts := k.partFilter(kind, f)
	return func(from *Position, desc bool, fn func(Position, int, *Entity) bool) {
		k.walkMadeWhere(from, desc, nil, parts(), fn)
	}
}

// indexWalkerIn is the walker of the index the filter names (nil: none
// does): the ids listed, the entities related to an id, those holding an
// indexed value.
func (a *Account) indexWalkerIn(c *catalog, kind EntityKind, f *EntityFilter) walker {
	switch {
	case len(f.IDs) > 0:
		var ps []Position
		for _, id := range f.IDs[0] {
			if e := c.get(kind, id); e != nil {
				ps = insertPos(ps, positionOf(e))
			}
		}
		return sliceWalker(ps)
	case len(f.Related) > 0:
		return a.relatedWalkerLocked(kind, f.Related[0])
	}
	for _, cond := range f.Equals {
		if vi := c.values[kind][cond.Attr]; vi.on {
			s, _ := cond.Value.(string)
			ps := vi.byValue[s]
			k := c.kinds[kind]
			if k.src != nil {
				if i, ok := k.src.Lookup(cond.Attr, s); ok {
					if _, h := k.hidden[i]; !h {
						ps = insertPos(slices.Clone(ps), k.src.Position(i))
					}
				}
			}
			return sliceWalker(ps)
		}
	}
	return nil
}

// relatedWalkerLocked walks the entities of kind related to cond.ID: the
// other side's index of that id.
func (a *Account) relatedWalkerLocked(kind EntityKind, cond RelatedCond) walker {
	c := &a.cat
	r := cond.Rel
	switch r.Kind {
	case schema.Reference:
		return sliceWalker(c.rels[kind][r.Slot].byID[cond.ID])
	case schema.Children: // the parent of that child
		t, inv, _ := c.inverse(kind, r)
		return sliceWalker(c.related(t, cond.ID, inv))
	}
	t, inv, _ := c.inverse(kind, r)
	if r.Kind == schema.Parent {
		if c.get(t, cond.ID) == nil {
			return sliceWalker(nil)
		}
		return c.childWalker(t, cond.ID, inv)
	}
	if c.get(t, cond.ID) == nil {
		return sliceWalker(nil)
	}
	return c.memberWalker(t, cond.ID, inv)
}

func treeWalker(t *posTree) walker {
	return func(from *Position, desc bool, fn func(Position) bool) {
		skip := func(p Position) bool { return from != nil && p.same(*from) || fn(p) }
		switch {
		case from == nil && !desc:
			t.Ascend(fn)
		case from == nil:
			t.Descend(fn)
		case !desc:
			t.AscendGreaterOrEqual(*from, skip)
		default:
			t.DescendLessOrEqual(*from, skip)
		}
	}
}

func sliceWalker(ps []Position) walker {
	return func(from *Position, desc bool, fn func(Position) bool) {
		if !desc {
			i := 0
			if from != nil {
				i, _ = slices.BinarySearchFunc(ps, *from, Position.Compare)
				if i < len(ps) && ps[i].same(*from) {
					i++
				}
			}
			for ; i < len(ps); i++ {
				if !fn(ps[i]) {
					return
				}
			}
			return
		}
		i := len(ps) - 1
		if from != nil {
			j, _ := slices.BinarySearchFunc(ps, *from, Position.Compare)
			i = j - 1
		}
		for ; i >= 0; i-- {
			if !fn(ps[i]) {
				return
			}
		}
	}
}

// matchLocked reports whether e meets every condition of f.
func (a *Account) matchLocked(e *Entity, f *EntityFilter) bool {
	for _, list := range f.IDs {
		if !slices.Contains(list, e.ID) {
			return false
		}
	}
	for _, cond := range f.Related {
		if !a.relatesLocked(e, cond) {
			return false
		}
	}
	for _, cond := range f.Equals {
		if !e.Matches(cond.Attr, cond.Value) {
			return false
		}
	}
	for _, cond := range f.Contains {
		s, _ := e.Str(cond.Attr)
		if !strings.Contains(s, cond.Value.(string)) {
			return false
		}
	}
	return true
}

// relatesLocked reports whether e relates to cond.ID through cond.Rel.
func (a *Account) relatesLocked(e *Entity, cond RelatedCond) bool {
	r := cond.Rel
	switch r.Kind {
	case schema.Parent, schema.Reference:
		return e.Ref(r) == cond.ID
	case schema.Children:
		t, inv, _ := a.cat.inverse(e.Kind, r)
		child := a.cat.get(t, cond.ID)
		return child != nil && child.Ref(inv) == e.ID
	}
	return a.memberLocked(e.Kind, r, e.ID, cond.ID)
}

// EntityView is one entity with what a response shows besides it.
type EntityView struct {
	Entity   *Entity
	Related  []string
	Included []*Entity
}

// View returns one entity with its relationship ids (related) and the
// entities it holds through include, if not nil.
func (a *Account) View(kind EntityKind, id string, related bool, include *schema.Relation) (EntityView, bool, error) {
	if err := a.ensure(catalogNeeds(kind, related, include != nil)...); err != nil {
		return EntityView{}, false, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.viewLocked(kind, id, related, include)
}

func (a *Account) viewLocked(kind EntityKind, id string, related bool, include *schema.Relation) (EntityView, bool, error) {
	e := a.cat.get(kind, id)
	if e == nil {
		return EntityView{}, false, nil
	}
	v := EntityView{Entity: e}
	if related {
		v.Related = a.relationshipLocked(e)
	}
	if include != nil {
		v.Included = a.includedLocked(e, include)
	}
	return v, true, nil
}

// at returns the entity at position p.
func (c *catalog) at(kind EntityKind, p Position) *Entity { return c.get(kind, p.ID) }
