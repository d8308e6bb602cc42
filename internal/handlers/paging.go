package handlers

import (
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
)

// Both kinds of list (jobs, ordered by id; catalog entities, ordered by
// creation time and id) page the same way: page[cursor] in, bounding the
// store's page from before or after a position, and links and the
// next-page hint out. What differs is what a position is and which cursor
// continues from an item; each list says so, and the rest is here.

// seek reads the page[cursor] c sent into the bounds of its store request:
// at turns the cursor into a position, which bounds the page from before
// (a prev cursor) or from after (a next one). Without a cursor both are
// zero.
func seek[P any](c *call, at func(query.Cursor) (P, *apierror.Error)) (before, after P, aerr *apierror.Error) {
	if !c.q.hasCursor {
		return before, after, nil
	}
	pos, aerr := at(c.q.cursor)
	if aerr != nil {
		return before, after, aerr
	}
	if c.q.cursor.Dir == query.Prev {
		return pos, after, nil
	}
	return before, pos, nil
}

// paged is a page a list returned, as far as its links are concerned.
type paged struct {
	n                int // items on the page
	hasNext, hasPrev bool
	// cursor is the cursor (encoded) continuing in direction dir from the
	// i-th item.
	cursor func(i int, dir query.Direction) string
	// hints is room the caller gives the hints, which pageLinks appends
	// its own to (nil: no room, so an append makes the list): a list's two
	// were two allocations of a slice.
	hints []string
}

// pageLinks returns a page's links, self always and next and prev when
// there are items beyond the page (continuing from its last and first
// items), and the hint to follow next (next, the resource's: a field of p,
// it made p's room and cursor escape to the heap with it).
func pageLinks(c *call, base string, p paged, next string) (render.Links, []string) {
	links := render.Links{Self: selfAt(base, c)}
	hints := p.hints
	if p.n == 0 {
		return links, hints
	}
	if p.hasNext {
		links.Next = pageURL(base, c, c.q.params, p.cursor(p.n-1, query.Next))
		if c.p.AgentHints { // only a revision with hints writes them
			hints = append(hints, next)
		}
	}
	if p.hasPrev {
		links.Prev = pageURL(base, c, c.q.params, p.cursor(0, query.Prev))
	}
	return links, hints
}

// nextPageHint is the hint "Fetch the next page of <items> by following
// links.next." for items, concatenated: one string, where fmt would put
// its argument on the heap too
// (TestEntityHints_AListsHintsAreTheFormatsText compares the two).
func nextPageHint(items string) string {
	return "Fetch the next page of " + items + " by following links.next."
}
