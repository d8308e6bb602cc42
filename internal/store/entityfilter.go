package store

import (
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// EntityFilter holds the conditions an entity list applies; every one
// must hold. Each slice is one condition per element (several equals on
// the same field must all hold).
type EntityFilter struct {
	// IDs: the id is in every list (any(ids,[…])).
	IDs [][]string
	// Related: the entity relates to an id through a relation (an item in
	// a category, a variant of an item, a category holding an item).
	Related []RelatedCond
	// Equals: an attribute equals a value (a string, or a bool).
	Equals []ValueCond
	// Contains: a string attribute contains a value (case-sensitive).
	Contains []ValueCond
}

// empty reports whether f has no condition: keep it in step with the
// fields above (a page memo keeps only pages without one, and a condition
// it missed would be answered from a memo of the unfiltered page).
func (f *EntityFilter) empty() bool {
	return len(f.IDs)+len(f.Related)+len(f.Equals)+len(f.Contains) == 0
}

// RelatedCond is one condition on a relation: the entity relates to ID.
type RelatedCond struct {
	Rel *schema.Relation
	ID  string
}

// ValueCond is one condition on the attribute at index Attr.
type ValueCond struct {
	Attr  int
	Value any
}

// matchLocked reports whether e meets every condition of f.
func (a *Account) matchLocked(e *Entity, f *EntityFilter) bool {
	for _, list := range f.IDs {
		if !slices.Contains(list, e.ID) {
			return false
		}
	}
	for _, cond := range f.Related {
		if !a.relatesLocked(e, cond) {
			return false
		}
	}
	for _, cond := range f.Equals {
		if !e.Matches(cond.Attr, cond.Value) {
			return false
		}
	}
	for _, cond := range f.Contains {
		s, _ := e.Str(cond.Attr)
		if !strings.Contains(s, cond.Value.(string)) {
			return false
		}
	}
	return true
}

// relatesLocked reports whether e relates to cond.ID through cond.Rel.
func (a *Account) relatesLocked(e *Entity, cond RelatedCond) bool {
	r := cond.Rel
	switch r.Kind {
	case schema.Parent, schema.Reference:
		return e.Ref(r) == cond.ID
	case schema.Children:
		t, inv, _ := a.cat.inverse(e.Kind, r)
		child := a.cat.get(t, cond.ID)
		return child != nil && child.Ref(inv) == e.ID
	}
	return a.memberLocked(e.Kind, r, e.ID, cond.ID)
}
