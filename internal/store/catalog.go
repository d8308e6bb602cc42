package store

import (
	"slices"
	"time"

	"github.com/google/btree"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Position is where an entity sorts in lists: by creation time (Unix
// microseconds), then id. It never changes after creation. Positions in
// the indexes also carry the entity's slot, so a list reads the entity
// without a lookup by id.
type Position struct {
	At int64
	ID string

	slot int32 // the entity's slot + 1 (0: none); not part of the order
}

// positionOf returns e's position.
func positionOf(e *Entity) Position { return Position{e.Created.UnixMicro(), e.ID, e.slot} }

// same reports whether two positions are the same place in the order.
func (p Position) same(o Position) bool { return p.At == o.At && p.ID == o.ID }

// Less orders positions.
func (p Position) Less(o Position) bool {
	if p.At != o.At {
		return p.At < o.At
	}
	return p.ID < o.ID
}

// Compare orders positions for slices functions.
func (p Position) Compare(o Position) int {
	switch {
	case p.same(o):
		return 0
	case p.Less(o):
		return -1
	}
	return 1
}

type posTree = btree.BTreeG[Position]

func newPosTree() *posTree { return btree.NewG(16, Position.Less) }

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

func newCatalog() catalog {
	n := len(catalogSchema.Entities())
	c := catalog{ents: make([]map[string]*Entity, n), slots: make([][]*Entity, n), free: make([][]int32, n),
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

// insertPos adds p to a slice in position order.
func insertPos(s []Position, p Position) []Position {
	i, found := slices.BinarySearchFunc(s, p, Position.Compare)
	if found {
		return s
	}
	return slices.Insert(s, i, p)
}

// removePos removes p from a slice in position order.
func removePos(s []Position, p Position) []Position {
	if i, found := slices.BinarySearchFunc(s, p, Position.Compare); found {
		return slices.Delete(s, i, i+1)
	}
	return s
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

// move replaces position from with to in owner's list of this index.
func (ri *relIndex) move(owner string, from, to Position) {
	if ri.byTree != nil {
		if t := ri.byTree[owner]; t != nil {
			t.Delete(from)
			t.ReplaceOrInsert(to)
		}
		return
	}
	ri.byID[owner] = insertPos(removePos(ri.byID[owner], from), to)
}

// add puts p in owner's list; it reports false when it was there.
func (ri *relIndex) add(owner string, p Position) bool {
	if ri.byTree != nil {
		t := ri.byTree[owner]
		if t == nil {
			t = newPosTree()
			ri.byTree[owner] = t
		}
		_, dup := t.ReplaceOrInsert(p)
		return !dup
	}
	l := ri.byID[owner]
	if _, found := slices.BinarySearchFunc(l, p, Position.Compare); found {
		return false
	}
	ri.byID[owner] = insertPos(l, p)
	return true
}

// remove takes the entry of id out of owner's list, reporting whether it
// was there. at is the entry's position when the entity still exists;
// otherwise (it is being removed) the entry is found by id.
func (ri *relIndex) remove(owner, id string, at *Position) bool {
	if ri.byTree != nil {
		t := ri.byTree[owner]
		if t == nil {
			return false
		}
		found := false
		if at != nil {
			_, found = t.Delete(*at)
		} else {
			var p Position
			t.Ascend(func(q Position) bool {
				if q.ID == id {
					p, found = q, true
					return false
				}
				return true
			})
			if found {
				t.Delete(p)
			}
		}
		if t.Len() == 0 {
			delete(ri.byTree, owner)
		}
		return found
	}
	l := ri.byID[owner]
	for i, p := range l {
		if p.ID == id {
			setOrDelete(ri.byID, owner, slices.Delete(l, i, i+1))
			return true
		}
	}
	return false
}

// has reports whether owner's list holds id.
func (ri *relIndex) has(owner, id string) bool {
	if ri.byTree != nil {
		return false // asked of the other side, whose lists are small
	}
	for _, p := range ri.byID[owner] {
		if p.ID == id {
			return true
		}
	}
	return false
}

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
			for _, m := range slices.Clone(c.related(kind, id, r)) {
				a.unlinkLocked(kind, r, id, m.ID, at)
			}
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

// restampLocked stores a copy of an entity with a new stamp: what the
// entity shows changed (an item's variants) though its attributes did not.
func (a *Account) restampLocked(kind EntityKind, id string) {
	e := a.cat.ents[kind][id]
	if e == nil {
		return
	}
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
	if !c.rels[kind][r.Slot].add(owner, positionOf(te)) {
		return
	}
	ii.add(other, positionOf(oe))
	a.bumpLocked(catalogVersion)
	a.grow(linkBytes)
	a.touchSidesLocked(kind, r, owner, t, inv, other, at)
}

// unlinkLocked undoes linkLocked (see it for at).
func (a *Account) unlinkLocked(kind EntityKind, r *schema.Relation, owner, other string, at time.Time) {
	c := &a.cat
	t, inv, ii := c.inverse(kind, r)
	if !c.rels[kind][r.Slot].remove(owner, other, c.positionIfHeld(t, other)) {
		return
	}
	ii.remove(other, owner, c.positionIfHeld(kind, owner))
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
