package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countedCatalog is a seeded catalog made on demand for tests: n items
// ten seconds apart, two variants each (one and two seconds after their
// item, SKU "SKU<index>"), and ten categories before them all, category c
// holding the items i with i mod 10 = c. It counts the entities it makes
// and the positions it computes.
type countedCatalog struct {
	n                int
	makes, positions atomic.Int64
	// parts counts the attributes made alone; partItems seeds the items
	// as a PartSource (countedPartItems).
	parts     atomic.Int64
	partItems bool
	// indexes counts the item ids looked up in the source (Index).
	indexes atomic.Int64
	// itemMade, when set, runs as item i is made.
	itemMade func(i int)
}

const countedCategories = 10

func (c *countedCatalog) itemPos(i int) Position {
	return Position{At: t0.Add(time.Duration(i) * 10 * time.Second).UnixMicro(), ID: EntityID(fmt.Sprintf("I%07d", i))}
}

func (c *countedCatalog) variantPos(v int) Position {
	return Position{At: t0.Add(time.Duration(v/2)*10*time.Second + time.Duration(v%2+1)*time.Second).UnixMicro(),
		ID: EntityID(fmt.Sprintf("I%07d-V%d", v/2, v%2))}
}

func (c *countedCatalog) categoryPos(k int) Position {
	return Position{At: t0.Add(-time.Duration(countedCategories-k) * time.Hour).UnixMicro(), ID: EntityID(fmt.Sprintf("C%d", k))}
}

// made returns an entity of kind at p (counted).
func (c *countedCatalog) made(kind EntityKind, p Position, kv ...any) *Entity {
	c.makes.Add(1)
	e := ent(kind, strings.TrimPrefix(p.ID, EntityID("")), kv...)
	e.Created = time.UnixMicro(p.At).UTC()
	e.Updated = e.Created
	return e
}

// parse returns the number after prefix in id, written with width digits.
func parse(id, prefix string, width, n int) (int, bool) {
	num, ok := strings.CutPrefix(id, EntityID(prefix))
	i, err := strconv.Atoi(num)
	return i, ok && err == nil && i >= 0 && i < n && len(num) == width
}

// Parent, Children, Members and MemberOf make countedCatalog the seeded
// relations.
func (c *countedCatalog) Parent(v int) int            { return v / 2 }
func (c *countedCatalog) Children(i int) (lo, hi int) { return 2 * i, 2*i + 2 }
func (c *countedCatalog) MemberOf(i int) []int        { return []int{i % countedCategories} }
func (c *countedCatalog) Members(k, from int, desc bool, fn func(i int) bool) {
	step := countedCategories
	if desc {
		for i := min(from, c.n-1)/step*step + k; i >= 0; i -= step {
			if i < c.n && i <= from && !fn(i) {
				return
			}
		}
		return
	}
	for i := (max(from, 0)+step-1-k)/step*step + k; i < c.n; i += step {
		if i >= from && !fn(i) {
			return
		}
	}
}

type countedItems struct{ c *countedCatalog }

func (s countedItems) Len() int { return s.c.n }
func (s countedItems) Position(i int) Position {
	s.c.positions.Add(1)
	return s.c.itemPos(i)
}
func (s countedItems) CreatedAt(i int) int64 { return s.c.itemPos(i).At }
func (s countedItems) At(i int) *Entity {
	if s.c.itemMade != nil {
		s.c.itemMade(i)
	}
	return s.c.made(itemKind, s.c.itemPos(i), "title", fmt.Sprint("item ", i))
}
func (s countedItems) Index(id string) (int, bool) {
	s.c.indexes.Add(1)
	if strings.Contains(id, "-V") {
		return 0, false
	}
	return parse(id, "I", 7, s.c.n)
}
func (s countedItems) Lookup(int, string) (int, bool) { return 0, false }
func (s countedItems) Bytes() int64                   { return 64 }

type countedVariants struct{ c *countedCatalog }

func (s countedVariants) Len() int { return 2 * s.c.n }
func (s countedVariants) Position(v int) Position {
	s.c.positions.Add(1)
	return s.c.variantPos(v)
}
func (s countedVariants) At(v int) *Entity {
	e := s.c.made(variantKind, s.c.variantPos(v), "title", fmt.Sprint("variant ", v), "sku", fmt.Sprintf("SKU%07d", v))
	e.SetRef(rel(variantKind, "item"), s.c.itemPos(v/2).ID)
	return e
}
func (s countedVariants) Index(id string) (int, bool) {
	item, n, ok := strings.Cut(id, "-V")
	i, ok2 := parse(item, "I", 7, s.c.n)
	if !ok || !ok2 || (n != "0" && n != "1") {
		return 0, false
	}
	return 2*i + int(n[0]-'0'), true
}
func (s countedVariants) Lookup(attr int, value string) (int, bool) {
	num, ok := strings.CutPrefix(value, "SKU")
	v, err := strconv.Atoi(num)
	return v, ok && err == nil && attr == attrIndex(variantKind, "sku") && v >= 0 && v < 2*s.c.n
}
func (s countedVariants) Bytes() int64 { return 64 }

type countedCategoriesSource struct{ c *countedCatalog }

func (s countedCategoriesSource) Len() int { return countedCategories }
func (s countedCategoriesSource) Position(k int) Position {
	s.c.positions.Add(1)
	return s.c.categoryPos(k)
}
func (s countedCategoriesSource) At(k int) *Entity {
	return s.c.made(categoryKind, s.c.categoryPos(k), "name", fmt.Sprint("category ", k))
}
func (s countedCategoriesSource) Index(id string) (int, bool) {
	return parse(id, "C", 1, countedCategories)
}
func (s countedCategoriesSource) Lookup(int, string) (int, bool) { return 0, false }
func (s countedCategoriesSource) Bytes() int64                   { return 64 }

// countedSeeder seeds the catalog from c's sources.
func countedSeeder(c *countedCatalog) Seeder {
	return func(_ string, col Collection) Seed {
		switch col {
		case collItems:
			if c.partItems {
				return Seed{Source: countedPartItems{countedItems{c}}, Relations: c}
			}
			return Seed{Source: countedItems{c}, Relations: c}
		case collVariants:
			return Seed{Source: countedVariants{c}, Relations: c}
		case collCategories:
			return Seed{Source: countedCategoriesSource{c}, Relations: c, Related: countedItems{c}}
		}
		return Seed{}
	}
}

// countedAccount returns an account of a catalog of n items made on demand
// (no made entity kept, so each page makes what it shows), with the
// entities a page visits counted in visits.
func countedAccount(t testing.TB, n int, visits *atomic.Int64) (*Account, *countedCatalog) {
	t.Helper()
	c := &countedCatalog{n: n}
	return countedAccountOf(t, c, visits), c
}

// countedAccountOf is countedAccount of the catalog c.
func countedAccountOf(t testing.TB, c *countedCatalog, visits *atomic.Int64) *Account {
	t.Helper()
	n := c.n
	s := New(Options{Seed: 1, Seeder: countedSeeder(c), Now: func() time.Time { return t0.Add(time.Duration(n+10) * 10 * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}, MadeJobBytes: -1, compares: visits})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []Collection{collItems, collVariants, collCategories} {
		a.Count(col)
	}
	return a
}

// TestSeededPage_CostDoesNotGrowWithTheCatalog: at a thousand items and a
// million (two million variants), every page of the catalog made on demand
// visits, makes and places about the same number of entities: the kind's
// pages from any cursor, an item's variants, a category's items, an item's
// categories, ids, a SKU and include=variants. (A category's own
// relationship ids, written at the revisions that write relationship data,
// list every item it holds: that costs what it holds.)
func TestSeededPage_CostDoesNotGrowWithTheCatalog(t *testing.T) {
	sizes := []int{1_000, 1_000_000}
	type sized struct {
		a *Account
		c *countedCatalog
		w *atomic.Int64
	}
	accounts := map[int]sized{}
	for _, n := range sizes {
		var w atomic.Int64
		a, c := countedAccount(t, n, &w)
		accounts[n] = sized{a, c, &w}
	}
	var cat countedCatalog
	mid := func(n int) *Position { p := cat.itemPos(n / 2); return &p }
	midVariant := func(n int) *Position { p := cat.variantPos(n); return &p }
	related := func(kind EntityKind, name, id string) EntityFilter {
		return EntityFilter{Related: []RelatedCond{{Rel: rel(kind, name), ID: id}}}
	}
	for name, req := range map[string]func(n int) EntityPageRequest{
		"items":          func(int) EntityPageRequest { return EntityPageRequest{Kind: itemKind} },
		"items mid":      func(n int) EntityPageRequest { return EntityPageRequest{Kind: itemKind, After: mid(n)} },
		"items mid desc": func(n int) EntityPageRequest { return EntityPageRequest{Kind: itemKind, After: mid(n), Desc: true} },
		"items prev":     func(n int) EntityPageRequest { return EntityPageRequest{Kind: itemKind, Before: mid(n)} },
		"variants":       func(int) EntityPageRequest { return EntityPageRequest{Kind: variantKind} },
		"variants mid":   func(n int) EntityPageRequest { return EntityPageRequest{Kind: variantKind, After: midVariant(n)} },
		"categories":     func(int) EntityPageRequest { return EntityPageRequest{Kind: categoryKind} },
		"an item's variants": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: variantKind, Filter: related(variantKind, "item", cat.itemPos(n/2).ID)}
		},
		"a category's items": func(n int) EntityPageRequest {
			last := cat.itemPos(n - 1000) // the last thousand items: a hundred in C3
			return EntityPageRequest{Kind: itemKind, After: &last, Filter: related(itemKind, "categories", EntityID("C3"))}
		},
		"an item's categories": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: categoryKind, Filter: related(categoryKind, "items", cat.itemPos(n-1).ID)}
		},
		"ids": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: itemKind, Filter: EntityFilter{IDs: [][]string{{cat.itemPos(0).ID, cat.itemPos(n / 2).ID, cat.itemPos(n - 1).ID}}}}
		},
		"sku": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: variantKind, Filter: EntityFilter{Equals: []ValueCond{{Attr: attrIndex(variantKind, "sku"), Value: fmt.Sprintf("SKU%07d", n+1)}}}}
		},
		"include=variants": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: itemKind, After: mid(n), Related: true, Include: rel(itemKind, "variants")}
		},
	} {
		cost := func(n int) (visits, makes, positions int64, shown int) {
			s := accounts[n]
			s.w.Store(0)
			s.c.makes.Store(0)
			s.c.positions.Store(0)
			page := entityPage(t, s.a, req(n))
			return s.w.Load(), s.c.makes.Load(), s.c.positions.Load(), len(page.Entities)
		}
		v0, m0, p0, n0 := cost(sizes[0])
		v1, m1, p1, n1 := cost(sizes[1])
		t.Logf("%s: %d shown, %d visited, %d made, %d placed at %d items; %d, %d, %d, %d at %d", name, n0, v0, m0, p0, sizes[0], n1, v1, m1, p1, sizes[1])
		if n0 == 0 || n1 != n0 {
			t.Errorf("%s: %d entities at %d items, %d at %d", name, n0, sizes[0], n1, sizes[1])
		}
		if v1 > v0+v0/5+2 || m1 > m0+m0/5+2 || p1 > p0+p0/5+128 {
			t.Errorf("%s: a page is not O(page + log n): %d visited, %d made, %d placed at %d items against %d, %d, %d at %d",
				name, v1, m1, p1, sizes[1], v0, m0, p0, sizes[0])
		}
	}
}

// Replacing the 65,000 members of a category a million items made on
// demand put in 100,000 is one step under the lock: the new member set is
// built outside it and becomes the category's whole set ("materialized"),
// no member's own list changes, and the category is copied once (touched).
func TestRelate_ReplacingASeededCategorysMembersIsOneStep(t *testing.T) {
	const n = 1_000_000
	w := new(lockWork)
	c := &countedCatalog{n: n}
	s := New(Options{Seed: 1, Seeder: countedSeeder(c), Now: func() time.Time { return t0.Add(time.Duration(n+10) * 10 * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}, lockWork: w})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, 0, 65_000)
	for i := 0; i < 65_000; i++ {
		want = append(want, c.itemPos(i*7).ID) // a tenth of them in C3 before
	}
	if _, err := a.ChildIDs(categoryKind, EntityID("C3"), "items"); err != nil {
		t.Fatal(err)
	}
	w.reset()
	c.makes.Store(0)
	c.positions.Store(0)
	if eerr, err := a.Relate(categoryKind, rel(categoryKind, "items"), EntityID("C3"), RelReplace, want); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	// The sent ids are placed by their created time alone (CreatedSource):
	// only the category's current members' ids are written.
	if got := c.positions.Load(); got > n/countedCategories+100 {
		t.Errorf("replacing 65,000 members wrote %d seeded positions with their ids; want only the current members'", got)
	}
	// Checking and placing the members needs their ids and positions, not
	// the entities: a made item costs tens of microseconds.
	if made := c.makes.Load(); made > 2 {
		t.Errorf("replacing 65,000 members made %d seeded entities; want at most 2 (the category)", made)
	}
	trees, copies, lists := w.trees.Load(), w.copies.Load(), w.lists.Load()
	t.Logf("under the lock: %d tree operations, %d entity copies, %d list steps", trees, copies, lists)
	if trees > 2 || copies > 2 || lists > 0 {
		t.Errorf("replacing 65,000 members of a seeded category: %d tree operations, %d entity copies, %d list steps under the lock; want at most 2, 2 and 0",
			trees, copies, lists)
	}
	if got, _ := a.ChildIDs(categoryKind, EntityID("C3"), "items"); !slices.Equal(got, want) {
		t.Fatalf("%d members after the replacement, want %d", len(got), len(want))
	}
	for _, i := range []int{3, 7, 13, 70} { // in C3 and kept, in C3 and dropped, dropped, added
		in := i%7 == 0 && i/7 < 65_000
		got := slices.Contains(a.relatedIDs(itemKind, c.itemPos(i).ID, "categories"), EntityID("C3"))
		if got != in {
			t.Errorf("item %d in C3 from the item's side: %v, want %v", i, got, in)
		}
	}
}
