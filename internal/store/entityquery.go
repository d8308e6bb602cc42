package store

import (
	"errors"
	"slices"
	"strings"
)

// EntityFilter holds the conditions an entity list applies; every one
// must hold. Each slice is one condition per element (several equals on
// the same field must all hold).
type EntityFilter struct {
	// IDs: the id is in every list (any(ids,[…])).
	IDs [][]string
	// Categories: an item is in each category.
	Categories []string
	// Items: a variant's item is each one; a category holds each one.
	Items []string
	// SKUs: a variant's SKU is each one.
	SKUs []string
	// Texts: the title (items, variants) or name (categories) contains
	// each one (case-sensitive).
	Texts []string
	// Published: published is each one.
	Published []bool
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
	// Related asks for each entity's relationship ids; Variants for each
	// item's variants (include=variants).
	Related, Variants bool
}

// EntityPage is one page of entities, whether matching entities lie on
// either side, and what the request asked for besides.
type EntityPage struct {
	Entities         []*Entity
	HasNext, HasPrev bool
	// Related[i] are the ids of Entities[i]'s relationship.
	Related [][]string
	// Variants[i] are item Entities[i]'s variants.
	Variants [][]*Entity
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
	if err := a.ensure(catalogNeeds(req.Kind, req.Related, req.Variants || len(req.Filter.Categories) > 0)...); err != nil {
		return EntityPage{}, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.entityPageLocked(req), nil
}

// catalogNeeds lists the collections a read of kind needs generated: the
// kind's own (with the items variants and categories refer to), the
// variants and categories an item's relationships show (rels), and all of
// them for memberships and included variants (all).
func catalogNeeds(kind EntityKind, rels, all bool) []Collection {
	cs := []Collection{EntityCollection(kind)}
	if all || (rels && kind == ItemKind) {
		cs = append(cs, Items, Variants, Categories)
	}
	return cs
}

func (a *Account) entityPageLocked(req EntityPageRequest) EntityPage {
	limit := req.Limit
	if limit <= 0 {
		limit = PageSize
	}
	w := a.walkerLocked(req.Kind, &req.Filter)
	match := func(p Position) (*Entity, bool) {
		if a.work != nil {
			a.work.Add(1)
		}
		e := a.cat.at(req.Kind, p)
		return e, e != nil && a.matchLocked(e, &req.Filter)
	}
	// forward walks in the requested order, backward against it.
	forward := func(from *Position, fn func(Position) bool) { w(from, req.Desc, fn) }
	backward := func(from *Position, fn func(Position) bool) { w(from, !req.Desc, fn) }
	exists := func(walk func(*Position, func(Position) bool), from *Position) bool {
		found := false
		walk(from, func(p Position) bool {
			_, found = match(p)
			return !found
		})
		return found
	}
	es := make([]*Entity, 0, min(limit+1, 128))
	collect := func(p Position) bool {
		if e, ok := match(p); ok {
			es = append(es, e)
		}
		return len(es) <= limit
	}
	var page EntityPage
	if req.Before != nil {
		backward(req.Before, collect)
		if len(es) == 0 { // nothing precedes the cursor: the first page
			req.Before = nil
			return a.entityPageLocked(req)
		}
		if len(es) > limit {
			es, page.HasPrev = es[:limit], true
		}
		slices.Reverse(es)
		page.HasNext = a.existsLocked(req.Kind, *req.Before, &req.Filter) || exists(forward, req.Before)
	} else {
		forward(req.After, collect)
		if len(es) > limit {
			es, page.HasNext = es[:limit], true
		}
		if req.After != nil && len(es) > 0 {
			page.HasPrev = a.existsLocked(req.Kind, *req.After, &req.Filter) || exists(backward, req.After)
		}
	}
	page.Entities = es
	a.extrasLocked(&page, req)
	return page
}

// existsLocked reports whether the entity at p still exists and matches.
func (a *Account) existsLocked(kind EntityKind, p Position, f *EntityFilter) bool {
	e := a.cat.ents[kind][p.ID]
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
	if req.Variants && req.Kind == ItemKind {
		page.Variants = make([][]*Entity, len(page.Entities))
		for i, e := range page.Entities {
			page.Variants[i] = a.variantsLocked(e)
		}
	}
}

// relationshipLocked returns the ids of the relationship e carries in
// responses: an item's variants, a variant's item, a category's items.
func (a *Account) relationshipLocked(e *Entity) []string {
	switch e.Kind {
	case ItemKind:
		return positionIDs(a.cat.variantsOfSlot(e))
	case VariantKind:
		return []string{e.Item}
	}
	return a.relatedLocked(CategoryKind, e.ID)
}

func (a *Account) variantsLocked(item *Entity) []*Entity {
	ps := a.cat.variantsOfSlot(item)
	out := make([]*Entity, 0, len(ps))
	for _, p := range ps {
		if v := a.cat.at(VariantKind, p); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// walker walks positions strictly after from (from the start when nil),
// ascending or descending, until fn returns false.
type walker func(from *Position, desc bool, fn func(Position) bool)

// walkerLocked chooses the narrowest index the filter allows.
func (a *Account) walkerLocked(kind EntityKind, f *EntityFilter) walker {
	c := &a.cat
	switch {
	case len(f.IDs) > 0:
		var ps []Position
		for _, id := range f.IDs[0] {
			if e := c.ents[kind][id]; e != nil {
				ps = insertPos(ps, positionOf(e))
			}
		}
		return sliceWalker(ps)
	case len(f.Items) > 0 && kind == VariantKind:
		return sliceWalker(c.variantsOfItem(f.Items[0]))
	case len(f.Items) > 0 && kind == CategoryKind:
		return sliceWalker(c.itemCats[f.Items[0]])
	case len(f.Categories) > 0 && kind == ItemKind:
		t := c.catItems[f.Categories[0]]
		if t == nil {
			return sliceWalker(nil)
		}
		return treeWalker(t)
	case len(f.SKUs) > 0 && kind == VariantKind:
		return sliceWalker(c.skus[f.SKUs[0]])
	}
	return treeWalker(c.order[kind])
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
	for _, item := range f.Items {
		switch e.Kind {
		case VariantKind:
			if e.Item != item {
				return false
			}
		case CategoryKind:
			if !a.memberLocked(e.ID, item) {
				return false
			}
		default:
			return false
		}
	}
	for _, cat := range f.Categories {
		if e.Kind != ItemKind || !a.memberLocked(cat, e.ID) {
			return false
		}
	}
	for _, sku := range f.SKUs {
		if s := e.Str[StrSKU]; s == nil || *s != sku {
			return false
		}
	}
	for _, t := range f.Texts {
		text := e.Title()
		if e.Kind == CategoryKind {
			text = e.Name()
		}
		if !strings.Contains(text, t) {
			return false
		}
	}
	for _, p := range f.Published {
		if e.Kind == CategoryKind || e.Published() != p {
			return false
		}
	}
	return true
}

// memberLocked reports whether item is in category.
func (a *Account) memberLocked(category, item string) bool {
	for _, p := range a.cat.itemCats[item] {
		if p.ID == category {
			return true
		}
	}
	return false
}

// EntityView is one entity with what a response shows besides it.
type EntityView struct {
	Entity   *Entity
	Related  []string
	Variants []*Entity
}

// View returns one entity with its relationship ids (related) and, for an
// item, its variants (variants).
func (a *Account) View(kind EntityKind, id string, related, variants bool) (EntityView, bool, error) {
	if err := a.ensure(catalogNeeds(kind, related, variants)...); err != nil {
		return EntityView{}, false, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.viewLocked(kind, id, related, variants)
}

func (a *Account) viewLocked(kind EntityKind, id string, related, variants bool) (EntityView, bool, error) {
	e := a.cat.ents[kind][id]
	if e == nil {
		return EntityView{}, false, nil
	}
	v := EntityView{Entity: e}
	if related {
		v.Related = a.relationshipLocked(e)
	}
	if variants && kind == ItemKind {
		v.Variants = a.variantsLocked(e)
	}
	return v, true, nil
}

// at returns the entity at position p: through its slot when p carries
// one (index positions do), by id otherwise.
func (c *catalog) at(kind EntityKind, p Position) *Entity {
	if s := int(p.slot) - 1; s >= 0 && s < len(c.slots[kind]) {
		if e := c.slots[kind][s]; e != nil && e.ID == p.ID {
			return e
		}
	}
	return c.ents[kind][p.ID]
}
