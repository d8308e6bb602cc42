package store

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Submit adds an entity of a kind whose ids the server makes (a
// back-in-stock subscription) from a create element: the attributes in
// el.Set, its body relation naming el.Related[0] (which need not exist),
// its id a new ULID from the account's seeded id source, created and
// updated now. When the kind declares a Merge rule and an entity held
// matches the element on the rule's key, that entity is updated instead
// (schema.Merge says how). It returns the entity as stored and whether it
// merged; nothing changes when it does not fit the memory budget.
func (a *Account) Submit(kind EntityKind, el Element) (*Entity, bool, error) {
	if err := a.ensure(EntityCollection(kind)); err != nil {
		return nil, false, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	at := now.Truncate(time.Millisecond)
	e := NewEntity(kind, "")
	for i := range kind.Attrs() {
		if el.Set.Has(i) {
			e.Copy(i, &el.Values)
		}
	}
	if r, ok := kind.Decl().BodyRelation(); ok && el.HasRelated && len(el.Related) == 1 {
		e.SetRef(r, el.Related[0])
	}
	m := kind.Decl().Merge
	if m != nil {
		u, _, _ := kind.Attr(m.Union)
		e.Set(u, union(nil, e.Value(u))) // through Value and Set: an entity's slots may end before u
		if old := a.mergeTargetLocked(e, m); old != nil {
			cp := *old
			cp.stamp, cp.Vals = 0, slices.Clone(old.Vals)
			for i := range kind.Attrs() {
				if el.Set.Has(i) {
					cp.Copy(i, e)
				}
			}
			cp.Set(u, union(old.Value(u), e.Value(u)))
			cp.Updated = at
			if err := a.reserve(cp.memSize() - old.memSize()); err != nil {
				return nil, false, err
			}
			a.putEntityLocked(&cp)
			return &cp, true, nil
		}
	}
	e.ID = a.ids.Next(at)
	e.Created, e.Updated = at, at
	if err := a.reserve(e.memSize() + indexSize(e)); err != nil {
		return nil, false, err
	}
	a.putEntityLocked(e)
	return e, false, nil
}

// mergeTargetLocked returns the entity of e's kind held that agrees with e on
// every member of m's key, if any: those naming the same entity through
// the key's relation when it has one, else every entity of the kind.
func (a *Account) mergeTargetLocked(e *Entity, m *schema.Merge) *Entity {
	d := e.Kind.Decl()
	var candidates []*Entity
	narrowed := false
	for _, k := range m.Key {
		if r, ok := d.Relation(k); ok && r.Kind == schema.Reference {
			for _, p := range a.cat.rels[e.Kind][r.Slot].byID[e.Ref(r)] {
				candidates = append(candidates, a.cat.get(e.Kind, p.ID))
			}
			narrowed = true
			break
		}
	}
	if !narrowed {
		candidates = a.cat.all(e.Kind)
	}
	for _, c := range candidates {
		if c != nil && sameKey(c, e, m) {
			return c
		}
	}
	return nil
}

// sameKey reports whether x and y agree on every member of m's key.
func sameKey(x, y *Entity, m *schema.Merge) bool {
	d := x.Kind.Decl()
	for _, k := range m.Key {
		if r, ok := d.Relation(k); ok {
			if x.Ref(r) != y.Ref(r) {
				return false
			}
			continue
		}
		if i, _, _ := d.Attr(k); !sameValue(x.Value(i), y.Value(i)) {
			return false
		}
	}
	return true
}

// sameValue reports whether two attribute values (as Entity.Vals holds
// them) are equal; nil is null, equal only to null.
func sameValue(x, y any) bool {
	switch v := x.(type) {
	case *string:
		w, _ := y.(*string)
		return (v == nil) == (w == nil) && (v == nil || *v == *w)
	case *float64:
		w, _ := y.(*float64)
		return (v == nil) == (w == nil) && (v == nil || *v == *w)
	case *int:
		w, _ := y.(*int)
		return (v == nil) == (w == nil) && (v == nil || *v == *w)
	case *bool:
		w, _ := y.(*bool)
		return (v == nil) == (w == nil) && (v == nil || *v == *w)
	case *[]string:
		w, _ := y.(*[]string)
		return (v == nil) == (w == nil) && (v == nil || slices.Equal(*v, *w))
	case json.RawMessage:
		w, _ := y.(json.RawMessage)
		return (v == nil) == (w == nil) && string(v) == string(w)
	}
	return isNull(y)
}

// isNull reports whether a value as Entity.Vals holds it is null.
func isNull(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case *string:
		return v == nil
	case *float64:
		return v == nil
	case *int:
		return v == nil
	case *bool:
		return v == nil
	case *[]string:
		return v == nil
	case json.RawMessage:
		return v == nil
	}
	return false
}

// union returns the strings of the lists held by a and b (each a
// *[]string or null), each once, first seen first; null when both are.
func union(a, b any) any {
	x, _ := a.(*[]string)
	y, _ := b.(*[]string)
	if x == nil && y == nil {
		return (*[]string)(nil)
	}
	out := []string{}
	for _, l := range []*[]string{x, y} {
		if l == nil {
			continue
		}
		for _, s := range *l {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return &out
}

// makeIDsLocked gives the supplied entities of kinds whose ids the server
// makes, sent without one, an id from the account's id source (above every
// id supplied).
func (a *Account) makeIDsLocked(in *Contents) {
	for _, k := range Kinds() {
		if k.Decl().ID != schema.IDServer {
			continue
		}
		for _, e := range in.Entities[k] {
			a.ids.Observe(e.ID)
		}
	}
	for _, k := range Kinds() {
		if k.Decl().ID != schema.IDServer {
			continue
		}
		for _, e := range in.Entities[k] {
			if e.ID == "" {
				e.ID = a.ids.Next(e.Created)
			}
		}
	}
}
