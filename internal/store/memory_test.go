package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// budgetStore returns a store of accounts of jobsPerAccount update jobs
// and one item, bounded by maxBytes, and the size of one seeded account.
func budgetStore(t *testing.T, jobsPerAccount int, maxBytes int64) (*Store, int64) {
	t.Helper()
	seeder := func(key string, c Collection) Seed {
		switch c {
		case collItems:
			return Seed{Entities: []*Entity{ent(itemKind, "A")}}
		case JobCollection(jobItemUpdate):
			return seqSeeder(jobsPerAccount)(key, c)
		}
		return Seed{}
	}
	estimate := func(c Collection) int64 { return SizeOf(seeder("probe", c)) }
	one := int64(accountBytes) + estimate(collItems) + estimate(JobCollection(jobItemUpdate))
	s := New(Options{Seed: 1, Seeder: seeder, SeedBytes: estimate, Now: func() time.Time { return t0 }, MaxBytes: maxBytes,
		Lifecycle: Lifecycle{Mode: Duration, Duration: time.Hour}})
	return s, one
}

// touch generates an account's item update jobs and items.
func touch(t *testing.T, a *Account) {
	t.Helper()
	if _, err := a.Page(jobItemUpdate, PageRequest{Statuses: AllStatuses}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Entities(itemKind, nil); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryBudget_UnchangedAccountsAreEvictedToMakeRoom(t *testing.T) {
	_, one := budgetStore(t, 100, 0)
	s, _ := budgetStore(t, 100, 3*one+one/2) // room for three accounts
	for i := 0; i < 20; i++ {
		a, err := s.Account(fmt.Sprintf("k%d", i))
		if err != nil {
			t.Fatalf("account %d: %v", i, err)
		}
		touch(t, a)
		if used, limit := s.Used(); used > limit {
			t.Fatalf("after %d accounts: %d bytes used, budget %d", i+1, used, limit)
		}
	}
	if keys, _ := s.Keys(); len(keys) != 3 || keys[0] != "k19" {
		t.Fatalf("held %v, want the three most recent", keys)
	}
}

func TestMemoryBudget_ChangedAccountsAreKeptAndNewKeysRefused(t *testing.T) {
	_, one := budgetStore(t, 100, 0)
	s, _ := budgetStore(t, 100, 2*one+one/2)
	for _, k := range []string{"a", "b"} {
		a, err := s.Mutable(k)
		if err != nil {
			t.Fatal(err)
		}
		touch(t, a)
	}
	c, err := s.Account("c")
	if err == nil {
		_, err = c.Page(jobItemUpdate, PageRequest{Statuses: AllStatuses})
	}
	if !errors.Is(err, ErrMemoryBudget) {
		t.Fatalf("a third account with two changed ones held: %v, want ErrMemoryBudget", err)
	}
	s.Forget("a")
	c, _ = s.Account("c")
	if _, err := c.Page(jobItemUpdate, PageRequest{Statuses: AllStatuses}); err != nil {
		t.Fatalf("after forgetting one: %v", err)
	}
}

// contentSize sums the estimates of everything the account holds.
func contentSize(a *Account) int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	n := int64(accountBytes)
	if t := a.pages.Load(); t != nil {
		for i := range t {
			if t[i].Load() != nil {
				n += pageMemoBytes
			}
		}
	}
	for _, s := range a.jobs {
		s.ascend(func(j *Job) bool { n += j.memSize(); return true })
	}
	return n + catalogBytes(a)
}

// catalogBytes recounts the estimated size of a's catalog from what it
// holds: the held entities and their index entries, each source and the
// indexes it hides, the held memberships, and the overlays' entries.
func catalogBytes(a *Account) int64 {
	var n int64
	c := &a.cat
	for _, k := range Kinds() {
		sk := c.kinds[k]
		for _, e := range sk.held {
			n += e.memSize() + indexSize(e)
		}
		if sk.src != nil {
			n += historyBytes + sk.src.Bytes() + int64(len(sk.hidden))*hiddenBytes
		}
		for _, r := range k.OwnRelations() {
			if r.Kind != schema.Members {
				continue
			}
			for owner := range sk.held {
				n += int64(len(c.rels[k][r.Slot].list(owner))) * linkBytes
			}
		}
		for _, ov := range c.members[k] {
			if ov != nil {
				n += overlayBytes + int64(ov.n)*linkBytes
			}
		}
	}
	return n
}

func TestMemoryBudget_SizesFollowEveryChange(t *testing.T) {
	s := New(Options{Seed: 1, Seeder: catalogSeeder(), Now: func() time.Time { return t0 },
		Lifecycle: Lifecycle{Mode: Immediate}})
	a, _ := s.Mutable("a")
	for _, c := range AllCollections() {
		a.Count(c)
	}
	check := func(step string) {
		t.Helper()
		if got, want := a.Size(), contentSize(a); got != want {
			t.Fatalf("%s: size %d, the content's %d", step, got, want)
		}
	}
	check("seeded")
	if err := a.Put(&Job{ID: "J000003", Kind: jobItemUpdate, Status: Complete, Total: 1, IDs: []string{"x"}, Errors: []JobError{{ID: "e", Detail: "long detail"}}}); err != nil {
		t.Fatal(err)
	}
	a.Delete(jobItemUpdate, "J000004")
	check("put and delete")
	for _, req := range []CreateRequest{
		createReq([]string{EntityID("I0"), EntityID("MISSING")}),
		{Kind: jobItemDelete, Elements: []Element{{ID: EntityID("I1")}}},
		{Kind: jobCategoryUpdate, Elements: []Element{{ID: EntityID("C0"), HasRelated: true, Related: []string{EntityID("I2")}}}},
		{Kind: jobVariantCreate, Elements: []Element{{ID: EntityID("V-new"), Values: Entity{ExternalID: "V-new"}, Set: variantKind.SetOf("external_id"),
			HasRelated: true, Related: []string{EntityID("I3")}}}},
	} {
		if _, err := a.Create(req); err != nil {
			t.Fatal(err)
		}
		a.InProgress() // settles: applies the job
		check("job " + req.Kind.String())
	}
	if used, _ := s.Used(); used != a.Size() {
		t.Fatalf("store counts %d, its one account %d", used, a.Size())
	}
	s.Forget("a")
	if used, _ := s.Used(); used != 0 {
		t.Fatalf("store counts %d after forgetting its only account", used)
	}
}
