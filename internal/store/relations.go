package store

import (
	"slices"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// removeEntityLocked deletes an entity at time at with what it takes with
// it: its children (an item's variants) and its memberships (a category
// that loses an item is updated at at).
func (a *Account) removeEntityLocked(kind EntityKind, id string, at time.Time) {
	c := &a.cat
	e, ok := c.ents[kind][id]
	if !ok {
		return
	}
	// Relations go first, while the entity still says where it sorts.
	d := kind.Decl()
	for i := range d.Relations {
		r := &d.Relations[i]
		switch r.Kind {
		case schema.Children:
			ck := kind.Target(r)
			for _, ch := range slices.Clone(c.childrenOf(e, r)) {
				a.removeEntityLocked(ck, ch.ID, at)
			}
		case schema.Members:
			a.dropMembersLocked(kind, r, e, at)
		}
	}
	delete(c.ents[kind], id)
	c.slots[kind][e.slot-1] = nil
	c.free[kind] = append(c.free[kind], e.slot-1)
	a.bumpLocked(catalogVersion)
	a.unindexLocked(e)
	a.grow(-e.memSize() - indexSize(e))
	if r, ok := d.Parent(); ok {
		a.restampLocked(kind.Target(r), e.Ref(r)) // its parent's children changed
	}
}

// dropMembersLocked removes every membership of e (of kind, being removed)
// through r: its own list or tree goes whole, each member's list loses it,
// and a member whose relation Touches is updated at at. Touching e itself
// would show nowhere: it is being removed.
func (a *Account) dropMembersLocked(kind EntityKind, r *schema.Relation, e *Entity, at time.Time) {
	c := &a.cat
	members := c.related(kind, e.ID, r)
	if len(members) == 0 {
		return
	}
	t, inv, ii := c.inverse(kind, r)
	pos := positionOf(e)
	for _, m := range members {
		ii.remove(m.ID, e.ID, &pos, c.work)
	}
	if own := &c.rels[kind][r.Slot]; own.byTree != nil {
		c.work.tree()
		delete(own.byTree, e.ID)
	} else {
		delete(own.byID, e.ID)
	}
	a.bumpLocked(catalogVersion)
	a.grow(-int64(len(members)) * linkBytes)
	if inv.Touches {
		for _, m := range members {
			a.touchLocked(t, m.ID, at)
		}
	}
}

// restampLocked stores a copy of an entity with a new stamp: what the
// entity shows changed (an item's variants) though its attributes did not.
func (a *Account) restampLocked(kind EntityKind, id string) {
	e := a.cat.ents[kind][id]
	if e == nil {
		return
	}
	a.cat.work.copied()
	cp := *e
	cp.stamp = a.nextStamp()
	a.cat.ents[kind][id] = &cp
	a.cat.slots[kind][cp.slot-1] = &cp
	a.bumpLocked(catalogVersion)
}

// linkLocked relates owner (of kind) and other through the membership r; a
// side whose relation Touches is updated at at (unless at is zero: seeding
// and restoring change nothing).
func (a *Account) linkLocked(kind EntityKind, r *schema.Relation, owner, other string, at time.Time) {
	c := &a.cat
	t, inv, ii := c.inverse(kind, r)
	oe, te := c.ents[kind][owner], c.ents[t][other]
	if oe == nil || te == nil {
		return
	}
	if !c.rels[kind][r.Slot].add(owner, positionOf(te), c.work) {
		return
	}
	ii.add(other, positionOf(oe), c.work)
	a.bumpLocked(catalogVersion)
	a.grow(linkBytes)
	a.touchSidesLocked(kind, r, owner, t, inv, other, at)
}

// unlinkLocked undoes linkLocked (see it for at).
func (a *Account) unlinkLocked(kind EntityKind, r *schema.Relation, owner, other string, at time.Time) {
	c := &a.cat
	t, inv, ii := c.inverse(kind, r)
	if !c.rels[kind][r.Slot].remove(owner, other, c.positionIfHeld(t, other), c.work) {
		return
	}
	ii.remove(other, owner, c.positionIfHeld(kind, owner), c.work)
	a.bumpLocked(catalogVersion)
	a.grow(-linkBytes)
	a.touchSidesLocked(kind, r, owner, t, inv, other, at)
}

// positionIfHeld returns the position of an entity the catalog holds.
func (c *catalog) positionIfHeld(kind EntityKind, id string) *Position {
	if e := c.ents[kind][id]; e != nil {
		p := positionOf(e)
		return &p
	}
	return nil
}

func (a *Account) touchSidesLocked(kind EntityKind, r *schema.Relation, owner string, t EntityKind, inv *schema.Relation, other string, at time.Time) {
	if r.Touches {
		a.touchLocked(kind, owner, at)
	}
	if inv.Touches {
		a.touchLocked(t, other, at)
	}
}

// touchLocked sets an entity's updated to at (a new value: entities are
// never changed in place); a zero at changes nothing.
func (a *Account) touchLocked(kind EntityKind, id string, at time.Time) {
	e := a.cat.ents[kind][id]
	if at.IsZero() || e == nil {
		return
	}
	if e.Updated.Equal(at) {
		// Touched again within one instant: updated stays, but what it
		// shows changed, and a new stamp tells the caches.
		a.restampLocked(kind, id)
		return
	}
	a.cat.work.copied()
	cp := *e
	cp.Updated = at
	cp.stamp = a.nextStamp()
	a.bumpLocked(catalogVersion)
	a.cat.ents[kind][id] = &cp
	a.cat.slots[kind][cp.slot-1] = &cp
}

// setRelatedLocked replaces the members of owner through r with related.
func (a *Account) setRelatedLocked(kind EntityKind, r *schema.Relation, owner string, related []string, at time.Time) {
	want := make(map[string]bool, len(related))
	for _, id := range related {
		want[id] = true
	}
	for _, cur := range positionIDs(a.cat.related(kind, owner, r)) {
		if !want[cur] {
			a.unlinkLocked(kind, r, owner, cur, at)
		}
	}
	for _, id := range related {
		a.linkLocked(kind, r, owner, id, at)
	}
}

// memberLocked reports whether owner relates to other through membership r.
func (a *Account) memberLocked(kind EntityKind, r *schema.Relation, owner, other string) bool {
	c := &a.cat
	if own := &c.rels[kind][r.Slot]; own.byTree == nil {
		return own.has(owner, other)
	}
	_, _, ii := c.inverse(kind, r)
	return ii.has(other, owner)
}

func positionIDs(ps []Position) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// ChildIDs returns the ids of an entity's children through its relation
// named rel, in position order.
func (a *Account) ChildIDs(kind EntityKind, id, rel string) ([]string, error) {
	r, ok := kind.Decl().Relation(rel)
	if !ok {
		return nil, nil
	}
	if err := a.ensure(EntityCollection(kind), EntityCollection(kind.Target(r))); err != nil {
		return nil, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return positionIDs(a.cat.related(kind, id, r)), nil
}
