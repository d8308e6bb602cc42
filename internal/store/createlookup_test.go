package store

import (
	"fmt"
	"testing"
)

// An element a create job applies has its id looked up once on its way
// into the catalog: applying it asks whether the id is taken (held, or
// shown from the seeded source), and putting it in reuses that answer
// rather than asking the held map and the source twice more (each a cold
// look-up in a map of every item the account has made). The ids of a
// seeded kind are counted through its source; an id the source holds but
// a delete hid is created again at its new place.
func TestCreate_AnElementsIDIsLookedUpOnce(t *testing.T) {
	a, c := countedAccount(t, 1_000, nil)
	run(t, a, CreateRequest{Kind: jobItemDelete, Elements: []Element{{ID: EntityID("I0000003")}}})
	const n = 10
	els := make([]Element, 0, n+1)
	for i := range n {
		ext := fmt.Sprintf("NEW-%d", i)
		els = append(els, Element{ID: EntityID(ext), Set: itemKind.SetOf("external_id", "title"),
			Values: *ent(itemKind, ext, "title", "T-"+ext)})
	}
	els = append(els, Element{ID: EntityID("I0000003"), Set: itemKind.SetOf("external_id", "title"),
		Values: *ent(itemKind, "I0000003", "title", "again")})
	c.indexes.Store(0)
	j := run(t, a, CreateRequest{Kind: jobItemCreate, Pointer: "/p", Elements: els})
	if j.Completed != n+1 {
		t.Fatalf("%d of %d created: %+v", j.Completed, n+1, j.Errors)
	}
	if got := c.indexes.Load(); got > n+1 {
		t.Errorf("%d elements looked their ids up in the source %d times, want once each", n+1, got)
	}
	e, ok, _ := a.Entity(itemKind, EntityID("I0000003"))
	if !ok || attrStr(e, "title") != "again" {
		t.Fatalf("the seeded id created again: %v %+v", ok, e)
	}
	page := entityPage(t, a, EntityPageRequest{Kind: itemKind, Desc: true, Limit: n + 1})
	made := map[string]bool{}
	for _, el := range els {
		made[el.ID] = true
	}
	for _, e := range page.Entities {
		if !made[e.ID] {
			t.Errorf("the newest page shows %s, which the job did not make", e.ID)
		}
		delete(made, e.ID)
	}
	if len(made) != 0 {
		t.Errorf("the newest page lacks %d of the job's entities", len(made))
	}
}
