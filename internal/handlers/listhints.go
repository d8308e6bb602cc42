package handlers

import "github.com/klaviyo-mock/mockserver/internal/resource"

// listHints are the hints of a resource's lists that name only the
// resource: the next-page hint and the one to fetch one of its items.
// They never change, so New makes them once for each resource
// registered; made per list, they were two allocations of every list.
type listHints struct{ next, one string }

// hintsByResource returns the list hints of every resource of reg.
func hintsByResource(reg *resource.Registry) map[*resource.Resource]listHints {
	m := map[*resource.Resource]listHints{}
	for _, res := range reg.All() {
		m[res] = makeListHints(res)
	}
	return m
}

// makeListHints returns res's list hints: a job resource's, an entity
// resource's, else none.
func makeListHints(res *resource.Resource) listHints {
	switch {
	case res.Job != nil:
		return listHints{next: nextPageHint("jobs"), one: jobGetOneHint(res)}
	case res.Entity != nil:
		return listHints{next: nextPageHint(res.Entity.Kind.Plural()), one: entityOneHint(res)}
	}
	return listHints{}
}

// listHintsOf returns res's list hints, made now for a resource New did
// not see.
func (h *Handler) listHintsOf(res *resource.Resource) listHints {
	if hs, ok := h.hints[res]; ok {
		return hs
	}
	return makeListHints(res)
}
