package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// lockedAccount is flatAccount(n) counting the index work done under the
// account's lock.
func lockedAccount(t testing.TB, n int) (*Account, *lockWork) {
	t.Helper()
	w := new(lockWork)
	s := New(Options{Seed: 1, Seeder: flatSeeder(n), Now: func() time.Time { return t0.Add(time.Duration(n+10) * time.Second) },
		Lifecycle: Lifecycle{Mode: Immediate}, lockWork: w})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Collection{collItems, collVariants, collCategories} {
		a.Count(c)
	}
	return a, w
}

// itemRange returns the ids of flatSeeder's items lo..hi.
func itemRange(lo, hi int) []string {
	out := make([]string, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, EntityID(fmt.Sprintf("I%07d", i)))
	}
	return out
}

// Replacing a category's 65,000 members (40,000 of them change) makes no
// tree operation per member and copies the category once under the lock:
// the new member tree is built outside it and swapped in, and the work left
// under the lock is one small-list step per changed member on the items'
// side. Before, each member was a tree insert and a copy of the category,
// with the lock held throughout.
func TestRelate_ReplacingManyMembersDoesTreeWorkOutsideTheLock(t *testing.T) {
	n := 80_000
	if testing.Short() {
		n = 8_000
	}
	a, w := lockedAccount(t, n)
	items := rel(categoryKind, "items")
	want := itemRange(1, n*65/80) // flatSeeder: C0 holds the even-numbered ones
	changed := int64(0)
	for i := 1; i <= n; i++ {
		if in, was := i <= n*65/80, i%2 == 0; in != was {
			changed++
		}
	}
	before := a.cat.get(categoryKind, EntityID("C0")).Updated
	w.reset()
	if eerr, err := a.Relate(categoryKind, items, EntityID("C0"), RelReplace, want); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	trees, copies, lists := w.trees.Load(), w.copies.Load(), w.lists.Load()
	t.Logf("under the lock: %d tree operations, %d entity copies, %d list steps (%d members changed)", trees, copies, lists, changed)
	if trees > 2 || copies > 2 || lists > changed {
		t.Errorf("replacing %d members: %d tree operations, %d entity copies and %d list steps under the lock; want at most 2, 2 and %d",
			len(want), trees, copies, lists, changed)
	}
	got := a.relatedIDs(categoryKind, EntityID("C0"), "items")
	wantSorted := slices.Clone(want)
	slices.Reverse(wantSorted) // flatSeeder creates items in reverse id order
	if !slices.Equal(got, wantSorted) {
		t.Fatalf("members after the replacement: %d, want %d", len(got), len(want))
	}
	for _, id := range []string{EntityID("I0000001"), EntityID(fmt.Sprintf("I%07d", n))} {
		in := slices.Contains(want, id)
		if got := slices.Contains(a.relatedIDs(itemKind, id, "categories"), EntityID("C0")); got != in {
			t.Errorf("%s in C0 from the item's side: %v, want %v", id, got, in)
		}
	}
	if after := a.cat.get(categoryKind, EntityID("C0")).Updated; !after.After(before) {
		t.Errorf("category updated %v, not moved from %v", after, before)
	}
}

// A relationship write planned outside the lock leaves the catalog as the
// same write made one member at a time under it: both sides' lists, the
// owner's updated and the account's size, over random adds, replaces and
// removes (duplicates and unknown ids included).
func TestRelate_PlannedWritesEqualWritesMadeOneByOne(t *testing.T) {
	planned, _ := lockedAccount(t, 200)
	byOne, _ := lockedAccount(t, 200)
	items := rel(categoryKind, "items")
	rng := rand.New(rand.NewPCG(1, 2))
	for step := 0; step < 200; step++ {
		act := RelAction(rng.IntN(3))
		var others []string
		for range rng.IntN(600) {
			others = append(others, EntityID(fmt.Sprintf("I%07d", 1+rng.IntN(205)))) // past 200: unknown
		}
		e1, err1 := planned.Relate(categoryKind, items, EntityID("C0"), act, others)
		byOne.mu.Lock()
		e2, err2 := byOne.relateLocked(categoryKind, items, EntityID("C0"), act, others, byOne.now().Truncate(time.Microsecond))
		byOne.mu.Unlock()
		if fmt.Sprint(e1, err1) != fmt.Sprint(e2, err2) {
			t.Fatalf("step %d: %v %v planned, %v %v one by one", step, e1, err1, e2, err2)
		}
		if g, w := planned.relatedIDs(categoryKind, EntityID("C0"), "items"), byOne.relatedIDs(categoryKind, EntityID("C0"), "items"); !slices.Equal(g, w) {
			t.Fatalf("step %d: members %v planned, %v one by one", step, g, w)
		}
		for i := 1; i <= 200; i++ {
			id := EntityID(fmt.Sprintf("I%07d", i))
			if g, w := planned.relatedIDs(itemKind, id, "categories"), byOne.relatedIDs(itemKind, id, "categories"); !slices.Equal(g, w) {
				t.Fatalf("step %d: %s in %v planned, %v one by one", step, id, g, w)
			}
		}
		g, w := planned.cat.get(categoryKind, EntityID("C0")), byOne.cat.get(categoryKind, EntityID("C0"))
		if !g.Updated.Equal(w.Updated) || planned.size.Load() != byOne.size.Load() {
			t.Fatalf("step %d: updated %v and size %d planned, %v and %d one by one", step, g.Updated, planned.size.Load(), w.Updated, byOne.size.Load())
		}
	}
}

// A write that lands while a planned relationship write holds no lock
// makes its plan stale: the write is planned again against what the
// catalog holds, and neither is lost.
func TestRelate_AWriteLandingMidPlanIsNotLost(t *testing.T) {
	a, w := lockedAccount(t, 1000)
	items := rel(categoryKind, "items")
	w.between = func() {
		w.between = nil
		if eerr, err := a.Relate(itemKind, rel(itemKind, "categories"), EntityID("I0000999"), RelAdd, []string{EntityID("C0")}); eerr != nil || err != nil {
			t.Error(eerr, err)
		}
	}
	w.reset()
	if eerr, err := a.Relate(categoryKind, items, EntityID("C0"), RelAdd, itemRange(1, 300)); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	got := a.relatedIDs(categoryKind, EntityID("C0"), "items")
	for _, id := range append(itemRange(1, 300), EntityID("I0000999"), EntityID("I0001000")) {
		if !slices.Contains(got, id) {
			t.Errorf("%s is not in C0 after both writes", id)
		}
	}
	if w.trees.Load() > 3 {
		t.Errorf("%d tree operations under the lock: the write was not planned again", w.trees.Load())
	}
}

// Writes that land during every plan make a relationship write give up
// planning after planTries and make it under the lock; nothing is lost.
func TestRelate_WritesLandingDuringEveryPlanAreNotLost(t *testing.T) {
	a, w := lockedAccount(t, 1000)
	landed := 0
	w.between = func() {
		landed++
		id := EntityID(fmt.Sprintf("I%07d", 989+2*landed)) // odd: not yet in C0
		if eerr, err := a.Relate(itemKind, rel(itemKind, "categories"), id, RelAdd, []string{EntityID("C0")}); eerr != nil || err != nil {
			t.Error(eerr, err)
		}
	}
	if eerr, err := a.Relate(categoryKind, rel(categoryKind, "items"), EntityID("C0"), RelAdd, itemRange(1, 300)); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	if landed != planTries {
		t.Fatalf("planned %d times, want %d", landed, planTries)
	}
	got := a.relatedIDs(categoryKind, EntityID("C0"), "items")
	for _, id := range append(itemRange(1, 300), EntityID("I0000991"), EntityID("I0000993"), EntityID("I0000995")) {
		if !slices.Contains(got, id) {
			t.Errorf("%s is not in C0 after every write", id)
		}
	}
}

// Planned relationship writes, small ones and readers run together
// (under -race this checks that planning reads only under the read lock).
func TestRelate_PlannedWritesAndReadersRunTogether(t *testing.T) {
	a, _ := lockedAccount(t, 2000)
	items, cats := rel(categoryKind, "items"), rel(itemKind, "categories")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			if _, err := a.Relate(categoryKind, items, EntityID("C0"), RelReplace, itemRange(1+i*10, 1500+i*10)); err != nil {
				t.Error(err)
			}
		}
	}()
	for i := range 200 {
		a.Relate(itemKind, cats, EntityID(fmt.Sprintf("I%07d", 1+i%2000)), RelAdd, []string{EntityID("C0")})
		if _, err := a.ChildIDs(categoryKind, EntityID("C0"), "items"); err != nil {
			t.Fatal(err)
		}
	}
	<-done
}

// Deleting a category with many members drops its member tree whole: one
// step on each member's own list, no tree operation per member and no copy
// of the category being deleted (before: a tree delete and a copy of the
// category per member).
func TestDelete_ACategoryWithManyMembersDoesBoundedTreeWork(t *testing.T) {
	a, w := lockedAccount(t, 20_000)
	members := len(a.relatedIDs(categoryKind, EntityID("C0"), "items"))
	w.reset()
	if _, eerr, err := a.Write(jobCategoryDelete, Element{ID: EntityID("C0")}, false); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	trees, copies, lists := w.trees.Load(), w.copies.Load(), w.lists.Load()
	t.Logf("deleting a category of %d items: %d tree operations, %d copies, %d list steps", members, trees, copies, lists)
	if trees > 2 || copies > 2 || lists > int64(members) {
		t.Errorf("deleting a category of %d items: %d tree operations, %d copies and %d list steps; want at most 2, 2 and %d", members, trees, copies, lists, members)
	}
	for _, id := range []string{EntityID("I0000002"), EntityID("I0020000")} {
		if cats := a.relatedIDs(itemKind, id, "categories"); len(cats) != 0 {
			t.Errorf("%s is still in %v", id, cats)
		}
	}
	if a.cat.rels[categoryKind][rel(categoryKind, "items").Slot].byTree[EntityID("C0")] != nil {
		t.Error("the deleted category's member tree is still held")
	}
}

// Updating a category with 65,000 items in its relationships (PATCH
// /api/catalog-categories/{id}) does its member tree's work outside the
// write lock, as a relationship write does; its members come out the same.
func TestWrite_UpdatingACategorysManyItemsDoesTreeWorkOutsideTheLock(t *testing.T) {
	n := 80_000
	if testing.Short() {
		n = 8_000
	}
	a, w := lockedAccount(t, n)
	want := itemRange(1, n*65/80)
	name, _, _ := categoryKind.Attr("name")
	el := Element{ID: EntityID("C0"), Set: categoryKind.SetOf("name"), Related: want, HasRelated: true}
	el.Values = *NewEntity(categoryKind, EntityID("C0"))
	el.Values.Set(name, ptrTo("Renamed"))
	w.reset()
	if _, eerr, err := a.Write(jobCategoryUpdate, el, false); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	trees, copies, lists := w.trees.Load(), w.copies.Load(), w.lists.Load()
	t.Logf("under the lock: %d tree operations, %d entity copies, %d list steps", trees, copies, lists)
	if trees > 2 || copies > 2 || lists > int64(n) {
		t.Errorf("updating a category with %d items: %d tree operations, %d copies and %d list steps under the lock; want at most 2, 2 and %d",
			len(want), trees, copies, lists, n)
	}
	got := a.relatedIDs(categoryKind, EntityID("C0"), "items")
	if len(got) != len(want) || slices.Contains(a.relatedIDs(itemKind, EntityID(fmt.Sprintf("I%07d", n)), "categories"), EntityID("C0")) {
		t.Fatalf("%d members after the update, want %d", len(got), len(want))
	}
	if s, _ := a.cat.get(categoryKind, EntityID("C0")).Str(name); s != "Renamed" {
		t.Errorf("name %q after the update", s)
	}
}

func ptrTo[T any](v T) *T { return &v }

// A relationship change that lands while an entity write's membership is
// being planned makes the plan stale: the write is then made under the
// lock, and both sides agree afterwards.
func TestWrite_AChangeLandingMidPlanLeavesBothSidesAgreeing(t *testing.T) {
	a, w := lockedAccount(t, 1000)
	last := EntityID("I0000999") // odd: not in C0, and not in the set written
	w.between = func() {
		w.between = nil
		if eerr, err := a.Relate(itemKind, rel(itemKind, "categories"), last, RelAdd, []string{EntityID("C0")}); eerr != nil || err != nil {
			t.Error(eerr, err)
		}
	}
	el := Element{ID: EntityID("C0"), Related: itemRange(1, 600), HasRelated: true}
	el.Values = *NewEntity(categoryKind, EntityID("C0"))
	if _, eerr, err := a.Write(jobCategoryUpdate, el, false); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	if slices.Contains(a.relatedIDs(itemKind, last, "categories"), EntityID("C0")) || slices.Contains(a.relatedIDs(categoryKind, EntityID("C0"), "items"), last) {
		t.Errorf("%s: in C0 from the item's side %v, from the category's %v; the write replaced C0's items without it", last,
			slices.Contains(a.relatedIDs(itemKind, last, "categories"), EntityID("C0")), slices.Contains(a.relatedIDs(categoryKind, EntityID("C0"), "items"), last))
	}
}

// Creating a category with 65,000 items (POST /api/catalog-categories with
// relationships.items) builds its member tree outside the write lock too.
func TestWrite_CreatingACategoryWithManyItemsDoesTreeWorkOutsideTheLock(t *testing.T) {
	n := 80_000
	if testing.Short() {
		n = 8_000
	}
	a, w := lockedAccount(t, n)
	want := itemRange(1, n*65/80)
	name, _, _ := categoryKind.Attr("name")
	el := Element{ID: EntityID("NEW"), Set: categoryKind.SetOf("name"), Related: want, HasRelated: true}
	el.Values = *NewEntity(categoryKind, EntityID("NEW"))
	el.Values.ExternalID = "NEW"
	el.Values.Set(name, ptrTo("New"))
	w.reset()
	if _, eerr, err := a.Write(jobCategoryCreate, el, false); eerr != nil || err != nil {
		t.Fatal(eerr, err)
	}
	trees, copies, lists := w.trees.Load(), w.copies.Load(), w.lists.Load()
	t.Logf("under the lock: %d tree operations, %d entity copies, %d list steps", trees, copies, lists)
	if trees > 2 || copies > 2 || lists > int64(len(want)) {
		t.Errorf("creating a category with %d items: %d tree operations, %d copies and %d list steps under the lock; want at most 2, 2 and %d",
			len(want), trees, copies, lists, len(want))
	}
	if got := a.relatedIDs(categoryKind, EntityID("NEW"), "items"); len(got) != len(want) {
		t.Fatalf("%d members after the create, want %d", len(got), len(want))
	}
	for _, id := range []string{EntityID("I0000001"), want[len(want)-1]} {
		if !slices.Contains(a.relatedIDs(itemKind, id, "categories"), EntityID("NEW")) {
			t.Errorf("%s is not in the new category from its own side", id)
		}
	}
	// The same create again is refused, as before.
	if _, eerr, err := a.Write(jobCategoryCreate, el, false); eerr == nil || err != nil {
		t.Errorf("creating it again: %v %v, want an element error", eerr, err)
	}
}
