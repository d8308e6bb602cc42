package store

import (
	"slices"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Back in stock: the declared notify rules (schema.Notify) are carried out
// here, whatever changes the entity they watch: an entity PATCH, a bulk
// job's element, or a control API PUT.

// watch is a notify rule seen from the kind whose entities it watches.
type watch struct {
	owner EntityKind       // the kind whose Reference has the rule
	rel   *schema.Relation // that Reference
	when  int              // the watched attribute's index
	into  EntityKind       // the kind of the records
	each  int              // the owner's attribute fanned out
}

// watchers are, by entity kind, the rules watching its entities: derived
// once from the declaration, never changed.
var watchers = func() [][]watch {
	out := make([][]watch, len(catalogSchema.Entities()))
	for _, k := range Kinds() {
		d := k.Decl()
		for i := range d.Relations {
			r := &d.Relations[i]
			if r.Notify == nil {
				continue
			}
			t := k.Target(r)
			when, _, _ := t.Attr(r.Notify.When)
			each, _, _ := k.Attr(r.Notify.Each)
			into, _ := KindOfType(r.Notify.Into)
			out[t] = append(out[t], watch{owner: k, rel: r, when: when, into: into, each: each})
		}
	}
	return out
}()

// above0 reports whether e holds more than 0 in numeric attribute i.
func above0(e *Entity, i int) bool {
	if n, ok := e.Num(i); ok {
		return n > 0
	}
	n, ok := e.Int(i)
	return ok && n > 0
}

// notifyLocked carries out the rules watching cur's kind, cur having just
// replaced old (nil: it is new, and nothing came back): for each rule
// whose attribute went from 0 or less (or null) to more than 0, every
// entity naming cur through the rule's Reference gets its records, made
// at at.
func (a *Account) notifyLocked(old, cur *Entity, at time.Time) {
	if old == nil {
		return
	}
	for _, w := range watchers[cur.Kind] {
		if above0(old, w.when) || !above0(cur, w.when) {
			continue
		}
		owners := slices.Clone(a.cat.rels[w.owner][w.rel.Slot].byID[cur.ID])
		if len(owners) == 0 || a.ensureLocked(EntityCollection(w.into), nil) != nil {
			continue
		}
		for _, p := range owners {
			if owner := a.cat.get(w.owner, p.ID); owner != nil {
				a.recordLocked(w, owner, at)
			}
		}
	}
}

// recordLocked stores the records rule w makes for owner: one per value of
// its fanned-out attribute (see schema.Notify).
func (a *Account) recordLocked(w watch, owner *Entity, at time.Time) {
	n, d := w.rel.Notify, w.into.Decl()
	values, _ := owner.Strings(w.each)
	for _, v := range values {
		rec := NewEntity(w.into, a.ids.Next(at))
		rec.Created, rec.Updated = at, at
		for i := range d.Attrs {
			ra := &d.Attrs[i]
			switch {
			case ra.Name == n.OwnerAs:
				rec.Set(i, StrPtr(owner.ID))
			case ra.Name == n.EachAs:
				rec.Set(i, StrPtr(v))
			case ra.Role == schema.Plain:
				if j, oa, ok := w.owner.Attr(ra.Name); ok && oa.Type == ra.Type {
					rec.Vals[i] = owner.Value(j)
				}
			}
		}
		for i := range d.Relations {
			r := &d.Relations[i]
			if or, ok := w.owner.Decl().Relation(r.Name); ok && !r.Many() && !or.Many() {
				rec.SetRef(r, owner.Ref(or))
			}
		}
		a.putEntityLocked(rec)
	}
}

// notifyAllLocked carries out every rule for the entities of the catalog
// against their values in prev (the catalog's entities before it was
// rebuilt, by kind and id): a control API PUT that raises a variant's
// stock notifies as a PATCH would. Of a kind seeded from the same source
// before and after, only the entities held before or after can differ.
func (a *Account) notifyAllLocked(prev *catalog, at time.Time) {
	for _, k := range Kinds() {
		if len(watchers[k]) == 0 {
			continue
		}
		// In position order, so the records' ids do not depend on a map's.
		for _, e := range a.changedLocked(prev, k) {
			a.notifyLocked(prev.get(k, e.ID), e, at)
		}
	}
}

// changedLocked returns, in position order, the entities of kind k that may
// differ from prev's: every one, unless both are seeded from a source (the
// same: a rebuild keeps it or takes the one the seeder makes), then those
// held in either.
func (a *Account) changedLocked(prev *catalog, k EntityKind) []*Entity {
	cur, old := a.cat.kinds[k], prev.kinds[k]
	if cur.src == nil || old.src == nil {
		return a.cat.all(k)
	}
	var out []*Entity
	for _, e := range cur.held {
		out = append(out, e)
	}
	for id := range old.held {
		if _, held := cur.held[id]; !held {
			if e := cur.get(id); e != nil {
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(x, y *Entity) int { return positionOf(x).Compare(positionOf(y)) })
	return out
}
