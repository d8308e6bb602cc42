package store

import (
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// The catalog's relations read through what is seeded and what is held:
// an item's variants are its seeded range (less those hidden) merged with
// the variants held under it; a seeded category's items are computed (see
// memberOverlay) and a created category's held; an item's categories are
// the seeded ones computed to hold it merged with the created ones held.

// list returns owner's held positions through this index, in order.
func (ri *relIndex) list(owner string) []Position {
	if ri.tree {
		t := ri.byTree[owner]
		if t == nil {
			return nil
		}
		out := make([]Position, 0, t.Len())
		t.Ascend(func(p Position) bool { out = append(out, p); return true })
		return out
	}
	return ri.byID[owner]
}

// overlay returns the seeded membership r of kind belongs to (nil when r
// is not a seeded membership) and whether kind is its owners' side (the
// side whose owners hold many: a category's items).
func (c *catalog) overlay(kind EntityKind, r *schema.Relation) (*memberOverlay, bool) {
	if r.Kind != schema.Members {
		return nil, false
	}
	if r.Large {
		return c.members[kind][r.Slot], true
	}
	t, inv, _ := c.inverse(kind, r)
	return c.members[t][inv.Slot], false
}

// seededOwner returns the seeded membership of r and the owner index of
// id, when id (of kind, on the owners' side of r) is a seeded owner's id:
// its members are then the overlay's, not the held index's.
func (c *catalog) seededOwner(kind EntityKind, r *schema.Relation, id string) (*memberOverlay, int, bool) {
	ov, owner := c.overlay(kind, r)
	if ov == nil || !owner {
		return nil, 0, false
	}
	i, ok := c.kinds[kind].index(id)
	return ov, i, ok
}

// goneOf returns the test of kind's seeded indexes no longer what the
// seeded relations say of them.
func (c *catalog) goneOf(kind EntityKind) func(int) bool { return c.kinds[kind].isGone }

// childWalker walks owner id's children through r (a Children relation of
// kind): its seeded range less the hidden ones, merged with the held ones.
func (c *catalog) childWalker(kind EntityKind, id string, r *schema.Relation) walker {
	held := c.rels[kind][r.Slot].byID[id]
	t := kind.Target(r)
	tk := c.kinds[t]
	i, ok := c.kinds[kind].index(id)
	if !ok || c.rel == nil || tk.src == nil {
		return sliceWalker(held)
	}
	lo, hi := c.rel.Children(i)
	s := rangeStream(tk.src, lo, hi)
	hidden := func(i int) bool { _, h := tk.hidden[i]; return h }
	return func(from *Position, desc bool, fn func(Position) bool) {
		mergeWalker(s, hidden, sliceWalker(held), from, desc, nil, func(p Position, _ int) bool { return fn(p) })
	}
}

// childrenOf returns owner id's children through r, in position order.
func (c *catalog) childrenOf(kind EntityKind, id string, r *schema.Relation) []Position {
	return collectWalker(c.childWalker(kind, id, r))
}

func collectWalker(w walker) []Position {
	var out []Position
	w(nil, false, func(p Position) bool { out = append(out, p); return true })
	return out
}

// memberWalker walks what id (of kind) holds through membership r.
func (c *catalog) memberWalker(kind EntityKind, id string, r *schema.Relation) walker {
	if ov, ci, ok := c.seededOwner(kind, r, id); ok {
		gone := c.goneOf(kind.Target(r))
		return func(from *Position, desc bool, fn func(Position) bool) {
			ov.walk(ci, gone, from, desc, nil, func(p Position, _ int) bool { return fn(p) })
		}
	}
	ri := &c.rels[kind][r.Slot]
	if ri.tree {
		if t := ri.byTree[id]; t != nil {
			return treeWalker(t)
		}
		return sliceWalker(nil)
	}
	ov, _ := c.overlay(kind, r)
	if ov == nil {
		return sliceWalker(ri.byID[id])
	}
	return sliceWalker(c.membersOf(kind, id, r))
}

// membersOf returns what id (of kind) holds through membership r, in
// position order.
func (c *catalog) membersOf(kind EntityKind, id string, r *schema.Relation) []Position {
	ov, owner := c.overlay(kind, r)
	switch {
	case ov == nil:
		return c.rels[kind][r.Slot].list(id)
	case owner:
		return collectWalker(c.memberWalker(kind, id, r))
	}
	// A member's side: the seeded owners holding it, and the held ones.
	out := slices.Clone(c.rels[kind][r.Slot].byID[id])
	e := c.get(kind, id)
	if e == nil {
		return out
	}
	t := kind.Target(r)
	for _, o := range ov.ownersOf(positionOf(e), c.kinds[kind].member(id)) {
		if oe := c.get(t, c.kinds[t].src.Position(o).ID); oe != nil {
			out = insertPos(out, positionOf(oe))
		}
	}
	return out
}

// seededPair returns, when the membership of oe (of kind) and te through r
// is a seeded one (its owner, a category, has a seeded index), the overlay
// that holds it and the pair as the overlay names it: the owner's index,
// the member's position and the member's seeded index (-1 when gone).
func (c *catalog) seededPair(kind EntityKind, r *schema.Relation, oe, te *Entity) (ov *memberOverlay, owner int, at Position, member int, ok bool) {
	ov, isOwner := c.overlay(kind, r)
	if ov == nil {
		return nil, 0, Position{}, 0, false
	}
	own, mem := oe, te
	if !isOwner {
		own, mem = te, oe
	}
	owner, ok = c.kinds[own.Kind].index(own.ID)
	if !ok {
		return nil, 0, Position{}, 0, false
	}
	return ov, owner, positionOf(mem), c.kinds[mem.Kind].member(mem.ID), true
}

// addMember relates oe (of kind) and te through membership r; it reports
// false when they were related.
func (c *catalog) addMember(kind EntityKind, r *schema.Relation, oe, te *Entity) bool {
	if ov, ci, at, mi, ok := c.seededPair(kind, r, oe, te); ok {
		return ov.link(ci, at, mi)
	}
	_, _, ii := c.inverse(kind, r)
	if !c.rels[kind][r.Slot].add(oe.ID, positionOf(te), c.work) {
		return false
	}
	ii.add(te.ID, positionOf(oe), c.work)
	return true
}

// removeMember undoes addMember; it reports false when they were not
// related.
func (c *catalog) removeMember(kind EntityKind, r *schema.Relation, oe, te *Entity) bool {
	if ov, ci, at, mi, ok := c.seededPair(kind, r, oe, te); ok {
		return ov.unlink(ci, at, mi)
	}
	_, _, ii := c.inverse(kind, r)
	po, pt := positionOf(oe), positionOf(te)
	if !c.rels[kind][r.Slot].remove(oe.ID, te.ID, &pt, c.work) {
		return false
	}
	ii.remove(te.ID, oe.ID, &po, c.work)
	return true
}

// isMember reports whether oe (of kind) and te are related through r.
func (c *catalog) isMember(kind EntityKind, r *schema.Relation, oe, te *Entity) bool {
	if ov, ci, at, mi, ok := c.seededPair(kind, r, oe, te); ok {
		return ov.has(ci, at, mi)
	}
	if own := &c.rels[kind][r.Slot]; !own.tree {
		return own.has(oe.ID, te.ID)
	}
	_, _, ii := c.inverse(kind, r)
	return ii.has(te.ID, oe.ID)
}

// each calls fn with every entity of kind in position order until fn
// returns false (seeded ones are made as it goes).
func (c *catalog) each(kind EntityKind, fn func(e *Entity) bool) {
	c.kinds[kind].walk(nil, false, nil, fn)
}

// all returns every entity of kind, in position order.
func (c *catalog) all(kind EntityKind) []*Entity {
	out := make([]*Entity, 0, c.kinds[kind].len())
	c.each(kind, func(e *Entity) bool { out = append(out, e); return true })
	return out
}
