package store

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// countedPartItems are countedItems that also make an item's title alone
// (a PartSource), counting what they make in parts.
type countedPartItems struct{ countedItems }

func (s countedPartItems) Part(i int, want AttrSet, e *Entity) AttrSet {
	title := attrIndex(itemKind, "title")
	if !want.Has(title) {
		return 0
	}
	s.c.parts.Add(1)
	whole := s.c.made(itemKind, s.c.itemPos(i), "title", fmt.Sprint("item ", i))
	s.c.makes.Add(-1) // a title alone is not a whole entity
	e.Set(title, whole.Value(title))
	return AttrSet(0).With(title)
}

// TestEntityPage_AScanOnOneAttributeMakesNoWholeEntity: a contains filter
// no index covers reads the titles of a source that makes them alone and
// makes only the entities it shows; the page is the one the whole entities
// give, and the entities requests changed win over the seeded ones.
func TestEntityPage_AScanOnOneAttributeMakesNoWholeEntity(t *testing.T) {
	const n = 100_000
	var visits atomic.Int64
	c := &countedCatalog{n: n, partItems: true}
	a := countedAccountOf(t, c, &visits)
	whole, _ := countedAccount(t, n, &visits)
	title := attrIndex(itemKind, "title")
	rename := func(a *Account, i int, to string) {
		t.Helper()
		v := NewEntity(itemKind, "")
		setAttr(v, "title", to)
		if _, eerr, err := a.Write(jobItemUpdate, Element{ID: c.itemPos(i).ID, Set: itemKind.SetOf("title"), Values: *v}, false); eerr != nil || err != nil {
			t.Fatalf("PATCH item %d: %v %v", i, eerr, err)
		}
	}
	for _, acct := range []*Account{a, whole} {
		rename(acct, 99_991, "renamed") // seeded, matched; held, not
		rename(acct, 7, "item 99999 too")
	}
	req := EntityPageRequest{Kind: itemKind, Filter: EntityFilter{Contains: []ValueCond{{Attr: title, Value: "item 9999"}}}}
	c.makes.Store(0)
	c.parts.Store(0)
	page := entityPage(t, a, req)
	made, parts := c.makes.Load(), c.parts.Load()
	var want []string
	for _, e := range entityPage(t, whole, req).Entities {
		want = append(want, e.ID)
	}
	var got []string
	for _, e := range page.Entities {
		got = append(got, e.ID)
	}
	t.Logf("%d shown, %d made whole, %d titles made alone", len(got), made, parts)
	if !slices.Equal(got, want) || len(want) != 11 || want[0] != c.itemPos(7).ID || slices.Contains(want, c.itemPos(99_991).ID) {
		t.Fatalf("the scan showed %v, the whole entities %v", got, want)
	}
	if made > int64(len(got)) || parts < n-2 {
		t.Errorf("a scan of the titles of %d items made %d whole and %d titles alone; want at most %d whole", n, made, parts, len(got))
	}
}

// TestEntityPage_ARelatedListFilteredOnOneAttributeMakesNoWholeEntity: a
// list an index narrows (a category's items) with a condition it does not
// cover (contains(title,…)) reads the titles of the entities it passes
// alone too, and makes only those it shows.
func TestEntityPage_ARelatedListFilteredOnOneAttributeMakesNoWholeEntity(t *testing.T) {
	const n = 100_000
	var visits atomic.Int64
	c := &countedCatalog{n: n, partItems: true}
	a := countedAccountOf(t, c, &visits)
	req := EntityPageRequest{Kind: itemKind, Filter: EntityFilter{
		Related:  []RelatedCond{{Rel: rel(itemKind, "categories"), ID: EntityID("C3")}},
		Contains: []ValueCond{{Attr: attrIndex(itemKind, "title"), Value: "item 9999"}}}}
	made := map[int]bool{}
	c.itemMade = func(i int) { made[i] = true }
	page := entityPage(t, a, req)
	var got []string
	for _, e := range page.Entities {
		got = append(got, e.ID)
	}
	if want := []string{c.itemPos(99_993).ID}; !slices.Equal(got, want) {
		t.Fatalf("C3's items with item 9999 in their title: %v, want %v", got, want)
	}
	if len(made) != 1 || !made[99_993] {
		t.Errorf("a filtered list of C3's %d items made %d of them whole; want item 99993 alone", n/countedCategories, len(made))
	}
}
