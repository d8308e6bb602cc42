package store

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// catalogSeeder makes items I0..I9, two variants of each of I0..I4 and
// categories C0 (I0..I4) and C1 (I3..I9), and 10 jobs of every kind.
func catalogSeeder() Seeder {
	return func(key string, c Collection) Seed {
		if k, ok := c.IsJobs(); ok {
			jobs := make([]*Job, 10)
			for i := range jobs {
				jobs[i] = &Job{ID: fmt.Sprintf("J%06d", i), Kind: k, Status: Complete, Total: 1, IDs: []string{EntityID(fmt.Sprint("X", i))}}
			}
			return Seed{Jobs: jobs}
		}
		var seed Seed
		switch c {
		case collItems:
			for i := 0; i < 10; i++ {
				seed.Entities = append(seed.Entities, ent(itemKind, fmt.Sprint("I", i)))
			}
		case collVariants:
			for i := 0; i < 5; i++ {
				for v := 0; v < 2; v++ {
					ext := fmt.Sprintf("I%d-V%d", i, v)
					e := ent(variantKind, ext)
					e.SetRef(rel(variantKind, "item"), EntityID(fmt.Sprint("I", i)))
					seed.Entities = append(seed.Entities, e)
				}
			}
		case collCategories:
			for i := 0; i < 2; i++ {
				seed.Entities = append(seed.Entities, ent(categoryKind, fmt.Sprint("C", i)))
			}
			for i := 0; i < 10; i++ {
				if i < 5 {
					seed.Members = append(seed.Members, [2]string{EntityID("C0"), EntityID(fmt.Sprint("I", i))})
				}
				if i >= 3 {
					seed.Members = append(seed.Members, [2]string{EntityID("C1"), EntityID(fmt.Sprint("I", i))})
				}
			}
		}
		return seed
	}
}

func catalogAccount(t *testing.T) *Account {
	t.Helper()
	s := New(Options{Seed: 1, Seeder: catalogSeeder(), Now: func() time.Time { return t0 }, Lifecycle: Lifecycle{Mode: Immediate}})
	a, _ := s.Mutable("k")
	return a
}

// run creates a job and lets it complete.
func run(t *testing.T, a *Account, req CreateRequest) *Job {
	t.Helper()
	j, err := a.Create(req)
	if err != nil {
		t.Fatal(err)
	}
	done, ok, err := a.Job(req.Kind, j.ID)
	if !ok || err != nil || done.Status != Complete {
		t.Fatalf("job %s: %v %v %+v", j.ID, ok, err, done)
	}
	return done
}

func TestCollections_AreGeneratedOnFirstUseOnly(t *testing.T) {
	var asked []Collection
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }, Seeder: func(key string, c Collection) Seed {
		asked = append(asked, c)
		return catalogSeeder()(key, c)
	}})
	a, _ := s.Account("k")
	if _, err := a.Page(jobItemUpdate, PageRequest{Statuses: AllStatuses}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []Collection{JobCollection(jobItemUpdate)}) {
		t.Fatalf("listing update jobs generated %v", asked)
	}
	a.ChildIDs(itemKind, EntityID("I0"), "variants")
	if !slices.Equal(asked, []Collection{JobCollection(jobItemUpdate), collItems, collVariants}) {
		t.Fatalf("then reading variants generated %v", asked)
	}
}

func TestEffects_CreateJobsInsertAndNeverOverwrite(t *testing.T) {
	a := catalogAccount(t)
	el := func(ext string, related ...string) Element {
		return Element{ID: EntityID(ext), Set: itemKind.SetOf("external_id", "title"),
			Values: *ent(itemKind, ext, "title", "T-"+ext), Related: related, HasRelated: related != nil}
	}
	j := run(t, a, CreateRequest{Kind: jobItemCreate, Pointer: "/data/attributes/items/data", Elements: []Element{
		el("NEW-1", EntityID("C1")), el("I0"), el("NEW-2", EntityID("C-NOPE")),
	}})
	if j.Completed != 1 || j.Failed != 2 {
		t.Fatalf("create job: %d completed, %d failed: %+v", j.Completed, j.Failed, j.Errors)
	}
	if j.Errors[0].Code != "conflict" || j.Errors[0].Pointer != "/data/attributes/items/data/1/attributes/external_id" ||
		j.Errors[1].Pointer != "/data/attributes/items/data/2/relationships/categories/data/0/id" {
		t.Fatalf("errors %+v", j.Errors)
	}
	got, _, _ := a.Entity(itemKind, EntityID("NEW-1"))
	if got == nil || attrStr(got, "title") != "T-NEW-1" || !got.Matches(attrIndex(itemKind, "published"), true) || !got.IsSet(attrIndex(itemKind, "images")) || string(must(got.Object(attrIndex(itemKind, "custom_metadata")))) != "{}" || !got.Created.Equal(got.Updated) {
		t.Fatalf("created item %+v", got)
	}
	if old, _, _ := a.Entity(itemKind, EntityID("I0")); attrStr(old, "title") != "" {
		t.Fatalf("a duplicate create overwrote I0: %+v", old)
	}
	if _, ok, _ := a.Entity(itemKind, EntityID("NEW-2")); ok {
		t.Fatal("an element with an unknown category was created")
	}
	a.mu.RLock()
	inCat := slices.Contains(a.relatedIDs(categoryKind, EntityID("C1"), "items"), EntityID("NEW-1"))
	a.mu.RUnlock()
	if !inCat {
		t.Fatal("the created item is not in its category")
	}
	// collVariants need an existing parent.
	v := run(t, a, CreateRequest{Kind: jobVariantCreate, Pointer: "/p", Elements: []Element{
		{ID: EntityID("NV"), Values: Entity{ExternalID: "NV"}, Set: variantKind.SetOf("external_id"), HasRelated: true, Related: []string{EntityID("NEW-1")}},
		{ID: EntityID("NV2"), Values: Entity{ExternalID: "NV2"}, Set: variantKind.SetOf("external_id"), HasRelated: true, Related: []string{EntityID("GONE")}},
		{ID: EntityID("NV3"), Values: Entity{ExternalID: "NV3"}, Set: variantKind.SetOf("external_id")},
		// Sent as relationships.items.data[0] (up to 2023-06-15): the error points there.
		{ID: EntityID("NV4"), Values: Entity{ExternalID: "NV4"}, Set: variantKind.SetOf("external_id"), HasRelated: true, Related: []string{EntityID("GONE")},
			ParentAt: "/relationships/items/data/0/id"},
	}})
	if v.Completed != 1 || v.Failed != 3 || v.Errors[0].Pointer != "/p/1/relationships/item/data/id" || v.Errors[1].Pointer != "/p/2/relationships" ||
		v.Errors[2].Pointer != "/p/3/relationships/items/data/0/id" {
		t.Fatalf("variant create: %+v", v)
	}
	if vs, _ := a.ChildIDs(itemKind, EntityID("NEW-1"), "variants"); !slices.Equal(vs, []string{EntityID("NV")}) {
		t.Fatalf("NEW-1's variants %v", vs)
	}
}

func TestEffects_UpdatePatchesOnlyWhatWasSentAndCategoryItemsAreReplaced(t *testing.T) {
	a := catalogAccount(t)
	before, _, _ := a.Entity(itemKind, EntityID("I1"))
	run(t, a, CreateRequest{Kind: jobItemUpdate, Elements: []Element{{ID: EntityID("I1"), Set: itemKind.SetOf("price"), Values: *ent(itemKind, "", "price", 9.5)}}})
	after, _, _ := a.Entity(itemKind, EntityID("I1"))
	if must(after.Num(attrIndex(itemKind, "price"))) != 9.5 || after.ExternalID != before.ExternalID || !after.Created.Equal(before.Created) {
		t.Fatalf("patched %+v from %+v", after, before)
	}
	run(t, a, CreateRequest{Kind: jobCategoryUpdate, Elements: []Element{{ID: EntityID("C0"), HasRelated: true, Related: []string{EntityID("I8"), EntityID("I9")}}}})
	a.mu.RLock()
	members := len(a.relatedIDs(categoryKind, EntityID("C0"), "items"))
	i0 := slices.Contains(a.relatedIDs(itemKind, EntityID("I0"), "categories"), EntityID("C0"))
	a.mu.RUnlock()
	if members != 2 || i0 {
		t.Fatalf("C0 holds %d items, I0 still in it: %v", members, i0)
	}
	j := run(t, a, CreateRequest{Kind: jobVariantUpdate, Pointer: "/p", Elements: []Element{{ID: EntityID("NOPE")}}})
	if j.Failed != 1 || j.Errors[0].Code != "not_found" || j.Errors[0].Pointer != "/p/0/id" {
		t.Fatalf("update of a missing variant: %+v", j)
	}
}

func TestEffects_DeletingAnItemDeletesItsVariantsAndMemberships(t *testing.T) {
	a := catalogAccount(t)
	run(t, a, CreateRequest{Kind: jobItemDelete, Elements: []Element{{ID: EntityID("I3")}}})
	if vs, _ := a.ChildIDs(itemKind, EntityID("I3"), "variants"); len(vs) != 0 {
		t.Fatalf("I3's variants survive: %v", vs)
	}
	if _, ok, _ := a.Entity(variantKind, EntityID("I3-V0")); ok {
		t.Fatal("variant I3-V0 survives its item")
	}
	a.mu.RLock()
	in0 := slices.Contains(a.relatedIDs(categoryKind, EntityID("C0"), "items"), EntityID("I3"))
	in1 := slices.Contains(a.relatedIDs(categoryKind, EntityID("C1"), "items"), EntityID("I3"))
	a.mu.RUnlock()
	if in0 || in1 {
		t.Fatal("I3 is still a member of a category")
	}
	run(t, a, CreateRequest{Kind: jobCategoryDelete, Elements: []Element{{ID: EntityID("C1")}}})
	if _, ok, _ := a.Entity(itemKind, EntityID("I9")); !ok {
		t.Fatal("deleting a category deleted its items")
	}
}

func TestCollections_VariantsOfItemsDeletedBeforeTheyAreGeneratedNeverAppear(t *testing.T) {
	a := catalogAccount(t)
	run(t, a, CreateRequest{Kind: jobItemDelete, Elements: []Element{{ID: EntityID("I0")}}})
	if _, ok, _ := a.Entity(variantKind, EntityID("I0-V0")); ok {
		t.Fatal("a variant of a deleted item was generated")
	}
	if vs, _ := a.ChildIDs(itemKind, EntityID("I1"), "variants"); len(vs) != 2 {
		t.Fatalf("I1 has %d variants", len(vs))
	}
}

// A new account's catalog is made for every account a state file restores.
// It makes its four per-kind lists, one array of each index type cut into
// the kinds' slices and a kind for each entity; it made three slices per
// kind besides, and then a map for every relation and value index, most of
// which a restored account never writes: each is now made at its first
// write (TestCatalog_IndexesMadeLazilyAnswerAsMadeEagerly).
func TestNewCatalog_AllocatesPerKindNotPerIndex(t *testing.T) {
	want := 4 + 3 + len(catalogSchema.Entities()) // and a seededKind each
	var c catalog
	if n := testing.AllocsPerRun(100, func() { c = newCatalog(nil) }); n > float64(want) || c.kinds == nil {
		t.Fatalf("a new catalog allocates %.0f times, want at most %d", n, want)
	}
}
