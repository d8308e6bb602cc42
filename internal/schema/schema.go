// Package schema declares the catalog's shape once: each entity type (its
// JSON:API type, its attributes with their JSON types and rules, its
// relations, its filters, the operations it has) and the list of bulk job
// kinds. Every other layer reads it: the store (slots, relations, indexes),
// the resource registry (paths, fields, filters, operations), request
// bodies, fixtures, rendering, the account documents of the control API and
// the state file, and the Go package. It knows nothing of HTTP or storage.
//
// A declaration is data. The per-revision facts of an entity (operation ids,
// limits, shapes that changed) are its spec rows in internal/resource; its
// seeded data is made by its generator in internal/fixtures. Tests fail
// when a declared entity lacks any of them.
package schema

import "fmt"

// Catalog is a set of declared entity types and job kinds.
type Catalog struct {
	entities []*Entity
	jobs     []*JobKind
	byType   map[string]*Entity
}

// Declare checks the declarations and returns them as a catalog, with
// slots and indexes assigned. It panics on a declaration that contradicts
// itself (an unknown target, a relation without its inverse, two body
// relations): declarations are code, and the tests build them.
func Declare(entities []*Entity, jobs []JobKind) *Catalog {
	c := &Catalog{byType: map[string]*Entity{}}
	for i, e := range entities {
		if _, dup := c.byType[e.Type]; dup {
			panic("schema: " + e.Type + " declared twice")
		}
		e.Index = i
		e.assign()
		c.byType[e.Type] = e
		c.entities = append(c.entities, e)
	}
	for _, e := range entities {
		if err := c.check(e); err != nil {
			panic("schema: " + e.Type + ": " + err.Error())
		}
	}
	for i := range jobs {
		k := jobs[i]
		k.Index = i
		c.jobs = append(c.jobs, &k)
	}
	return c
}

// assign sets what Declare derives: each attribute's key, each relation's
// slot.
func (e *Entity) assign() {
	for i := range e.Attrs {
		a := &e.Attrs[i]
		for _, c := range a.Name {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
				panic("schema: " + e.Type + " attribute " + a.Name + ": names are lowercase letters, digits and _")
			}
		}
		a.Key = `"` + a.Name + `":`
	}
	for i := range e.Relations {
		e.Relations[i].Slot = i
	}
}

// check reports what contradicts itself in e's declaration.
func (c *Catalog) check(e *Entity) error {
	body := 0
	for i := range e.Relations {
		r := &e.Relations[i]
		t, ok := c.byType[r.Target]
		if !ok {
			return fmt.Errorf("relation %s targets %s, which is not declared", r.Name, r.Target)
		}
		if r.Body {
			body++
		}
		if r.Kind == Reference {
			continue
		}
		inv, ok := t.Relation(r.Inverse)
		if !ok || inv.Target != e.Type || inv.Inverse != r.Name {
			return fmt.Errorf("relation %s has no inverse %s on %s", r.Name, r.Inverse, t.Type)
		}
		want := map[RelKind]RelKind{Parent: Children, Children: Parent, Members: Members}[r.Kind]
		if inv.Kind != want {
			return fmt.Errorf("relation %s is %d, its inverse %d", r.Name, r.Kind, inv.Kind)
		}
	}
	if body > 1 {
		return fmt.Errorf("%d relations are set by bodies; one at most", body)
	}
	for _, f := range e.Filters {
		switch f.Kind {
		case FilterRelated:
			if _, ok := e.Relation(f.Field); !ok {
				return fmt.Errorf("filter on unknown relation %s", f.Field)
			}
		case FilterEquals, FilterContains:
			if _, a, ok := e.Attr(f.Field); !ok || (f.Kind == FilterContains && a.Type != String) {
				return fmt.Errorf("filter on unknown or unfit attribute %s", f.Field)
			}
		}
	}
	if err := c.checkRules(e); err != nil {
		return err
	}
	if e.Shows != "" {
		if _, ok := e.Relation(e.Shows); !ok {
			return fmt.Errorf("shows unknown relation %s", e.Shows)
		}
	}
	for _, inc := range e.Includes {
		if _, ok := e.Relation(inc); !ok {
			return fmt.Errorf("includes unknown relation %s", inc)
		}
	}
	return nil
}

// Entities returns the entity types in declaration order.
func (c *Catalog) Entities() []*Entity { return c.entities }

// Jobs returns the job kinds in declaration order.
func (c *Catalog) Jobs() []*JobKind { return c.jobs }

// OfType returns the entity type of a JSON:API type.
func (c *Catalog) OfType(typ string) (*Entity, bool) {
	e, ok := c.byType[typ]
	return e, ok
}

// Target returns the entity type a relation relates to.
func (c *Catalog) Target(r *Relation) *Entity { return c.byType[r.Target] }

// Job returns the job kind of an entity type and an action.
func (c *Catalog) Job(e *Entity, a Action) (*JobKind, bool) {
	for _, k := range c.jobs {
		if k.Entity == e && k.Action == a {
			return k, true
		}
	}
	return nil, false
}
