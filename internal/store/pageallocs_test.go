package store

import "testing"

// The changing row lists the first page of items after each PATCH of
// one of them: a seeded kind with one entity held. Its page walked the
// source through a stack of closures and the variables they captured,
// each made anew for every page (the stream's scan and its position
// method, the merge's cursor and flag, a scan closure for each held
// position, the walk's last entity): 21 allocations a page. The walk's
// state and its hooks are now one value; what is left is the page's
// slice, its collector, filter test and walker, the request they read,
// the walk's state and the visitor of the held positions: 9. Those are
// now one value (the page's pager, its entities in its room), and the
// collections the read needs are listed on the stack: 1.
func TestEntityPage_AFirstPageAfterAChangeAllocatesLittle(t *testing.T) {
	a, _ := cachedCountedAccount(t, 1_000)
	first := entityPage(t, a, EntityPageRequest{Kind: itemKind})
	id := first.Entities[3].ID
	el := Element{ID: id, Set: itemKind.SetOf("title"), Values: *ent(itemKind, id[len(IDPrefix):], "title", "changed")}
	if _, eerr, err := a.Write(jobItemUpdate, el, false); err != nil || eerr != nil {
		t.Fatal(err, eerr)
	}
	req := EntityPageRequest{Kind: itemKind}
	entityPage(t, a, req) // the made entities cached
	n := testing.AllocsPerRun(50, func() {
		if p := entityPage(t, a, req); len(p.Entities) != PageSize || p.Entities[3].ID != id {
			t.Fatalf("a page of %d", len(p.Entities))
		}
	})
	if n > 1 {
		t.Fatalf("a first page after a change allocates %.0f times, want at most 1", n)
	}
}
