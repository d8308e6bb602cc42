package store

import (
	"fmt"
	"strings"
	"time"
)

// applyLocked carries out one element of a job of kind at time at: create
// inserts the entity (an existing id, a missing parent item or unknown
// related ids fail the element and change nothing), update patches only the
// attributes sent (a relationship sent replaces the set), delete removes
// (an item with its variants and memberships).
func (a *Account) applyLocked(kind JobKind, el *Element, at time.Time) *ElementError {
	ek := kind.Entity()
	// Klaviyo keeps catalog times to the millisecond (observed
	// 2026-07-02T04:48:48.762000+00:00).
	at = at.Truncate(time.Millisecond)
	if kind.Action() == Delete {
		if _, ok := a.cat.ents[ek][el.ID]; !ok {
			return errNotFound(ek, el.ID)
		}
		a.removeEntityLocked(ek, el.ID, at)
		return nil
	}
	old, exists := a.cat.ents[ek][el.ID]
	switch {
	case kind.Action() == Create && exists:
		return errExists(ek, el.ID)
	case kind.Action() == Update && !exists:
		return errNotFound(ek, el.ID)
	}
	if el.HasRelated {
		if eerr := a.checkRelatedLocked(ek, el); eerr != nil {
			return eerr
		}
	}
	var e Entity
	if exists {
		e = *old
		e.stamp = 0 // a new value
	} else {
		e = newEntity(ek, el, at)
		if ek == VariantKind {
			if !el.HasRelated || len(el.Related) != 1 {
				member := strings.ReplaceAll(strings.TrimPrefix(strings.TrimSuffix(parentAt(el), "/id"), "/"), "/", ".")
				return &ElementError{"invalid", "Invalid input.",
					"A catalog variant needs its parent item in " + strings.TrimSuffix(member, ".0") + ".", "/relationships"}
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
	if ek == VariantKind && !exists {
		a.restampLocked(ItemKind, e.Item) // its item's variants changed
	}
	if el.HasRelated && ek != VariantKind {
		a.setRelatedLocked(ek, el.ID, el.Related, at)
	}
	return nil
}

// parentAt is where a new variant's parent item id was sent.
func parentAt(el *Element) string {
	if el.ParentAt != "" {
		return el.ParentAt
	}
	return "/relationships/item/data/id"
}

// checkRelatedLocked fails an element whose related ids do not all exist.
func (a *Account) checkRelatedLocked(ek EntityKind, el *Element) *ElementError {
	rk := relatedKind(ek)
	for j, id := range el.Related {
		if _, ok := a.cat.ents[rk][id]; !ok {
			member := fmt.Sprintf("/relationships/%s/data/%d/id", relatedKey(ek), j)
			if ek == VariantKind {
				member = parentAt(el)
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

// Write carries out one element at once, as the entity endpoints do: a
// create, update or delete of one entity, with the same rules (and the same
// element errors) as a job element. It returns the entity as stored, with
// its relationship ids when related; nothing changes when the element
// fails or does not fit the memory budget.
func (a *Account) Write(kind JobKind, el Element, related bool) (EntityView, *ElementError, error) {
	ek := kind.Entity()
	if err := a.ensure(catalogNeeds(ek, true, true)...); err != nil {
		return EntityView{}, nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	if kind.Action() != Delete {
		need := el.Values.memSize() + indexSize(&el.Values) + int64(len(el.Related))*linkBytes
		if err := a.reserve(need); err != nil {
			return EntityView{}, nil, err
		}
	}
	if eerr := a.applyLocked(kind, &el, now); eerr != nil {
		return EntityView{}, eerr, nil
	}
	if kind.Action() == Delete {
		return EntityView{}, nil, nil
	}
	v, _, _ := a.viewLocked(ek, el.ID, related, false)
	return v, nil, nil
}

// RelAction is what a relationship write does with the ids it sends.
type RelAction uint8

// Relationship writes (POST, PATCH, DELETE on …/relationships/<x>).
const (
	RelAdd RelAction = iota
	RelReplace
	RelRemove
)

// Relate changes the relationship of an item (its categories) or a
// category (its items): adds the ids, replaces the set with them, or
// removes them. An unknown owner is a not_found element error; an unknown
// id an invalid one (Member "/data/<i>/id"), and nothing changes. A
// category whose items change is updated now.
func (a *Account) Relate(kind EntityKind, id string, act RelAction, others []string) (*ElementError, error) {
	if err := a.ensure(Items, Categories); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	if a.cat.ents[kind][id] == nil {
		return errNotFound(kind, id), nil
	}
	rk := relatedKind(kind)
	for i, o := range others {
		if a.cat.ents[rk][o] == nil {
			return errRelated(rk, o, fmt.Sprintf("/data/%d/id", i)), nil
		}
	}
	if act != RelRemove {
		if err := a.reserve(int64(len(others)) * linkBytes); err != nil {
			return nil, err
		}
	}
	at := now.Truncate(time.Millisecond)
	switch act {
	case RelReplace:
		a.setRelatedLocked(kind, id, others, at)
	default:
		for _, o := range others {
			a.relateLocked(kind, id, o, act == RelAdd, at)
		}
	}
	return nil, nil
}
