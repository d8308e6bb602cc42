package store

import (
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// removeEntityLocked deletes an entity at time at with what it takes with
// it: its children (an item's variants) and its memberships (a category
// that loses an item is updated at at).
func (a *Account) removeEntityLocked(kind EntityKind, id string, at time.Time) {
	c := &a.cat
	e := c.get(kind, id)
	if e == nil {
		return
	}
	// Relations go first, while the entity still says where it sorts.
	d := kind.Decl()
	for i := range d.Relations {
		r := &d.Relations[i]
		switch r.Kind {
		case schema.Children:
			ck := kind.Target(r)
			for _, ch := range c.childrenOf(kind, id, r) {
				a.removeEntityLocked(ck, ch.ID, at)
			}
		case schema.Members:
			a.dropMembersLocked(kind, r, e, at)
		}
	}
	k := c.kinds[kind]
	delta := int64(0)
	if k.isHeld(id) {
		delta = -e.memSize() - indexSize(e)
	}
	hidden := len(k.hidden)
	k.remove(id)
	a.shape++ // see pageMemo
	delta += int64(len(k.hidden)-hidden) * hiddenBytes
	a.bumpLocked(catalogVersion)
	a.unindexLocked(e)
	a.growCat(delta)
	if r, ok := d.Parent(); ok {
		a.restampLocked(kind.Target(r), e.Ref(r)) // its parent's children changed
	}
}

// dropMembersLocked removes every membership of e (of kind, being removed)
// through r: its own list or tree goes whole (a seeded owner's members
// become an empty set), each member's list loses it, and a member whose
// relation Touches is updated at at. Touching e itself would show
// nowhere: it is being removed.
func (a *Account) dropMembersLocked(kind EntityKind, r *schema.Relation, e *Entity, at time.Time) {
	c := &a.cat
	t, inv, ii := c.inverse(kind, r)
	var touch []string
	if ov, ci, ok := c.seededOwner(kind, r, e.ID); ok {
		if inv.Touches {
			touch = positionIDs(c.membersOf(kind, e.ID, r))
		}
		c.work.tree()
		ov.replace(ci, newPosTree())
		a.bumpLocked(catalogVersion)
	} else if ov, owner := c.overlay(kind, r); ov != nil && !owner {
		pos, idx := positionOf(e), c.kinds[kind].member(e.ID)
		for _, o := range ov.ownersOf(pos, idx) {
			ov.unlink(o, pos, idx)
			touch = append(touch, c.kinds[t].src.Position(o).ID)
		}
		a.bumpLocked(catalogVersion)
	}
	members := c.rels[kind][r.Slot].list(e.ID)
	if len(members) > 0 {
		pos := positionOf(e)
		for _, m := range members {
			ii.remove(m.ID, e.ID, &pos, c.work)
		}
		if own := &c.rels[kind][r.Slot]; own.tree {
			c.work.tree()
			delete(own.byTree, e.ID)
		} else {
			delete(own.byID, e.ID)
		}
		a.bumpLocked(catalogVersion)
		a.growCat(-int64(len(members)) * linkBytes)
		touch = append(touch, positionIDs(members)...)
	}
	a.syncOverlayLocked()
	if inv.Touches {
		for _, id := range touch {
			a.touchLocked(t, id, at)
		}
	}
}

// restampLocked stores a copy of an entity with a new stamp: what the
// entity shows changed (an item's variants) though its attributes did not.
func (a *Account) restampLocked(kind EntityKind, id string) {
	e := a.cat.get(kind, id)
	if e == nil {
		return
	}
	a.cat.work.copied()
	cp := *e
	cp.stamp = a.nextStamp()
	a.holdLocked(&cp)
}

// holdLocked stores cp, a changed copy of an entity at the same position:
// in place when the entity is held, else as the held value replacing the
// seeded one (with its index entries).
func (a *Account) holdLocked(cp *Entity) {
	k := a.cat.kinds[cp.Kind]
	a.bumpLocked(catalogVersion)
	if k.isHeld(cp.ID) {
		k.held[cp.ID] = cp
		return
	}
	a.putEntityLocked(cp)
}

// linkLocked relates owner (of kind) and other through the membership r; a
// side whose relation Touches is updated at at (unless at is zero: seeding
// and restoring change nothing).
func (a *Account) linkLocked(kind EntityKind, r *schema.Relation, owner, other string, at time.Time) {
	c := &a.cat
	t, inv, _ := c.inverse(kind, r)
	oe, te := c.get(kind, owner), c.get(t, other)
	if oe == nil || te == nil || !c.addMember(kind, r, oe, te) {
		return
	}
	a.bumpLocked(catalogVersion)
	if !a.syncOverlayLocked() {
		a.growCat(linkBytes)
	}
	a.touchSidesLocked(kind, r, owner, t, inv, other, at)
}

// unlinkLocked undoes linkLocked (see it for at).
func (a *Account) unlinkLocked(kind EntityKind, r *schema.Relation, owner, other string, at time.Time) {
	c := &a.cat
	t, inv, _ := c.inverse(kind, r)
	oe, te := c.get(kind, owner), c.get(t, other)
	if oe == nil || te == nil || !c.removeMember(kind, r, oe, te) {
		return
	}
	a.bumpLocked(catalogVersion)
	if !a.syncOverlayLocked() {
		a.growCat(-linkBytes)
	}
	a.touchSidesLocked(kind, r, owner, t, inv, other, at)
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
	e := a.cat.get(kind, id)
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
	a.holdLocked(&cp)
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
	oe, te := c.get(kind, owner), c.get(kind.Target(r), other)
	return oe != nil && te != nil && c.isMember(kind, r, oe, te)
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
