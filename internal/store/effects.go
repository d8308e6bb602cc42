package store

import (
	"fmt"
	"time"
)

// applyLocked carries out one element of a job of kind at time at: create
// inserts the entity (an existing id, a missing parent item or unknown
// related ids fail the element and change nothing), update patches only the
// attributes sent (a relationship sent replaces the set), delete removes
// (an item with its variants and memberships).
func (a *Account) applyLocked(kind JobKind, el *Element, at time.Time) *ElementError {
	ek := kind.Entity()
	if kind.Action() == Delete {
		if _, ok := a.ents[ek][el.ID]; !ok {
			return errNotFound(ek, el.ID)
		}
		a.removeEntityLocked(ek, el.ID)
		return nil
	}
	old, exists := a.ents[ek][el.ID]
	switch {
	case kind.Action() == Create && exists:
		return errExists(ek, el.ID)
	case kind.Action() == Update && !exists:
		return errNotFound(ek, el.ID)
	}
	if el.HasRelated {
		if eerr := a.checkRelatedLocked(ek, el.Related); eerr != nil {
			return eerr
		}
	}
	var e Entity
	if exists {
		e = *old
	} else {
		e = newEntity(ek, el, at)
		if ek == VariantKind {
			if !el.HasRelated || len(el.Related) != 1 {
				return &ElementError{"invalid", "Invalid input.",
					"A catalog variant needs its parent item in relationships.item.data.", "/relationships"}
			}
			e.Item = el.Related[0]
		}
	}
	for i, attr := range ek.Attrs() {
		if el.Set.Has(i) {
			attr.Copy(&e, &el.Values)
		}
	}
	e.Kind, e.ID = ek, el.ID
	e.Updated = at
	a.putEntityLocked(&e)
	if el.HasRelated && ek != VariantKind {
		a.setRelatedLocked(ek, el.ID, el.Related)
	}
	return nil
}

// checkRelatedLocked fails an element whose related ids do not all exist.
func (a *Account) checkRelatedLocked(ek EntityKind, related []string) *ElementError {
	rk := relatedKind(ek)
	for j, id := range related {
		if _, ok := a.ents[rk][id]; !ok {
			member := fmt.Sprintf("/relationships/%s/data/%d/id", relatedKey(ek), j)
			if ek == VariantKind {
				member = "/relationships/item/data/id"
			}
			return errRelated(rk, id, member)
		}
	}
	return nil
}

// relatedKey is the relationship member an element of kind k sets.
func relatedKey(k EntityKind) string {
	switch k {
	case ItemKind:
		return "categories"
	case VariantKind:
		return "item"
	}
	return "items"
}

// newEntity returns a new entity of kind k with Klaviyo's defaults for what
// a create leaves out (observed: empty image URLs, no images, empty
// metadata, published; a variant's inventory_policy 0; price null).
func newEntity(k EntityKind, el *Element, at time.Time) Entity {
	e := Entity{Kind: k, ID: el.ID, ExternalID: el.Values.ExternalID, Created: at, Updated: at}
	if k == CategoryKind {
		return e
	}
	empty := ""
	e.Str[StrImageFullURL], e.Str[StrImageThumbnailURL] = &empty, &empty
	e.Imgs = &[]string{}
	e.Meta = []byte("{}")
	published := true
	e.Pub = &published
	if k == VariantKind {
		zero := 0
		e.Int = &zero
	}
	return e
}
