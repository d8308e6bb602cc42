package store

import (
	"slices"
	"strings"
)

// Entities returns the entities of a kind with the given ids that exist, in
// the order asked, each once.
func (a *Account) Entities(kind EntityKind, ids []string) ([]*Entity, error) {
	return a.EntitiesTo(make([]*Entity, 0, len(ids)), kind, ids)
}

// EntitiesTo is Entities, listed into dst's room (its contents are
// dropped): a caller with room for them (a poll's include, on its stack)
// makes no list, up to listedFrom entities (past them, a set of their ids).
func (a *Account) EntitiesTo(dst []*Entity, kind EntityKind, ids []string) ([]*Entity, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := dst[:0]
	var seen map[string]bool // past listedFrom entities: a look at each costs more
	for _, id := range ids {
		e := a.cat.get(kind, id)
		if e == nil || Listed(out, seen, id) {
			continue
		}
		out = append(out, e)
		if seen != nil {
			seen[id] = true
		} else if len(out) == listedFrom {
			seen = make(map[string]bool, len(ids))
			for _, x := range out {
				seen[x.ID] = true
			}
		}
	}
	return out, nil
}

// listedFrom is how many entities Entities finds one named twice among
// by looking at each; past it, it keeps a set.
const listedFrom = 32

// Listed reports whether an entity of out has id: seen, when not nil,
// holds their ids (a caller keeps one past a few dozen entities).
func Listed(out []*Entity, seen map[string]bool, id string) bool {
	if seen != nil {
		return seen[id]
	}
	for _, x := range out {
		if x.ID == id {
			return true
		}
	}
	return false
}

// Entity returns one entity.
func (a *Account) Entity(kind EntityKind, id string) (*Entity, bool, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, false, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	e := a.cat.get(kind, id)
	return e, e != nil, nil
}

// Count returns the size of collection c (generating it if needed).
func (a *Account) Count(c Collection) int {
	if a.ensure(c) != nil {
		return 0
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if k, ok := c.IsJobs(); ok {
		return a.jobs[k].len()
	}
	return a.cat.kinds[EntityKind(c)].len()
}

// AllEntities returns every entity of a kind, in id order.
func (a *Account) AllEntities(kind EntityKind) ([]*Entity, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := a.cat.all(kind)
	slices.SortFunc(out, func(x, y *Entity) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}
