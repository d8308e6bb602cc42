package store

import (
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

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
			_, inv, _ := c.inverse(e.Kind, r)
			l := c.rels[e.Kind.Target(r)][inv.Slot].byID[ref]
			list = &l
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
			setOrDelete(&c.rels[e.Kind][r.Slot].byID, ref, *list)
		} else {
			_, inv, _ := c.inverse(e.Kind, r)
			setOrDelete(&c.rels[e.Kind.Target(r)][inv.Slot].byID, ref, *list)
		}
	}
	for i := range c.values[e.Kind] {
		vi := &c.values[e.Kind][i]
		if !vi.on {
			continue
		}
		if s, ok := e.Str(i); ok {
			var l []Position
			if add {
				l = insertPos(vi.byValue[s], pos)
			} else {
				l = removePos(vi.byValue[s], pos)
			}
			setOrDelete(&vi.byValue, s, l)
		}
	}
}

// unindexLocked removes e's own index entries (not its memberships).
func (a *Account) unindexLocked(e *Entity) {
	pos := positionOf(e)
	if o := a.cat.kinds[e.Kind].order; o != nil { // nil: the kind was never written
		o.Delete(pos)
	}
	a.indexRefsLocked(e, pos, false)
}

// memberMove is a membership of a seeded owner to make again at an
// entity's new position.
type memberMove struct {
	ov    *memberOverlay
	owner int
}

// unlinkMovedLocked takes an entity moving from position from (a replace
// through the control API may change created) out of its memberships:
// those of held owners move in their indexes at once; those of seeded
// owners are returned, to be made again once the entity is held at its new
// position.
func (a *Account) unlinkMovedLocked(old *Entity, from, to Position) []memberMove {
	c := &a.cat
	d := old.Kind.Decl()
	var out []memberMove
	for i := range d.Relations {
		r := &d.Relations[i]
		if r.Kind != schema.Members {
			continue
		}
		if ov, owner := c.overlay(old.Kind, r); ov != nil && !owner {
			idx := c.kinds[old.Kind].member(old.ID)
			for _, o := range ov.ownersOf(from, idx) {
				ov.unlink(o, from, idx)
				out = append(out, memberMove{ov, o})
			}
		}
		_, _, inv := c.inverse(old.Kind, r)
		for _, other := range c.rels[old.Kind][r.Slot].list(old.ID) {
			inv.move(other.ID, from, to)
		}
	}
	return out
}
