package store

import (
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Estimated sizes of the catalog's index entries (see memory.go).
const (
	// positionBytes is one entry of an ordered index (a tree or a slice).
	positionBytes = 40
	// linkBytes is one membership: an entry in each side's index, and a
	// share of each (the slice's spare capacity, the map slot).
	linkBytes = 4 * positionBytes
)

// catalogVersion is the collection whose version every entity collection
// shares: relationships cross them, so a change to one shows in the others.
const catalogVersion = Collection(0)

// catalog holds one account's entities of every declared kind and the
// indexes that keep every list O(page): each kind in position order; for
// each relation, the entities each owner relates to in position order; and
// for each string attribute a list filters on by equality, the entities
// holding each value.
type catalog struct {
	ents []map[string]*Entity
	// slots hold every entity by its slot, free the slots to reuse.
	slots [][]*Entity
	free  [][]int32
	order []*posTree
	// rels[kind][relation] indexes the relation from the kind's side.
	rels [][]relIndex
	// values[kind][attribute] indexes string attributes filtered by
	// equality (nil for the others).
	values [][]map[string][]Position
	// work, when set (tests), counts index work (see lockWork).
	work *lockWork
}

// relIndex is one side of a relation: the related positions of each owner.
// Children are found by the owner's slot; a Reference's owners by the id
// they name; memberships by the owner's id, in a tree when an owner may
// hold many.
type relIndex struct {
	rel     *schema.Relation
	bySlot  [][]Position
	byID    map[string][]Position
	byTree  map[string]*posTree
	holders bool // byID holds the entities naming each id (a Reference)
}

func newCatalog(work *lockWork) catalog {
	n := len(catalogSchema.Entities())
	c := catalog{work: work, ents: make([]map[string]*Entity, n), slots: make([][]*Entity, n), free: make([][]int32, n),
		order: make([]*posTree, n), rels: make([][]relIndex, n), values: make([][]map[string][]Position, n)}
	for _, d := range catalogSchema.Entities() {
		k := d.Index
		c.ents[k] = map[string]*Entity{}
		c.order[k] = newPosTree()
		c.rels[k] = make([]relIndex, len(d.Relations))
		for i := range d.Relations {
			r := &d.Relations[i]
			ri := relIndex{rel: r}
			switch {
			case r.Kind == schema.Members && r.Large:
				ri.byTree = map[string]*posTree{}
			case r.Kind == schema.Members, r.Kind == schema.Reference:
				ri.byID, ri.holders = map[string][]Position{}, r.Kind == schema.Reference
			}
			c.rels[k][i] = ri
		}
		c.values[k] = make([]map[string][]Position, len(d.Attrs))
		for _, f := range d.Filters {
			if i, a, ok := d.Attr(f.Field); ok && f.Kind == schema.FilterEquals && a.Type == schema.String {
				c.values[k][i] = map[string][]Position{}
			}
		}
	}
	return c
}

// children returns the list of owner e's children through relation r (a
// Children relation of e's kind), growing the slot table as owners get
// slots.
func (c *catalog) children(e *Entity, r *schema.Relation) *[]Position {
	ri := &c.rels[e.Kind][r.Slot]
	for int(e.slot) > len(ri.bySlot) {
		ri.bySlot = append(ri.bySlot, nil)
	}
	return &ri.bySlot[e.slot-1]
}

// childrenOf returns owner e's children through r, without a lookup by id.
func (c *catalog) childrenOf(e *Entity, r *schema.Relation) []Position {
	ri := &c.rels[e.Kind][r.Slot]
	if s := int(e.slot) - 1; s >= 0 && s < len(ri.bySlot) {
		return ri.bySlot[s]
	}
	return nil
}

// related returns, in position order, what entity id of kind relates to
// through r: its children, its parent or referenced id, or its members.
func (c *catalog) related(kind EntityKind, id string, r *schema.Relation) []Position {
	ri := &c.rels[kind][r.Slot]
	switch r.Kind {
	case schema.Children:
		if e := c.ents[kind][id]; e != nil {
			return c.childrenOf(e, r)
		}
		return nil
	case schema.Parent, schema.Reference:
		if e := c.ents[kind][id]; e != nil && e.Ref(r) != "" {
			t := kind.Target(r)
			if p := c.ents[t][e.Ref(r)]; p != nil {
				return []Position{positionOf(p)}
			}
			return []Position{{ID: e.Ref(r)}}
		}
		return nil
	}
	if ri.byTree != nil {
		t := ri.byTree[id]
		if t == nil {
			return nil
		}
		out := make([]Position, 0, t.Len())
		t.Ascend(func(p Position) bool { out = append(out, p); return true })
		return out
	}
	return ri.byID[id]
}

// inverse returns the index of the other side of relation r of kind.
func (c *catalog) inverse(kind EntityKind, r *schema.Relation) (EntityKind, *schema.Relation, *relIndex) {
	t := kind.Target(r)
	inv, _ := t.Decl().Relation(r.Inverse)
	return t, inv, &c.rels[t][inv.Slot]
}

// indexSize is what an entity's index entries cost besides the entity.
func indexSize(e *Entity) int64 {
	n := int64(positionBytes + 8) // and its slot
	d := e.Kind.Decl()
	for i := range d.Relations {
		if r := &d.Relations[i]; (r.Kind == schema.Parent || r.Kind == schema.Reference) && e.Ref(r) != "" {
			n += positionBytes
		}
	}
	for i := range d.Attrs {
		if catalogValues(e.Kind, i) && e.IsSet(i) {
			n += positionBytes
		}
	}
	return n
}

// catalogValues reports whether attribute i of kind is indexed by value.
func catalogValues(kind EntityKind, i int) bool {
	for _, f := range kind.Decl().Filters {
		if f.Kind == schema.FilterEquals && f.Field == kind.Attrs()[i].Name && kind.Attrs()[i].Type == schema.String {
			return true
		}
	}
	return false
}

// putEntityLocked inserts e, or replaces the entity with its id, keeping
// every index in step.
func (a *Account) putEntityLocked(e *Entity) {
	a.stampPublicKey(e) // an account's own entity carries its public key
	if e.Kind.Decl().ID == schema.IDServer {
		a.ids.Observe(e.ID) // ids made later stay above it
	}
	c := &a.cat
	if e.stamp == 0 {
		e.stamp = a.nextStamp()
	}
	a.bumpLocked(catalogVersion)
	old, existed := c.ents[e.Kind][e.ID]
	if existed {
		e.slot = old.slot
	} else if free := c.free[e.Kind]; len(free) > 0 {
		e.slot, c.free[e.Kind] = free[len(free)-1]+1, free[:len(free)-1]
	} else {
		c.slots[e.Kind] = append(c.slots[e.Kind], nil)
		e.slot = int32(len(c.slots[e.Kind]))
	}
	c.slots[e.Kind][e.slot-1] = e
	c.ents[e.Kind][e.ID] = e
	pos := positionOf(e)
	delta := e.memSize() + indexSize(e)
	if existed {
		delta -= old.memSize() + indexSize(old)
		a.unindexLocked(old)
		if oldPos := positionOf(old); !oldPos.same(pos) {
			a.repositionLocked(old, oldPos, pos)
		}
	}
	c.order[e.Kind].ReplaceOrInsert(pos)
	a.indexRefsLocked(e, pos, true)
	a.grow(delta)
}

// indexRefsLocked adds (or removes) e's own index entries besides its
// order: under what its to-one relations name, and under its indexed
// values.
func (a *Account) indexRefsLocked(e *Entity, pos Position, add bool) {
	c := &a.cat
	d := e.Kind.Decl()
	for i := range d.Relations {
		r := &d.Relations[i]
		ref := e.Ref(r)
		if ref == "" {
			continue
		}
		var list *[]Position
		switch r.Kind {
		case schema.Parent:
			t, inv, _ := c.inverse(e.Kind, r)
			owner := c.ents[t][ref]
			if owner == nil {
				continue
			}
			list = c.children(owner, inv)
		case schema.Reference:
			l := c.rels[e.Kind][r.Slot].byID[ref]
			list = &l
		default:
			continue
		}
		if add {
			*list = insertPos(*list, pos)
		} else if *list = removePos(*list, pos); len(*list) == 0 {
			*list = nil
		}
		if r.Kind == schema.Reference {
			setOrDelete(c.rels[e.Kind][r.Slot].byID, ref, *list)
		}
	}
	for i, m := range c.values[e.Kind] {
		if m == nil {
			continue
		}
		if s, ok := e.Str(i); ok {
			var l []Position
			if add {
				l = insertPos(m[s], pos)
			} else {
				l = removePos(m[s], pos)
			}
			setOrDelete(m, s, l)
		}
	}
}

func setOrDelete(m map[string][]Position, k string, l []Position) {
	if len(l) > 0 {
		m[k] = l
	} else {
		delete(m, k)
	}
}

// unindexLocked removes e's own index entries (not its memberships).
func (a *Account) unindexLocked(e *Entity) {
	pos := positionOf(e)
	a.cat.order[e.Kind].Delete(pos)
	a.indexRefsLocked(e, pos, false)
}

// repositionLocked moves an entity's memberships to its new position (a
// replace through the control API may change created).
func (a *Account) repositionLocked(old *Entity, from, to Position) {
	c := &a.cat
	d := old.Kind.Decl()
	for i := range d.Relations {
		r := &d.Relations[i]
		if r.Kind != schema.Members {
			continue
		}
		_, _, inv := c.inverse(old.Kind, r)
		for _, other := range c.related(old.Kind, old.ID, r) {
			inv.move(other.ID, from, to)
		}
	}
}
