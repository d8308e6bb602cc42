package store

import "github.com/klaviyo-mock/mockserver/internal/schema"

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

// EntityView is one entity with what a response shows besides it.
type EntityView struct {
	Entity   *Entity
	Related  []string
	Included []*Entity
}

// View returns one entity with its relationship ids (related) and the
// entities it holds through include, if not nil.
func (a *Account) View(kind EntityKind, id string, related bool, include *schema.Relation) (EntityView, bool, error) {
	if err := a.ensureCatalog(kind, related, include != nil); err != nil {
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
