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
// indexes that keep every list O(page): each kind's entities, seeded (made
// on demand from a source) and held, in position order; for each
// relation, what each held owner relates to in position order, and for a
// seeded membership what requests changed in it; for each string
// attribute a list filters on by equality, the held entities holding each
// value (a source looks seeded ones up).
type catalog struct {
	kinds []*seededKind
	// rels[kind][relation] indexes the relation from the kind's side.
	rels [][]relIndex
	// values[kind][attribute] indexes string attributes filtered by
	// equality (off for the others).
	values [][]valueIndex
	// members[kind][relation], on the side of a membership whose owners
	// hold many (a category's items), is what requests changed in the
	// seeded membership (nil while the relation is not seeded).
	members [][]*memberOverlay
	// rel computes the seeded relations (nil: none seeded).
	rel SeededRelations
	// bytes is the catalog's share of the account's estimated size, ovN
	// the entries of the members' overlays it counts.
	bytes int64
	ovN   int
	// work, when set (tests), counts index work (see lockWork).
	work *lockWork
}

func newCatalog(work *lockWork) catalog {
	n := len(catalogSchema.Entities())
	c := catalog{work: work, kinds: make([]*seededKind, n), rels: make([][]relIndex, n),
		values: make([][]valueIndex, n), members: make([][]*memberOverlay, n)}
	// Each kind's slices are cut from one array of each type (a new
	// account's catalog, made for every account restored).
	nRels, nAttrs := 0, 0
	for _, d := range catalogSchema.Entities() {
		nRels, nAttrs = nRels+len(d.Relations), nAttrs+len(d.Attrs)
	}
	rels, members, values := make([]relIndex, nRels), make([]*memberOverlay, nRels), make([]valueIndex, nAttrs)
	for _, d := range catalogSchema.Entities() {
		k, nr, na := d.Index, len(d.Relations), len(d.Attrs)
		c.kinds[k] = newSeededKind(nil, 0, nil)
		c.rels[k], rels = rels[:nr:nr], rels[nr:]
		c.members[k], members = members[:nr:nr], members[nr:]
		for i := range d.Relations {
			r := &d.Relations[i]
			c.rels[k][i] = relIndex{rel: r, tree: r.Kind == schema.Members && r.Large, holders: r.Kind == schema.Reference}
		}
		c.values[k], values = values[:na:na], values[na:]
		for _, i := range valueAttrs[k] {
			c.values[k][i].on = true
		}
	}
	return c
}

// get returns the entity of kind with id, or nil.
func (c *catalog) get(kind EntityKind, id string) *Entity { return c.kinds[kind].get(id) }

// related returns, in position order, what entity id of kind relates to
// through r: its children, its parent or referenced id, or its members.
func (c *catalog) related(kind EntityKind, id string, r *schema.Relation) []Position {
	switch r.Kind {
	case schema.Children:
		return c.childrenOf(kind, id, r)
	case schema.Parent, schema.Reference:
		if e := c.get(kind, id); e != nil && e.Ref(r) != "" {
			if p := c.get(kind.Target(r), e.Ref(r)); p != nil {
				return []Position{positionOf(p)}
			}
			return []Position{{ID: e.Ref(r)}}
		}
		return nil
	}
	return c.membersOf(kind, id, r)
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
	for _, i := range valueAttrs[e.Kind] {
		if e.IsSet(i) {
			n += positionBytes
		}
	}
	return n
}

// putEntityLocked inserts e, or replaces the entity with its id (held or
// seeded), keeping every index in step. An account's own entity is given
// its public key as its id (fixtures and state documents leave it empty)
// before the id is looked up.
func (a *Account) putEntityLocked(e *Entity) {
	a.stampPublicKey(e)
	a.putFoundLocked(e, a.cat.kinds[e.Kind].find(e.ID))
}

// putFoundLocked is putEntityLocked, with f what the kind's find(e.ID)
// returns now (a job's element, looked up once to be checked and put):
// e.ID is final (no kind a job writes has the account's public key as
// its id).
func (a *Account) putFoundLocked(e *Entity, f found) {
	if e.Kind.Decl().ID == schema.IDServer {
		a.ids.Observe(e.ID) // ids made later stay above it
	}
	c := &a.cat
	if e.stamp == 0 {
		e.stamp = a.nextStamp()
	}
	a.bumpLocked(catalogVersion)
	k := c.kinds[e.Kind]
	pos := positionOf(e)
	delta := e.memSize() + indexSize(e)
	var moved []memberMove
	if old := f.held; old != nil {
		delta -= old.memSize() + indexSize(old)
		a.unindexLocked(old)
		if oldPos := positionOf(old); !oldPos.same(pos) {
			moved = a.unlinkMovedLocked(old, oldPos, pos)
		}
	} else if f.shown {
		// A seeded entity shown from the source has no index entries of
		// its own (only held ones do): it is not made to be replaced.
		if oldPos := k.src.Position(f.i); !oldPos.same(pos) {
			moved = a.unlinkMovedLocked(&Entity{Kind: e.Kind, ID: e.ID}, oldPos, pos)
		}
	}
	hidden := len(k.hidden)
	if k.putFound(e, f) {
		a.shape++ // the kind's entities or their order changed: see pageMemo
	}
	delta += int64(len(k.hidden)-hidden) * hiddenBytes
	for _, m := range moved {
		m.ov.link(m.owner, pos, -1)
	}
	a.indexRefsLocked(e, pos, true)
	a.growCat(delta)
	a.syncOverlayLocked()
}

// syncOverlayLocked counts what the seeded memberships' overlays hold now
// (linkBytes an entry); it reports whether that changed.
func (a *Account) syncOverlayLocked() bool {
	n := 0
	for _, rs := range a.cat.members {
		for _, ov := range rs {
			if ov != nil {
				n += ov.n
			}
		}
	}
	d := n - a.cat.ovN
	a.cat.ovN = n
	a.growCat(int64(d) * linkBytes)
	return d != 0
}

// growCat adds delta to the catalog's share of the account's size.
func (a *Account) growCat(delta int64) {
	a.cat.bytes += delta
	a.grow(delta)
}
