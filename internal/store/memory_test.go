package store

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// sizedSeeder makes n jobs per account, as seqSeeder, with an item each.
func budgetStore(t *testing.T, jobsPerAccount int, maxBytes int64) (*Store, int64) {
	t.Helper()
	seeder := func(key string) ([]*Job, []*Item) {
		jobs, _ := seqSeeder(jobsPerAccount)(key)
		return jobs, []*Item{{ID: ItemID("A"), ExternalID: "A"}}
	}
	j, it := seeder("probe")
	seedBytes := sizeOf(j, it)
	s := New(Options{Seed: 1, Seeder: seeder, Now: func() time.Time { return t0 }, MaxBytes: maxBytes, SeedBytes: seedBytes,
		Lifecycle: Lifecycle{Mode: Duration, Duration: time.Hour}})
	return s, seedBytes
}

func TestMemoryBudget_UnchangedAccountsAreEvictedToMakeRoom(t *testing.T) {
	s, one := budgetStore(t, 100, 0)
	s, _ = budgetStore(t, 100, 3*one+one/2) // room for three accounts
	for i := 0; i < 20; i++ {
		a, err := s.Account(fmt.Sprintf("k%d", i))
		if err != nil {
			t.Fatalf("account %d: %v", i, err)
		}
		a.Len() // seeds it
		if used, limit := s.Used(); used > limit {
			t.Fatalf("after %d accounts: %d bytes used, budget %d", i+1, used, limit)
		}
	}
	if keys, _ := s.Keys(); len(keys) != 3 || keys[0] != "k19" {
		t.Fatalf("held %v, want the three most recent", keys)
	}
}

func TestMemoryBudget_ChangedAccountsAreKeptAndNewKeysRefused(t *testing.T) {
	s, one := budgetStore(t, 100, 0)
	s, _ = budgetStore(t, 100, 2*one+one/2)
	for _, k := range []string{"a", "b"} {
		if _, err := s.Mutable(k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Account("c"); !errors.Is(err, ErrMemoryBudget) {
		t.Fatalf("a third account with two changed ones held: %v, want ErrMemoryBudget", err)
	}
	if keys, _ := s.Keys(); len(keys) != 2 {
		t.Fatalf("held %v", keys)
	}
	s.Forget("a")
	if _, err := s.Account("c"); err != nil {
		t.Fatalf("after forgetting one: %v", err)
	}
}

func TestMemoryBudget_WritesThatDoNotFitChangeNothing(t *testing.T) {
	s, one := budgetStore(t, 100, 0)
	s, _ = budgetStore(t, 100, one+one/2)
	a, err := s.Mutable("a")
	if err != nil {
		t.Fatal(err)
	}
	jobs, items := a.Snapshot()
	big := make([]*Job, 0, 1000)
	for i := 0; i < 1000; i++ {
		big = append(big, &Job{ID: fmt.Sprintf("B%06d", i), Total: 1, Items: []string{ItemID("A")}})
	}
	if err := a.Replace(big, nil); !errors.Is(err, ErrMemoryBudget) {
		t.Fatalf("Replace over the budget: %v", err)
	}
	if got, _ := a.Snapshot(); len(got) != len(jobs) {
		t.Fatalf("a refused Replace changed the jobs: %d, want %d", len(got), len(jobs))
	}
	// Jobs are created until the budget is full, then refused.
	title := "t"
	req := CreateRequest{Items: []ItemUpdate{{ID: items[0].ID, Set: AttrTitle, Values: Item{Title: &title}}}}
	n := 0
	for ; n < 10_000; n++ {
		if _, err := a.Create(req); err != nil {
			if !errors.Is(err, ErrMemoryBudget) {
				t.Fatalf("create %d: %v", n, err)
			}
			break
		}
	}
	if n == 0 || n == 10_000 {
		t.Fatalf("%d jobs created before the budget refused one", n)
	}
	if used, limit := s.Used(); used > limit {
		t.Fatalf("%d bytes used, budget %d", used, limit)
	}
	if got := a.Len(); got != len(jobs)+n {
		t.Fatalf("%d jobs held, want %d", got, len(jobs)+n)
	}
}

func TestMemoryBudget_SizesFollowEveryChange(t *testing.T) {
	s, _ := budgetStore(t, 10, 0)
	a, _ := s.Mutable("a")
	jobs, items := a.Snapshot()
	if got, want := a.Size(), sizeOf(jobs, items); got != want {
		t.Fatalf("seeded size %d, want %d", got, want)
	}
	if err := a.Put(&Job{ID: "J000003", Status: Complete, Total: 1, Items: []string{"x"}, Errors: []JobError{{ID: "e", Detail: "long detail"}}}); err != nil {
		t.Fatal(err)
	}
	a.Delete("J000004")
	title := "t"
	if _, err := a.Create(CreateRequest{Items: []ItemUpdate{{ID: items[0].ID, Set: AttrTitle, Values: Item{Title: &title}}}}); err != nil {
		t.Fatal(err)
	}
	jobs, items = a.Snapshot()
	if got, want := a.Size(), sizeOf(jobs, items); got != want {
		t.Fatalf("size after changes %d, the content's %d", got, want)
	}
	if used, _ := s.Used(); used != a.Size() {
		t.Fatalf("store counts %d, its one account %d", used, a.Size())
	}
	s.Forget("a")
	if used, _ := s.Used(); used != 0 {
		t.Fatalf("store counts %d after forgetting its only account", used)
	}
}
