package store

import (
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// installSourceLocked makes seed's source the seeded entities of kind
// (empty until now): O(1) plus what requests changed before in the kinds
// it relates to. When a kind its relations read is not seeded from a
// source (it was replaced through the control API), the entities are put
// one by one instead, as a generated collection's are.
func (a *Account) installSourceLocked(kind EntityKind, seed Seed) {
	c := &a.cat
	d := kind.Decl()
	for i := range d.Relations {
		r := &d.Relations[i]
		if t := kind.Target(r); t < kind && (r.Kind == schema.Parent || r.Kind == schema.Members) && c.kinds[t].src == nil {
			a.materializeLocked(kind, seed)
			return
		}
	}
	src := seed.Source
	n := uint64(src.Len())
	base := a.nextStamp()
	if n > 1 {
		base = a.stamps.Add(n-1) - (n - 1) // stamps base..base+n-1, all this account's
	}
	k := newSeededKind(src, base, a.madeEnts)
	c.kinds[kind] = k
	if seed.Relations != nil {
		c.rel = seed.Relations
	}
	a.bumpLocked(catalogVersion)
	a.growCat(historyBytes + src.Bytes())
	if r, ok := d.Parent(); ok && c.rel != nil {
		// The children of parents deleted before they were generated.
		pk := c.kinds[kind.Target(r)]
		for i := range pk.hidden {
			if pk.isHeld(pk.src.Position(i).ID) {
				continue
			}
			lo, hi := c.rel.Children(i)
			k.writable()
			for v := lo; v < hi; v++ {
				k.hidden[v], k.gone[v] = struct{}{}, struct{}{}
			}
			a.growCat(int64(hi-lo) * hiddenBytes)
		}
	}
	a.installOverlaysLocked(kind, src)
}

// installOverlaysLocked starts, for each membership kind (seeded from src)
// holds as the owners' side, the overlay of what requests change in it.
func (a *Account) installOverlaysLocked(kind EntityKind, src EntitySource) {
	c := &a.cat
	d := kind.Decl()
	for i := range d.Relations {
		r := &d.Relations[i]
		if r.Kind != schema.Members || !r.Large || c.rel == nil {
			continue
		}
		t := kind.Target(r)
		ov := newMemberOverlay(c.rel, c.kinds[t].src)
		c.members[kind][r.Slot] = ov
		a.growCat(overlayBytes)
		// Members held at another place than seeded (a control API
		// replace) keep the memberships their id has.
		tk := c.kinds[t]
		for i := range tk.gone {
			if e := tk.held[tk.src.Position(i).ID]; e != nil {
				for _, o := range c.rel.MemberOf(i) {
					if o < src.Len() {
						ov.link(o, positionOf(e), -1)
					}
				}
			}
		}
	}
	a.syncOverlayLocked()
}

// materializeLocked puts every entity of seed's source, and links the
// seeded memberships whose entities exist.
func (a *Account) materializeLocked(kind EntityKind, seed Seed) {
	src := seed.Source
	parent, hasParent := kind.Decl().Parent()
	for i := 0; i < src.Len(); i++ {
		e := src.At(i)
		if hasParent && a.cat.get(kind.Target(parent), e.Ref(parent)) == nil {
			continue // its parent was deleted before it was generated
		}
		a.putEntityLocked(e)
	}
	r, ok := kind.Decl().BodyRelation()
	if !ok || r.Kind != schema.Members || seed.Relations == nil || seed.Related == nil {
		return
	}
	for o := 0; o < src.Len(); o++ {
		owner := src.Position(o).ID
		seed.Relations.Members(o, 0, false, func(i int) bool {
			a.linkLocked(kind, r, owner, seed.Related.Position(i).ID, time.Time{})
			return true
		})
	}
}
