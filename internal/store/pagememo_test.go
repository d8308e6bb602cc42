package store

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// A memoised page is a wrong answer the moment a write changes which
// entities it holds or their order. After each kind of write, every page
// (read once before the write, so the memo holds it, then twice after)
// answers what a walk of the catalog answers: the same entities (ids and
// values), the same neighbours, the same relationships.
func TestPageMemo_EveryWriteThatChangesAPageIsSeen(t *testing.T) {
	c := &countedCatalog{n: 30}
	first, fifth := c.itemPos(0), c.itemPos(4)
	for _, req := range []EntityPageRequest{
		{Kind: itemKind}, {Kind: itemKind, Limit: 5}, {Kind: itemKind, Desc: true, Limit: 5},
		{Kind: itemKind, Limit: 5, After: &fifth}, {Kind: itemKind, Limit: 5, Before: &fifth},
		{Kind: itemKind, Limit: 3, After: &first}, {Kind: itemKind, Related: true},
		{Kind: itemKind, Filter: EntityFilter{Equals: []ValueCond{{Attr: attrIndex(itemKind, "title"), Value: "changed"}}}},
		{Kind: categoryKind}, {Kind: variantKind, Desc: true},
	} {
		c.n = 30
		pageAfterEachWrite(t, c, req)
	}
}

// pageAfterEachWrite reads req's page before each kind of write (so the
// memo holds it) and compares it, twice, with the page walked after.
func pageAfterEachWrite(t *testing.T, c *countedCatalog, req EntityPageRequest) {
	s := New(Options{Seed: 1, Seeder: countedSeeder(c), Now: func() time.Time { return t0.Add(400 * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}})
	a := mutable(t, s)
	first := c.itemPos(0)
	write := func(k JobKind, el Element) {
		t.Helper()
		if _, eerr, err := a.Write(k, el, false); eerr != nil || err != nil {
			t.Fatal(eerr, err)
		}
	}
	update := func(i int, v string) {
		id := c.itemPos(i).ID
		write(jobItemUpdate, Element{ID: id, Set: itemKind.SetOf("title"), Values: *ent(itemKind, id[len(IDPrefix):], "title", v)})
	}
	// Each kind written once first, away from the steps' entities, so that
	// each keeps a memo before the first step.
	update(20, "warm")
	write(jobCategoryUpdate, Element{ID: c.categoryPos(2).ID, Set: categoryKind.SetOf("name"),
		Values: *ent(categoryKind, c.categoryPos(2).ID[len(IDPrefix):], "name", "warm")})
	write(jobVariantUpdate, Element{ID: c.variantPos(3).ID, Set: variantKind.SetOf("title"),
		Values: *ent(variantKind, c.variantPos(3).ID[len(IDPrefix):], "title", "warm")})
	const moves, stays = "moves", "stays" // what a step does to the account's shape ("": either)
	steps := []struct {
		name, shape string
		do          func()
	}{
		{"nothing", stays, func() {}},
		{"a seeded item updated", moves, func() { update(3, "changed") }}, // first held
		{"a held item updated again", stays, func() { update(3, "changed again") }},
		{"an update of the filtered attribute", moves, func() { update(7, "changed") }},
		{"an item created", moves, func() {
			write(jobItemCreate, Element{ID: EntityID("NEW"), Set: itemKind.SetOf("external_id", "title"), Values: *ent(itemKind, "NEW", "title", "changed")})
		}},
		{"a seeded item deleted", moves, func() { write(jobItemDelete, Element{ID: first.ID}) }},
		{"a held item deleted", moves, func() { write(jobItemDelete, Element{ID: c.itemPos(3).ID}) }},
		{"a created item deleted", moves, func() { write(jobItemDelete, Element{ID: EntityID("NEW")}) }},
		// Neither touches another entity of its kind.
		{"a seeded category deleted", moves, func() { write(jobCategoryDelete, Element{ID: c.categoryPos(1).ID}) }},
		{"a seeded variant deleted", moves, func() { write(jobVariantDelete, Element{ID: c.variantPos(c.n*2 - 1).ID}) }},
		{"a relationship written", "", func() {
			if eerr, err := a.Relate(categoryKind, rel(categoryKind, "items"), c.categoryPos(0).ID, RelReplace, []string{c.itemPos(9).ID}); eerr != nil || err != nil {
				t.Fatal(eerr, err)
			}
		}},
		{"the store reset", "", func() { s.Reset(0, nil, nil); a = mutable(t, s) }},
		{"the store reseeded", "", func() { c.n = 12; s.Reset(2, nil, nil); a = mutable(t, s) }},
		{"the account restored (a control replace)", "", func() {
			in := &Contents{Entities: map[EntityKind][]*Entity{itemKind: {ent(itemKind, "R1", "title", "changed"), ent(itemKind, "R2")}}}
			if cs, err := a.Replace(in, ReplaceOptions{Now: t0}); len(cs) > 0 || err != nil {
				t.Fatal(cs, err)
			}
		}},
	}
	for _, st := range steps {
		entityPage(t, a, req) // the memo holds the page as it was
		before := a.shape
		st.do()
		if moved := a.shape != before; st.shape == moves && !moved || st.shape == stays && moved {
			t.Fatalf("after %s the account's shape moved: %v, want %s", st.name, moved, st.shape)
		}
		for i := range 2 { // a miss, then a hit
			var walked atomic.Int64
			a.work = &walked
			got := pageText(entityPage(t, a, req))
			a.work = nil
			if want := pageText(walkedPage(a, req)); got != want {
				t.Fatalf("after %s, %+v answered\n%s\nwant\n%s", st.name, req, got, want)
			}
			if k := a.cat.kinds[req.Kind]; i == 1 && k != nil && k.order != nil && req.Filter.empty() && walked.Load() != 0 {
				t.Fatalf("after %s, %+v was walked again (%d positions), not read from its memo", st.name, req, walked.Load())
			}
		}
	}
}

// mutable returns the account "k" of s.
func mutable(t *testing.T, s *Store) *Account {
	t.Helper()
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// walkedPage is req's page walked from the catalog, past the memo.
func walkedPage(a *Account, req EntityPageRequest) EntityPage {
	if scans(req.Kind, &req.Filter) {
		return a.scanPage(req)
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	page := a.pageIn(&a.cat, req)
	a.extrasLocked(&page, req)
	return page
}

// pageText is what a page answers: its entities' ids and values, its
// neighbours and relationships.
func pageText(p EntityPage) string {
	s := fmt.Sprintf("next %v prev %v related %v\n", p.HasNext, p.HasPrev, p.Related)
	for _, e := range p.Entities {
		t, _ := e.Str(attrIndex(itemKind, "title"))
		s += fmt.Sprintf("%s %d %q\n", e.ID, e.Stamp(), t)
	}
	return s
}

// A restore (a control replace) puts a new value in place of each kind: a
// page memoised of the kind before is not the page of the kind after, even
// at the same count of writes.
func TestPageMemo_ARestoredKindIsANewOne(t *testing.T) {
	c := &countedCatalog{n: 30}
	s := New(Options{Seed: 1, Seeder: countedSeeder(c), Now: func() time.Time { return t0.Add(400 * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}})
	a := mutable(t, s)
	id := c.itemPos(3).ID
	el := Element{ID: id, Set: itemKind.SetOf("title"), Values: *ent(itemKind, id[len(IDPrefix):], "title", "changed")}
	if _, eerr, err := a.Write(jobItemUpdate, el, false); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	req := EntityPageRequest{Kind: itemKind}
	entityPage(t, a, req)
	shape := a.shape
	in := &Contents{Entities: map[EntityKind][]*Entity{itemKind: {ent(itemKind, "R1", "title", "restored")}}}
	if cs, err := a.Replace(in, ReplaceOptions{Now: t0}); len(cs) > 0 || err != nil {
		t.Fatal(cs, err)
	}
	// The restore let go of the kind it replaced (no longer counted in the
	// account's size): the memo holds nothing of it.
	if m := a.pages.Load()[itemKind].Load(); m == nil || m.set || m.k != nil {
		t.Fatal("after a restore the item kind's page memo still holds the kind it replaced")
	}
	a.mu.Lock()
	a.shape = shape // as if the restore had moved nothing: the kind's value alone tells
	a.mu.Unlock()
	if got, want := pageText(entityPage(t, a, req)), pageText(walkedPage(a, req)); got != want {
		t.Fatalf("after a restore the page answered\n%s\nwant\n%s", got, want)
	}
}
