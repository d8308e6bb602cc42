package store

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// flatSeeder seeds n items created a second apart (in reverse id order,
// so position order is not id order), every tenth unpublished, the even
// ones in category C0 and every item with one variant.
func flatSeeder(n int) Seeder {
	return func(key string, c Collection) Seed {
		var seed Seed
		switch c {
		case collItems:
			for i := 0; i < n; i++ {
				e := ent(itemKind, fmt.Sprintf("I%07d", n-i), "published", i%10 != 0)
				e.Created = t0.Add(time.Duration(i) * time.Second)
				seed.Entities = append(seed.Entities, e)
			}
		case collVariants:
			for i := 0; i < n; i++ {
				e := ent(variantKind, fmt.Sprintf("V%07d", i), "sku", fmt.Sprint("SKU", i%7))
				e.SetRef(rel(variantKind, "item"), EntityID(fmt.Sprintf("I%07d", n-i)))
				e.Created = t0.Add(time.Duration(i) * time.Second)
				seed.Entities = append(seed.Entities, e)
			}
		case collCategories:
			c0 := ent(categoryKind, "C0")
			c0.Created = t0
			seed.Entities = []*Entity{c0}
			for i := 0; i < n; i += 2 {
				seed.Members = append(seed.Members, [2]string{EntityID("C0"), EntityID(fmt.Sprintf("I%07d", n-i))})
			}
		}
		return seed
	}
}

func flatAccount(t testing.TB, n int, work *atomic.Int64) *Account {
	t.Helper()
	s := New(Options{Seed: 1, Seeder: flatSeeder(n), Now: func() time.Time { return t0.Add(time.Duration(n+10) * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}, compares: work})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Collection{collItems, collVariants, collCategories} {
		a.Count(c)
	}
	return a
}

func entityPage(t testing.TB, a *Account, req EntityPageRequest) EntityPage {
	t.Helper()
	p, err := a.EntityPage(req)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func idList(es []*Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// walk pages through a list with next (or prev) positions and returns the
// ids seen.
func walk(t *testing.T, a *Account, req EntityPageRequest) []string {
	t.Helper()
	var seen []string
	for pages := 0; ; pages++ {
		p := entityPage(t, a, req)
		seen = append(seen, idList(p.Entities)...)
		if !p.HasNext {
			return seen
		}
		last := positionOf(p.Entities[len(p.Entities)-1])
		req.After = &last
		if pages > 1000 {
			t.Fatal("endless paging")
		}
	}
}

func TestEntityPage_OrderFiltersAndCursors(t *testing.T) {
	a := flatAccount(t, 250, nil)
	all := walk(t, a, EntityPageRequest{Kind: itemKind, Limit: 7})
	if len(all) != 250 || all[0] != EntityID("I0000250") || all[249] != EntityID("I0000001") {
		t.Fatalf("%d items, from %s to %s: want creation order", len(all), all[0], all[len(all)-1])
	}
	desc := walk(t, a, EntityPageRequest{Kind: itemKind, Desc: true, Limit: 9})
	if !slices.Equal(desc, reversed(all)) {
		t.Fatal("-created is not the reverse of created")
	}
	unpublished := walk(t, a, EntityPageRequest{Kind: itemKind, Limit: 4, Filter: EntityFilter{Equals: []ValueCond{{Attr: attrIndex(itemKind, "published"), Value: false}}}})
	inCat := walk(t, a, EntityPageRequest{Kind: itemKind, Limit: 11, Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(itemKind, "categories"), ID: EntityID("C0")}}}})
	if len(unpublished) != 25 || len(inCat) != 125 || inCat[1] != all[2] {
		t.Fatalf("%d unpublished, %d in C0 (second %s)", len(unpublished), len(inCat), inCat[1])
	}
	both := walk(t, a, EntityPageRequest{Kind: itemKind, Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(itemKind, "categories"), ID: EntityID("C0")}}, Equals: []ValueCond{{Attr: attrIndex(itemKind, "published"), Value: false}}}})
	if len(both) != 25 { // every tenth item is unpublished, and even
		t.Fatalf("%d unpublished items in C0, want 25", len(both))
	}
	ids := walk(t, a, EntityPageRequest{Kind: itemKind, Limit: 2, Filter: EntityFilter{IDs: [][]string{{all[9], all[3], "nope", all[5]}}}})
	if !slices.Equal(ids, []string{all[3], all[5], all[9]}) {
		t.Fatalf("any(ids) gave %v", ids)
	}
	if got := walk(t, a, EntityPageRequest{Kind: itemKind, Filter: EntityFilter{IDs: [][]string{{all[3], all[5]}, {all[5]}}}}); !slices.Equal(got, []string{all[5]}) {
		t.Fatalf("two any(ids) conditions gave %v", got)
	}
	sku := walk(t, a, EntityPageRequest{Kind: variantKind, Limit: 5, Filter: EntityFilter{Equals: []ValueCond{{Attr: attrIndex(variantKind, "sku"), Value: "SKU3"}}}})
	if len(sku) != 36 {
		t.Fatalf("%d variants of SKU3", len(sku))
	}
	of := walk(t, a, EntityPageRequest{Kind: variantKind, Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(variantKind, "item"), ID: EntityID("I0000250")}}}})
	cats := walk(t, a, EntityPageRequest{Kind: categoryKind, Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(categoryKind, "items"), ID: EntityID("I0000250")}}}})
	none := walk(t, a, EntityPageRequest{Kind: categoryKind, Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(categoryKind, "items"), ID: EntityID("I0000249")}}}})
	if !slices.Equal(of, []string{EntityID("V0000000")}) || !slices.Equal(cats, []string{EntityID("C0")}) || len(none) != 0 {
		t.Fatalf("variants of the first item %v, its categories %v, the second's %v", of, cats, none)
	}

	// A page resumes after a cursor whose entity was deleted since.
	first := entityPage(t, a, EntityPageRequest{Kind: itemKind, Limit: 10})
	cursor := positionOf(first.Entities[9])
	if _, eerr, err := a.Write(jobItemDelete, Element{ID: first.Entities[9].ID}, false); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	next := entityPage(t, a, EntityPageRequest{Kind: itemKind, Limit: 10, After: &cursor})
	if next.Entities[0].ID != all[10] || !next.HasPrev || !next.HasNext {
		t.Fatalf("after a deleted cursor: %s (prev %v next %v)", next.Entities[0].ID, next.HasPrev, next.HasNext)
	}
	// A prev cursor returns the page before it; before the first, the first page.
	back := positionOf(next.Entities[0])
	prev := entityPage(t, a, EntityPageRequest{Kind: itemKind, Limit: 4, Before: &back})
	if !slices.Equal(idList(prev.Entities), []string{all[5], all[6], all[7], all[8]}) || !prev.HasPrev || !prev.HasNext {
		t.Fatalf("prev page %v (prev %v next %v)", idList(prev.Entities), prev.HasPrev, prev.HasNext)
	}
	start := positionOf(first.Entities[0])
	if p := entityPage(t, a, EntityPageRequest{Kind: itemKind, Limit: 3, Before: &start}); p.HasPrev || p.Entities[0].ID != all[0] {
		t.Fatalf("before the first: %v", idList(p.Entities))
	}
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// TestEntityPage_CostDoesNotGrowWithTheCatalog counts the entities a page
// visits at a thousand and at a hundred thousand items: the first page, one
// from the middle, one backwards, one of a category and one of a filter
// that skips nine in ten cost the same at both sizes.
func TestEntityPage_CostDoesNotGrowWithTheCatalog(t *testing.T) {
	sizes := []int{1_000, 100_000}
	if testing.Short() {
		sizes[1] = 10_000
	}
	type sized struct {
		a *Account
		w *atomic.Int64
	}
	accounts := map[int]sized{}
	for _, n := range sizes {
		var w atomic.Int64
		accounts[n] = sized{flatAccount(t, n, &w), &w}
	}
	mid := func(n int) *Position {
		p := Position{At: t0.Add(time.Duration(n/2) * time.Second).UnixMicro(), ID: EntityID(fmt.Sprintf("I%07d", n-n/2))}
		return &p
	}
	for name, req := range map[string]func(n int) EntityPageRequest{
		"first":    func(int) EntityPageRequest { return EntityPageRequest{Kind: itemKind} },
		"mid":      func(n int) EntityPageRequest { return EntityPageRequest{Kind: itemKind, After: mid(n)} },
		"mid desc": func(n int) EntityPageRequest { return EntityPageRequest{Kind: itemKind, After: mid(n), Desc: true} },
		"prev":     func(n int) EntityPageRequest { return EntityPageRequest{Kind: itemKind, Before: mid(n)} },
		"category": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: itemKind, After: mid(n), Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(itemKind, "categories"), ID: EntityID("C0")}}}}
		},
		"sparse": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: itemKind, Filter: EntityFilter{Equals: []ValueCond{{Attr: attrIndex(itemKind, "published"), Value: false}}}}
		},
		"related": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: itemKind, After: mid(n), Related: true, Include: rel(itemKind, "variants")}
		},
		"variants": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: variantKind, Filter: EntityFilter{Equals: []ValueCond{{Attr: attrIndex(variantKind, "sku"), Value: "SKU1"}}}}
		},
		"categories": func(n int) EntityPageRequest {
			return EntityPageRequest{Kind: categoryKind, Filter: EntityFilter{Related: []RelatedCond{{Rel: rel(categoryKind, "items"), ID: EntityID("I0000002")}}}}
		},
	} {
		cost := func(n int) int64 {
			s := accounts[n]
			s.w.Store(0)
			entityPage(t, s.a, req(n))
			return s.w.Load()
		}
		small, large := cost(sizes[0]), cost(sizes[1])
		t.Logf("%s: %d entities visited at %d items, %d at %d", name, small, sizes[0], large, sizes[1])
		if large > small+small/5+2 {
			t.Errorf("%s: %d visited at %d items against %d at %d: a page is not O(page)", name, large, sizes[1], small, sizes[0])
		}
	}
}
