package store

import (
	"sync"
	"sync/atomic"
	"testing"
)

// A page that scans every item (a contains filter) walks a view of the
// kind without the account's lock: a write can take the lock while the
// scan is under way, and the page still answers as the account was when it
// began.
func TestEntityPage_AScanHoldsNoLock(t *testing.T) {
	var visits atomic.Int64
	a, c := countedAccount(t, 10_000, &visits)
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	c.itemMade = func(i int) {
		if i == 5_000 {
			once.Do(func() { close(reached); <-release })
		}
	}
	type answer struct {
		page EntityPage
		err  error
	}
	done := make(chan answer)
	go func() {
		page, err := a.EntityPage(EntityPageRequest{Kind: itemKind, Related: true,
			Filter: EntityFilter{Contains: []ValueCond{{Attr: attrIndex(itemKind, "title"), Value: "item 9999"}}}})
		done <- answer{page, err}
	}()
	<-reached
	locked := a.mu.TryLock()
	if locked {
		a.mu.Unlock()
		// A write meanwhile (it would wait behind a lock held by the scan).
		if eerr, err := a.Relate(categoryKind, rel(categoryKind, "items"), EntityID("C9"), RelReplace, nil); eerr != nil || err != nil {
			t.Error(eerr, err)
		}
	}
	close(release)
	got := <-done
	if !locked {
		t.Error("a scanning page holds the account's lock: writes wait behind it")
	}
	if got.err != nil || len(got.page.Entities) != 1 || got.page.Entities[0].ID != c.itemPos(9_999).ID {
		t.Fatalf("the scan answered %d entities (%v)", len(got.page.Entities), got.err)
	}
	if len(got.page.Related) != 1 || len(got.page.Related[0]) != 2 {
		t.Fatalf("the found item's relationship: %v", got.page.Related)
	}
}

// A control API PUT (Replace with Notify) checks the notify rules against
// the entities that may have changed, those held before or after, not
// every seeded variant: it makes none of a hundred thousand items' two
// hundred thousand variants.
func TestReplace_NotifyMakesNoSeededEntity(t *testing.T) {
	var visits atomic.Int64
	a, c := countedAccount(t, 100_000, &visits)
	c.makes.Store(0)
	in := &Contents{Entities: map[EntityKind][]*Entity{categoryKind: {ent(categoryKind, "C-ONLY", "name", "only")}}}
	if cs, err := a.Replace(in, ReplaceOptions{Notify: true, Now: t0}); err != nil || len(cs) > 0 {
		t.Fatal(cs, err)
	}
	if n := c.makes.Load(); n > 100 {
		t.Errorf("a PUT of the categories made %d seeded entities", n)
	}
	if n := a.Count(collVariants); n != 200_000 {
		t.Fatalf("%d variants after the PUT", n)
	}
}
