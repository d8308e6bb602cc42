package store

import (
	"slices"
	"strings"
)

// A page whose filter no index covers (contains(title,…), published) walks
// every entity of the kind. Of a seeded one it reads first the attributes
// the filter names, when the source makes them alone (a PartSource), and
// makes the entity only when they match: a million titles take well under
// a second where a million entities took seventeen. It walks a view of the
// kind taken under the account's lock (its held entities and hidden
// indexes copied: what requests changed) without the lock, so writes to
// the account do not wait behind it; what the request asks besides the
// entities (relationships, included entities) is read under the lock
// afterwards, for the page's entities only.

// scans reports whether a page of kind with filter f walks every entity of
// the kind: conditions are set and none has an index (ids, a relation, an
// indexed value).
func scans(kind EntityKind, f *EntityFilter) bool {
	if len(f.IDs) > 0 || len(f.Related) > 0 {
		return false
	}
	for _, cond := range f.Equals {
		if catalogValues(kind, cond.Attr) {
			return false
		}
	}
	return len(f.Contains) > 0 || len(f.Equals) > 0
}

// scanPage answers req, a page that scans (see scans), from a view of its
// kind walked without the account's lock.
func (a *Account) scanPage(req EntityPageRequest) EntityPage {
	a.mu.RLock()
	a.views.Lock()
	view := a.cat // shares the account's indexes; only kinds[req.Kind], copied, is read without the lock
	view.kinds = slices.Clone(view.kinds)
	view.kinds[req.Kind] = view.kinds[req.Kind].snapshot()
	a.views.Unlock()
	a.mu.RUnlock()
	page := a.pageIn(&view, req)
	if req.Related || req.Include != nil {
		a.mu.RLock()
		defer a.mu.RUnlock()
		a.extrasLocked(&page, req)
	}
	return page
}

// partFilter returns, for a walk of k filtered by f, the test that drops
// the seeded indexes whose attributes made alone fail a condition of f
// (nil: k's source makes none of them alone). The test reuses one scratch
// entity, so it serves one walk at a time: walks that run one after the
// other (a page's collect, then its exists) may share it.
func (k *seededKind) partFilter(kind EntityKind, f *EntityFilter) func(i int) bool {
	src, ok := k.src.(PartSource)
	var want AttrSet
	for _, conds := range [][]ValueCond{f.Equals, f.Contains} {
		for _, cond := range conds {
			want = want.With(cond.Attr)
		}
	}
	if !ok || want == 0 {
		return nil
	}
	e := NewEntity(kind, "")
	return func(i int) bool {
		clear(e.Vals)
		made := src.Part(i, want, e)
		return !partMatches(e, made, f)
	}
}

// partMatches reports whether e meets every condition of f on the
// attributes in made (the others are not known yet).
func partMatches(e *Entity, made AttrSet, f *EntityFilter) bool {
	for _, cond := range f.Equals {
		if made.Has(cond.Attr) && !e.Matches(cond.Attr, cond.Value) {
			return false
		}
	}
	for _, cond := range f.Contains {
		if s, _ := e.Str(cond.Attr); made.Has(cond.Attr) && !strings.Contains(s, cond.Value.(string)) {
			return false
		}
	}
	return true
}

// partTest returns the test, for a list of k filtered by f (through any
// index), of a position's attributes made alone: false when a seeded
// entity's fail a condition of f, true when they pass or the entity is
// held (nil: k's source makes none of them alone).
func (k *seededKind) partTest(kind EntityKind, f *EntityFilter) func(p Position) bool {
	drop := k.partFilter(kind, f)
	if drop == nil {
		return nil
	}
	return func(p Position) bool {
		if k.isHeld(p.ID) {
			return true
		}
		i, ok := k.seeded(p.ID)
		return !ok || !drop(i)
	}
}
