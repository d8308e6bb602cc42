package store

import (
	"slices"
	"time"

	"github.com/google/btree"
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
	// linkBytes is one item-category membership: an entry in the
	// category's tree and in the item's slice, and a share of each (the
	// slice's spare capacity, the map slot).
	linkBytes = 4 * positionBytes
)

// catalog holds one account's items, variants and categories and the
// indexes that keep every list O(page): each kind in position order, each
// item's variants, each category's items and each item's categories in
// position order, and the variants of each SKU.
type catalog struct {
	ents [NumEntityKinds]map[string]*Entity
	// slots hold every entity by its slot, free the slots to reuse.
	slots [NumEntityKinds][]*Entity
	free  [NumEntityKinds][]int32
	order [NumEntityKinds]*posTree
	// variantsOf holds each item's variants, by the item's slot.
	variantsOf [][]Position
	catItems   map[string]*posTree
	itemCats   map[string][]Position
	skus       map[string][]Position
}

func newCatalog() catalog {
	c := catalog{catItems: map[string]*posTree{},
		itemCats: map[string][]Position{}, skus: map[string][]Position{}}
	for k := range c.ents {
		c.ents[k] = map[string]*Entity{}
		c.order[k] = newPosTree()
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

// variants returns the list of an item's variants (nil when the item does
// not exist), growing the slot table as items get slots.
func (c *catalog) variants(item string) *[]Position {
	e := c.ents[ItemKind][item]
	if e == nil {
		return nil
	}
	for int(e.slot) > len(c.variantsOf) {
		c.variantsOf = append(c.variantsOf, nil)
	}
	return &c.variantsOf[e.slot-1]
}

// variantsOfItem returns an item's variants, in position order.
func (c *catalog) variantsOfItem(item string) []Position {
	if e := c.ents[ItemKind][item]; e != nil {
		return c.variantsOfSlot(e)
	}
	return nil
}

// variantsOfSlot returns the variants of item e, without a lookup by id.
func (c *catalog) variantsOfSlot(e *Entity) []Position {
	if s := int(e.slot) - 1; s >= 0 && s < len(c.variantsOf) {
		return c.variantsOf[s]
	}
	return nil
}

// indexSize is what an entity's index entries cost besides the entity.
func indexSize(e *Entity) int64 {
	n := int64(positionBytes + 8) // and its slot
	if e.Kind == VariantKind {
		n += positionBytes
		if e.Str[StrSKU] != nil {
			n += positionBytes
		}
	}
	return n
}

// putEntityLocked inserts e, or replaces the entity with its id, keeping
// every index in step.
func (a *Account) putEntityLocked(e *Entity) {
	c := &a.cat
	if e.stamp == 0 {
		e.stamp = a.nextStamp()
	}
	a.bumpLocked(Items)
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
	if e.Kind == VariantKind {
		if vs := c.variants(e.Item); vs != nil {
			*vs = insertPos(*vs, pos)
		}
		if s := e.Str[StrSKU]; s != nil {
			c.skus[*s] = insertPos(c.skus[*s], pos)
		}
	}
	a.grow(delta)
}

// unindexLocked removes e's own index entries (not its memberships).
func (a *Account) unindexLocked(e *Entity) {
	c := &a.cat
	pos := positionOf(e)
	c.order[e.Kind].Delete(pos)
	if e.Kind != VariantKind {
		return
	}
	if vs := c.variants(e.Item); vs != nil {
		if *vs = removePos(*vs, pos); len(*vs) == 0 {
			*vs = nil
		}
	}
	if s := e.Str[StrSKU]; s != nil {
		if vs := removePos(c.skus[*s], pos); len(vs) > 0 {
			c.skus[*s] = vs
		} else {
			delete(c.skus, *s)
		}
	}
}

// repositionLocked moves an item's or category's memberships to its new
// position (a replace through the control API may change created).
func (a *Account) repositionLocked(old *Entity, from, to Position) {
	c := &a.cat
	switch old.Kind {
	case ItemKind:
		for _, cat := range c.itemCats[old.ID] {
			if t := c.catItems[cat.ID]; t != nil {
				t.Delete(from)
				t.ReplaceOrInsert(to)
			}
		}
	case CategoryKind:
		if t := c.catItems[old.ID]; t != nil {
			t.Ascend(func(item Position) bool {
				c.itemCats[item.ID] = insertPos(removePos(c.itemCats[item.ID], from), to)
				return true
			})
		}
	}
}

// removeEntityLocked deletes an entity at time at: an item with its
// variants and its category memberships, a category with its memberships
// (its items stay). Categories that lose an item are updated at at.
func (a *Account) removeEntityLocked(kind EntityKind, id string, at time.Time) {
	c := &a.cat
	e, ok := c.ents[kind][id]
	if !ok {
		return
	}
	// Memberships go first, while the entity still says where it sorts.
	switch kind {
	case ItemKind:
		for _, v := range slices.Clone(c.variantsOfItem(id)) {
			a.removeEntityLocked(VariantKind, v.ID, at)
		}
		for _, cat := range slices.Clone(c.itemCats[id]) {
			a.unlinkLocked(cat.ID, id, at)
		}
	case CategoryKind:
		for _, item := range a.relatedLocked(CategoryKind, id) {
			a.unlinkLocked(id, item, time.Time{})
		}
	}
	delete(c.ents[kind], id)
	c.slots[kind][e.slot-1] = nil
	c.free[kind] = append(c.free[kind], e.slot-1)
	a.bumpLocked(Items)
	a.unindexLocked(e)
	a.grow(-e.memSize() - indexSize(e))
	if kind == VariantKind {
		a.restampLocked(ItemKind, e.Item) // its item's variants changed
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
	a.bumpLocked(Items)
}

// linkLocked puts item into category; a category whose items change is
// updated at at (unless at is zero: seeding and restoring change nothing).
func (a *Account) linkLocked(category, item string, at time.Time) {
	c := &a.cat
	ce, ie := c.ents[CategoryKind][category], c.ents[ItemKind][item]
	if ce == nil || ie == nil {
		return
	}
	t := c.catItems[category]
	if t == nil {
		t = newPosTree()
		c.catItems[category] = t
	}
	if _, dup := t.ReplaceOrInsert(positionOf(ie)); dup {
		return
	}
	c.itemCats[item] = insertPos(c.itemCats[item], positionOf(ce))
	a.bumpLocked(Items)
	a.grow(linkBytes)
	a.touchLocked(CategoryKind, category, at)
}

// unlinkLocked takes item out of category (see linkLocked for at).
func (a *Account) unlinkLocked(category, item string, at time.Time) {
	c := &a.cat
	t := c.catItems[category]
	if t == nil {
		return
	}
	var itemPos, catPos Position
	found := false
	for _, p := range c.itemCats[item] {
		if p.ID == category {
			catPos, found = p, true
			break
		}
	}
	if !found {
		return
	}
	if ie := c.ents[ItemKind][item]; ie != nil {
		itemPos = positionOf(ie)
	} else { // the item is being removed: find its entry
		t.Ascend(func(p Position) bool {
			if p.ID == item {
				itemPos = p
				return false
			}
			return true
		})
	}
	t.Delete(itemPos)
	if t.Len() == 0 {
		delete(c.catItems, category)
	}
	if cs := removePos(c.itemCats[item], catPos); len(cs) > 0 {
		c.itemCats[item] = cs
	} else {
		delete(c.itemCats, item)
	}
	a.bumpLocked(Items)
	a.grow(-linkBytes)
	a.touchLocked(CategoryKind, category, at)
}

// touchLocked sets an entity's updated to at (a new value: entities are
// never changed in place); a zero at changes nothing.
func (a *Account) touchLocked(kind EntityKind, id string, at time.Time) {
	e := a.cat.ents[kind][id]
	if at.IsZero() || e == nil || e.Updated.Equal(at) {
		return
	}
	cp := *e
	cp.Updated = at
	cp.stamp = a.nextStamp()
	a.bumpLocked(Items)
	a.cat.ents[kind][id] = &cp
	a.cat.slots[kind][cp.slot-1] = &cp
}

// setRelatedLocked replaces the relationship an element sets: an item's
// categories or a category's items.
func (a *Account) setRelatedLocked(kind EntityKind, id string, related []string, at time.Time) {
	for _, cur := range a.relatedLocked(kind, id) {
		if !slices.Contains(related, cur) {
			a.relateLocked(kind, id, cur, false, at)
		}
	}
	for _, r := range related {
		a.relateLocked(kind, id, r, true, at)
	}
}

// relateLocked links (or unlinks) the entity id of kind and another:
// an item and a category, from either side.
func (a *Account) relateLocked(kind EntityKind, id, other string, link bool, at time.Time) {
	cat, item := other, id
	if kind == CategoryKind {
		cat, item = id, other
	}
	if link {
		a.linkLocked(cat, item, at)
	} else {
		a.unlinkLocked(cat, item, at)
	}
}

// relatedLocked returns the ids an entity's relationship holds, in
// position order: an item's categories, a category's items, a variant's
// item.
func (a *Account) relatedLocked(kind EntityKind, id string) []string {
	c := &a.cat
	switch kind {
	case ItemKind:
		return positionIDs(c.itemCats[id])
	case CategoryKind:
		var out []string
		if t := c.catItems[id]; t != nil {
			out = make([]string, 0, t.Len())
			t.Ascend(func(p Position) bool {
				out = append(out, p.ID)
				return true
			})
		}
		return out
	}
	if e := c.ents[VariantKind][id]; e != nil {
		return []string{e.Item}
	}
	return nil
}

func positionIDs(ps []Position) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// relatedKind is the entity kind an element's Related ids name.
func relatedKind(k EntityKind) EntityKind {
	switch k {
	case ItemKind:
		return CategoryKind
	default: // a category's items, a variant's item
		return ItemKind
	}
}

// VariantIDs returns the ids of an item's variants, in position order.
func (a *Account) VariantIDs(item string) ([]string, error) {
	if err := a.ensure(Items, Variants); err != nil {
		return nil, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return positionIDs(a.cat.variantsOfItem(item)), nil
}
