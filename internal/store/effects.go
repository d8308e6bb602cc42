package store

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// applyLocked carries out one element of a job of kind at time at: create
// inserts the entity (an existing id, a missing parent or unknown related
// ids fail the element and change nothing), update patches only the
// attributes sent (a relationship sent replaces the set), delete removes
// (with what the entity takes with it).
//
// plan, when current (see currentLocked), is the membership replacement
// worked out for el already: its ids were checked, and it is applied as is.
func (a *Account) applyLocked(kind JobKind, el *Element, at time.Time, plan *memberPlan) *ElementError {
	ek := kind.Entity()
	// Klaviyo keeps catalog times to the millisecond (observed
	// 2026-07-02T04:48:48.762000+00:00).
	at = at.Truncate(time.Millisecond)
	if kind.Action() == schema.Delete {
		if a.cat.get(ek, el.ID) == nil {
			return errNotFound(ek, el.ID)
		}
		a.removeEntityLocked(ek, el.ID, at)
		return nil
	}
	// The id is looked up once, to check it here and to put the entity
	// below (nothing between changes the kind).
	k := a.cat.kinds[ek]
	f := k.find(el.ID)
	old := k.entity(f)
	exists := old != nil
	switch {
	case kind.Action() == schema.Create && exists:
		return errExists(ek, el.ID)
	case kind.Action() == schema.Update && !exists:
		return errNotFound(ek, el.ID)
	}
	rel, _ := elementRelation(ek, kind.Action())
	if el.HasRelated && rel != nil && plan == nil {
		if eerr := a.checkRelatedLocked(ek, rel, el); eerr != nil {
			return eerr
		}
	}
	var e Entity
	if exists {
		e = *old
		e.stamp = 0 // a new value
		e.Vals = slices.Clone(e.Vals)
	} else {
		var eerr *ElementError
		if e, eerr = newElementEntity(ek, rel, el, at); eerr != nil { // its own Vals
			return eerr
		}
	}
	for i := range ek.Attrs() {
		if el.Set.Has(i) {
			e.Copy(i, &el.Values)
		}
	}
	e.Kind, e.ID = ek, el.ID
	e.Updated = at
	a.putFoundLocked(&e, f)
	a.notifyLocked(old, &e, at) // a variant back in stock
	if rel != nil && rel.Kind == schema.Parent && !exists {
		a.restampLocked(ek.Target(rel), e.Ref(rel)) // its parent's children changed
	}
	if el.HasRelated && rel != nil && rel.Kind == schema.Members {
		a.setMembersLocked(ek, rel, el, plan, at)
	}
	return nil
}

// newElementEntity is the entity a create element makes before its
// attributes are copied: its times, its defaults and, for a kind with a
// parent, the parent it must name.
func newElementEntity(ek EntityKind, rel *schema.Relation, el *Element, at time.Time) (Entity, *ElementError) {
	e := Entity{Kind: ek, defaulted: true, ID: el.ID, ExternalID: el.Values.ExternalID, Created: at, Updated: at, Vals: createdSlots(ek, el)}
	e.initRefs()
	if rel != nil && rel.Kind == schema.Parent {
		if !el.HasRelated || len(el.Related) != 1 {
			member := strings.ReplaceAll(strings.TrimPrefix(strings.TrimSuffix(parentAt(el), "/id"), "/"), "/", ".")
			return Entity{}, &ElementError{"invalid", "Invalid input.",
				"A " + strings.ReplaceAll(ek.Type(), "-", " ") + " needs its parent " + ek.Target(rel).Decl().Singular +
					" in " + strings.TrimSuffix(member, ".0") + ".", "/relationships"}
		}
		e.SetRef(rel, el.Related[0])
	}
	return e, nil
}

// createdSlots returns the value slots of the entity a create element el
// makes: its kind's defaults, up to the last value el sends (an item
// sending its title, description, price and url: five slots of twelve).
// The entity reads its other defaults past them (Entity.defaulted).
func createdSlots(ek EntityKind, el *Element) []any {
	vals := make([]any, bits.Len32(uint32(el.Set)))
	copy(vals, kindDefaults[ek])
	return vals
}

// setMembersLocked replaces the members an element sends, with its plan
// when it has one.
func (a *Account) setMembersLocked(ek EntityKind, rel *schema.Relation, el *Element, plan *memberPlan, at time.Time) {
	if plan != nil {
		a.applyMembersLocked(ek, rel, el.ID, plan, at)
		return
	}
	a.setRelatedLocked(ek, rel, el.ID, el.Related, at)
}

// elementRelation is the relation an element of kind and action names in
// its relationships: a new entity's parent, else the relation bodies set.
func elementRelation(kind EntityKind, act schema.Action) (*schema.Relation, bool) {
	d := kind.Decl()
	if r, ok := d.Parent(); ok {
		if act == schema.Create {
			return r, true
		}
		return nil, false
	}
	return d.BodyRelation()
}

// parentAt is where a new entity's parent id was sent.
func parentAt(el *Element) string {
	if el.ParentAt != "" {
		return el.ParentAt
	}
	return "/relationships/item/data/id"
}

// checkRelatedLocked fails an element whose related ids do not all exist.
func (a *Account) checkRelatedLocked(ek EntityKind, rel *schema.Relation, el *Element) *ElementError {
	rk := ek.Target(rel)
	for j, id := range el.Related {
		if a.cat.get(rk, id) == nil {
			member := fmt.Sprintf("/relationships/%s/data/%d/id", rel.Name, j)
			if rel.Kind == schema.Parent {
				member = parentAt(el)
			}
			return errRelated(rk, id, member)
		}
	}
	return nil
}

// Write carries out one element at once, as the entity endpoints do: a
// create, update or delete of one entity, with the same rules (and the same
// element errors) as a job element. It returns the entity as stored, with
// its relationship ids when related; nothing changes when the element
// fails or does not fit the memory budget.
func (a *Account) Write(kind JobKind, el Element, related bool) (EntityView, *ElementError, error) {
	ek := kind.Entity()
	if err := a.ensureCatalog(ek, true, true); err != nil {
		return EntityView{}, nil, err
	}
	plan := a.planWrite(kind, &el)
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	if !a.currentLocked(plan) {
		plan = nil // changed meanwhile: made under the lock
	}
	if kind.Action() != schema.Delete {
		need := el.Values.memSize() + indexSize(&el.Values) + int64(len(el.Related))*linkBytes
		if err := a.reserve(need); err != nil {
			return EntityView{}, nil, err
		}
	}
	if eerr := a.applyLocked(kind, &el, now, plan); eerr != nil {
		return EntityView{}, eerr, nil
	}
	if kind.Action() == schema.Delete {
		return EntityView{}, nil, nil
	}
	v, _, _ := a.viewLocked(ek, el.ID, related, nil)
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

// Relate changes the membership r of entity id of kind (an item's
// categories, a category's items): adds the ids, replaces the set with
// them, or removes them. An unknown owner is a not_found element error; an
// unknown id an invalid one (Member "/data/<i>/id"), and nothing changes. A
// side whose relation Touches is updated now.
func (a *Account) Relate(kind EntityKind, r *schema.Relation, id string, act RelAction, others []string) (*ElementError, error) {
	rk := kind.Target(r)
	if err := a.ensure(EntityCollection(kind), EntityCollection(rk)); err != nil {
		return nil, err
	}
	if plannedRelate(kind, r, act, len(others)) {
		return a.relateBulk(kind, r, id, act, others)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	return a.relateLocked(kind, r, id, act, others, now)
}

// checkRelateLocked fails a relationship write whose owner or related ids
// do not exist.
func (a *Account) checkRelateLocked(kind EntityKind, r *schema.Relation, id string, others []string) *ElementError {
	if !a.cat.has(kind, id) {
		return errNotFound(kind, id)
	}
	return a.checkOthersLocked(kind, r, others)
}

// checkOthersLocked fails a relationship write whose related ids do not all
// exist.
func (a *Account) checkOthersLocked(kind EntityKind, r *schema.Relation, others []string) *ElementError {
	rk := kind.Target(r)
	for i, o := range others {
		if !a.cat.has(rk, o) {
			return errRelated(rk, o, fmt.Sprintf("/data/%d/id", i))
		}
	}
	return nil
}

// relateLocked carries out Relate one member at a time.
func (a *Account) relateLocked(kind EntityKind, r *schema.Relation, id string, act RelAction, others []string, now time.Time) (*ElementError, error) {
	if eerr := a.checkRelateLocked(kind, r, id, others); eerr != nil {
		return eerr, nil
	}
	if act != RelRemove {
		if err := a.reserve(int64(len(others)) * linkBytes); err != nil {
			return nil, err
		}
	}
	at := now.Truncate(time.Millisecond)
	switch act {
	case RelReplace:
		a.setRelatedLocked(kind, r, id, others, at)
	case RelAdd:
		for _, o := range others {
			a.linkLocked(kind, r, id, o, at)
		}
	default:
		for _, o := range others {
			a.unlinkLocked(kind, r, id, o, at)
		}
	}
	return nil, nil
}
