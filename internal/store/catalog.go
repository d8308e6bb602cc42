package store

import (
	"slices"
)

// linkBytes estimates one item-category membership (an entry in two maps, and a share of each item's small set).
const linkBytes = 288

// putEntityLocked inserts e, or replaces the entity with its id.
func (a *Account) putEntityLocked(e *Entity) {
	m := a.ents[e.Kind]
	old, existed := m[e.ID]
	m[e.ID] = e
	delta := e.memSize()
	if existed {
		delta -= old.memSize()
	} else if e.Kind == VariantKind {
		a.variantsOf[e.Item] = append(a.variantsOf[e.Item], e.ID)
		delta += 16
	}
	a.grow(delta)
}

// removeEntityLocked deletes an entity: an item with its variants and its
// category memberships, a category with its memberships (its items stay).
func (a *Account) removeEntityLocked(kind EntityKind, id string) {
	e, ok := a.ents[kind][id]
	if !ok {
		return
	}
	delete(a.ents[kind], id)
	a.grow(-e.memSize())
	switch kind {
	case ItemKind:
		for _, v := range a.variantsOf[id] {
			if ve, ok := a.ents[VariantKind][v]; ok {
				delete(a.ents[VariantKind], v)
				a.grow(-ve.memSize() - 16)
			}
		}
		delete(a.variantsOf, id)
		for cat := range a.itemCats[id] {
			a.unlinkLocked(cat, id)
		}
	case VariantKind:
		list := a.variantsOf[e.Item]
		if i := slices.Index(list, id); i >= 0 {
			a.variantsOf[e.Item] = slices.Delete(list, i, i+1)
			a.grow(-16)
		}
		if len(a.variantsOf[e.Item]) == 0 {
			delete(a.variantsOf, e.Item)
		}
	case CategoryKind:
		for item := range a.catItems[id] {
			a.unlinkLocked(id, item)
		}
	}
}

// linkLocked puts item into category.
func (a *Account) linkLocked(category, item string) {
	if _, ok := a.catItems[category][item]; ok {
		return
	}
	if a.catItems[category] == nil {
		a.catItems[category] = map[string]struct{}{}
	}
	if a.itemCats[item] == nil {
		a.itemCats[item] = map[string]struct{}{}
	}
	a.catItems[category][item] = struct{}{}
	a.itemCats[item][category] = struct{}{}
	a.grow(linkBytes)
}

// unlinkLocked takes item out of category.
func (a *Account) unlinkLocked(category, item string) {
	if _, ok := a.catItems[category][item]; !ok {
		return
	}
	delete(a.catItems[category], item)
	delete(a.itemCats[item], category)
	if len(a.catItems[category]) == 0 {
		delete(a.catItems, category)
	}
	if len(a.itemCats[item]) == 0 {
		delete(a.itemCats, item)
	}
	a.grow(-linkBytes)
}

// setRelatedLocked replaces the relationship an element sets: an item's
// categories or a category's items.
func (a *Account) setRelatedLocked(kind EntityKind, id string, related []string) {
	switch kind {
	case ItemKind:
		for cat := range a.itemCats[id] {
			if !slices.Contains(related, cat) {
				a.unlinkLocked(cat, id)
			}
		}
		for _, cat := range related {
			a.linkLocked(cat, id)
		}
	case CategoryKind:
		for item := range a.catItems[id] {
			if !slices.Contains(related, item) {
				a.unlinkLocked(id, item)
			}
		}
		for _, item := range related {
			a.linkLocked(id, item)
		}
	}
}

// relatedLocked returns the ids an entity's relationship holds, sorted: an
// item's categories, a category's items, a variant's item.
func (a *Account) relatedLocked(e *Entity) []string {
	var set map[string]struct{}
	switch e.Kind {
	case ItemKind:
		set = a.itemCats[e.ID]
	case CategoryKind:
		set = a.catItems[e.ID]
	case VariantKind:
		return []string{e.Item}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
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

// VariantIDs returns the ids of an item's variants, in creation order.
func (a *Account) VariantIDs(item string) ([]string, error) {
	if err := a.ensure(Items, Variants); err != nil {
		return nil, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return slices.Clone(a.variantsOf[item]), nil
}
