package store

import "slices"

// A page whose filter no index covers (contains(title,…), published) walks
// every entity of the kind, making each seeded one it passes: seconds at a
// million. It walks a view of the kind taken under the account's lock (its
// held entities and hidden indexes copied: what requests changed) without
// the lock, so writes to the account do not wait behind it; what the
// request asks besides the entities (relationships, included entities) is
// read under the lock afterwards, for the page's entities only.

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
