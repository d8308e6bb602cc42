package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// seqSeeder makes n item update jobs with ids J00000.. cycling through the
// statuses; other collections are empty.
func seqSeeder(n int) Seeder {
	return func(key string, c Collection) Seed {
		if c != JobCollection(jobItemUpdate) {
			return Seed{}
		}
		jobs := make([]*Job, n)
		for i := range jobs {
			jobs[i] = &Job{ID: fmt.Sprintf("J%06d", i), Kind: jobItemUpdate, Status: Status(i % int(NumStatuses)), Total: 1}
		}
		return Seed{Jobs: jobs}
	}
}

// pg is a page of item update jobs.
func pg(t testing.TB, a *Account, req PageRequest) Page {
	t.Helper()
	p, err := a.Page(jobItemUpdate, req)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newStore(t testing.TB, n int) *Store {
	t.Helper()
	return New(Options{Seed: 1, Seeder: seqSeeder(n), Now: func() time.Time { return t0 }})
}

func ids(jobs []*Job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.ID
	}
	return out
}

func TestPage_WalksEveryJobOnceInIDOrderPerStatusSet(t *testing.T) {
	s := newStore(t, 1037)
	a, _ := s.Account("k")
	sets := map[string]StatusSet{"all": AllStatuses}
	for st := Status(0); st < NumStatuses; st++ {
		sets[st.String()] = Only(st)
	}
	for name, set := range sets {
		t.Run(name, func(t *testing.T) {
			var got []string
			req := PageRequest{Statuses: set}
			for pages := 0; ; pages++ {
				p := pg(t, a, req)
				if len(p.Jobs) > PageSize {
					t.Fatalf("page of %d jobs", len(p.Jobs))
				}
				if p.HasPrev != (pages > 0) {
					t.Fatalf("page %d: HasPrev=%v", pages, p.HasPrev)
				}
				for _, j := range p.Jobs {
					if !set.Has(j.Status) {
						t.Fatalf("job %s has status %s outside the filter", j.ID, j.Status)
					}
				}
				got = append(got, ids(p.Jobs)...)
				if !p.HasNext {
					break
				}
				req.After = p.Jobs[len(p.Jobs)-1].ID
			}
			want := 0
			for i := 0; i < 1037; i++ {
				if set.Has(Status(i % int(NumStatuses))) {
					want++
				}
			}
			if len(got) != want {
				t.Fatalf("walked %d jobs, want %d", len(got), want)
			}
			for i := 1; i < len(got); i++ {
				if got[i-1] >= got[i] {
					t.Fatalf("not strictly increasing at %d: %s, %s", i, got[i-1], got[i])
				}
			}
		})
	}
}

func TestPage_EmptyStatusSetMatchesNothing(t *testing.T) {
	a, _ := newStore(t, 10).Account("k")
	p := pg(t, a, PageRequest{Statuses: 0})
	if len(p.Jobs) != 0 || p.HasNext || p.HasPrev {
		t.Fatalf("got %+v", p)
	}
}

func TestPage_BeforeReturnsThePreviousPage(t *testing.T) {
	a, _ := newStore(t, 250).Account("k")
	first := pg(t, a, PageRequest{Statuses: AllStatuses})
	second := pg(t, a, PageRequest{Statuses: AllStatuses, After: first.Jobs[99].ID})
	back := pg(t, a, PageRequest{Statuses: AllStatuses, Before: second.Jobs[0].ID})
	if fmt.Sprint(ids(back.Jobs)) != fmt.Sprint(ids(first.Jobs)) {
		t.Fatalf("prev page differs from the first page")
	}
	if back.HasPrev || !back.HasNext {
		t.Fatalf("back to the first page: HasPrev=%v HasNext=%v", back.HasPrev, back.HasNext)
	}
	mid := pg(t, a, PageRequest{Statuses: AllStatuses, Before: "J000150"})
	if len(mid.Jobs) != 100 || mid.Jobs[0].ID != "J000050" || mid.Jobs[99].ID != "J000149" || !mid.HasPrev {
		t.Fatalf("page before J000150: %d jobs from %s, HasPrev=%v", len(mid.Jobs), mid.Jobs[0].ID, mid.HasPrev)
	}
}

func TestPage_CursorSurvivesDeletionAndInsertion(t *testing.T) {
	a, _ := newStore(t, 300).Account("k")
	p1 := pg(t, a, PageRequest{Statuses: AllStatuses})
	cursor := p1.Jobs[99].ID // J000099
	if !a.Delete(jobItemUpdate, cursor) || !a.Delete(jobItemUpdate, "J000100") {
		t.Fatal("delete failed")
	}
	a.Put(&Job{ID: "J000050x", Kind: jobItemUpdate, Status: Queued}) // lands on the page already read
	a.Put(&Job{ID: "J000150x", Kind: jobItemUpdate, Status: Queued}) // lands ahead: must be seen
	p2 := pg(t, a, PageRequest{Statuses: AllStatuses, After: cursor})
	if p2.Jobs[0].ID != "J000101" {
		t.Fatalf("page after a deleted cursor starts at %s, want J000101", p2.Jobs[0].ID)
	}
	found := false
	for _, j := range p2.Jobs {
		found = found || j.ID == "J000150x"
		if j.ID == "J000050x" {
			t.Fatal("job inserted behind the cursor appeared ahead of it")
		}
	}
	if !found {
		t.Fatal("job inserted ahead of the cursor is missing")
	}
}

func TestPut_MovesAJobBetweenStatusIndexes(t *testing.T) {
	a, _ := newStore(t, 8).Account("k")
	j, _, _ := a.Job(jobItemUpdate, "J000000")
	if j.Status != Queued {
		t.Fatalf("J000000 is %s", j.Status)
	}
	cp := *j
	cp.Status = Complete
	a.Put(&cp)
	for _, q := range pg(t, a, PageRequest{Statuses: Only(Queued)}).Jobs {
		if q.ID == "J000000" {
			t.Fatal("job still listed as queued")
		}
	}
	got := ids(pg(t, a, PageRequest{Statuses: Only(Complete)}).Jobs)
	if got[0] != "J000000" {
		t.Fatalf("complete jobs start %v", got)
	}
}

func TestStore_AccountsAreIsolatedAndSeededLazily(t *testing.T) {
	calls := 0
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }, Seeder: func(key string, c Collection) Seed {
		calls++
		if c != JobCollection(jobItemUpdate) {
			return Seed{}
		}
		return Seed{Jobs: []*Job{{ID: "J-" + key, Kind: jobItemUpdate}}}
	}})
	a, _ := s.Account("a")
	b, _ := s.Account("b")
	if calls != 0 {
		t.Fatalf("seeded %d accounts before any read", calls)
	}
	if _, ok, _ := a.Job(jobItemUpdate, "J-b"); ok {
		t.Fatal("account a sees account b's job")
	}
	if _, ok, _ := b.Job(jobItemUpdate, "J-b"); !ok {
		t.Fatal("account b lacks its job")
	}
}

func TestStore_EvictsOnlyUnchangedAccountsAndRefusesWhenAllChanged(t *testing.T) {
	s := New(Options{Seed: 1, Seeder: seqSeeder(3), Now: func() time.Time { return t0 }, MaxAccounts: 2})
	a, _ := s.Mutable("a")
	a.Delete(jobItemUpdate, "J000000")
	if _, err := s.Account("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("c"); err != nil { // evicts b (unchanged)
		t.Fatalf("c refused: %v", err)
	}
	keys, _ := s.Keys()
	if fmt.Sprint(keys) != "[c a]" {
		t.Fatalf("held %v, want [c a]", keys)
	}
	a2, _ := s.Account("a")
	if a2 != a || a2.Len(jobItemUpdate) != 2 {
		t.Fatal("the changed account was dropped")
	}
	if _, err := s.Mutable("c"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("d"); !errors.Is(err, ErrTooManyAccounts) {
		t.Fatalf("got %v, want ErrTooManyAccounts", err)
	}
}

func TestStore_EvictedAccountRegeneratesIdentically(t *testing.T) {
	s := New(Options{Seed: 1, Seeder: seqSeeder(5), Now: func() time.Time { return t0 }, MaxAccounts: 1})
	a, _ := s.Account("a")
	before := ids(pg(t, a, PageRequest{Statuses: AllStatuses}).Jobs)
	s.Account("b")
	a2, _ := s.Account("a")
	if a2 == a {
		t.Fatal("account a was not evicted")
	}
	if after := ids(pg(t, a2, PageRequest{Statuses: AllStatuses}).Jobs); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("regenerated %v, was %v", after, before)
	}
}

func TestAccount_ConcurrentReadersAndWriters(t *testing.T) {
	a, _ := newStore(t, 500).Account("k")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				switch i % 4 {
				case 0:
					a.Put(&Job{ID: fmt.Sprintf("K%d-%04d", g, i), Kind: jobItemUpdate, Status: Status(i % 4)})
				case 1:
					a.Delete(jobItemUpdate, fmt.Sprintf("J%06d", g*50+i))
				default:
					p := pg(t, a, PageRequest{Statuses: Only(Status(i % 4)), After: "J000100"})
					for _, j := range p.Jobs {
						if j.Status != Status(i%4) {
							t.Errorf("job %s status %s in a %s page", j.ID, j.Status, Status(i%4))
						}
					}
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestIDs_IncreaseEvenWhenTheClockGoesBack(t *testing.T) {
	g := NewIDs(zeroReader{})
	a := g.Next(t0)
	b := g.Next(t0.Add(-time.Hour))
	c := g.Next(t0)
	if !(a < b && b < c) {
		t.Fatalf("ids not increasing: %s %s %s", a, b, c)
	}
	future := NewIDs(zeroReader{}).Next(t0.Add(24 * time.Hour))
	g.Observe(future)
	if d := g.Next(t0); d <= future {
		t.Fatalf("id %s not above the observed %s", d, future)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestPage_BeforeWithNothingEarlierIsTheFirstPage(t *testing.T) {
	a, _ := newStore(t, 1000).Account("k")
	for _, before := range []string{"J000000", "A", "J000002"} {
		p := pg(t, a, PageRequest{Statuses: Only(Complete), Before: before})
		first := pg(t, a, PageRequest{Statuses: Only(Complete)})
		if fmt.Sprint(ids(p.Jobs)) != fmt.Sprint(ids(first.Jobs)) || p.HasPrev || !p.HasNext {
			t.Fatalf("before %s: %d jobs, HasPrev=%v HasNext=%v", before, len(p.Jobs), p.HasPrev, p.HasNext)
		}
	}
}

// TestPage_CostDoesNotGrowWithTheAccount counts the id comparisons and the
// jobs visited by a page at a thousand and at a million jobs: a page is
// O(page + log n), so a thousand times more jobs add only a few tree levels.
func TestPage_CostDoesNotGrowWithTheAccount(t *testing.T) {
	type sized struct {
		a *Account
		c *atomic.Int64
	}
	accounts := map[int]sized{}
	for _, n := range []int{1_000, 1_000_000} {
		var c atomic.Int64
		s := New(Options{Seed: 1, Seeder: seqSeeder(n), Now: func() time.Time { return t0 }, compares: &c})
		a, _ := s.Account("k")
		a.Len(jobItemUpdate)
		accounts[n] = sized{a, &c}
	}
	cost := func(n int, req PageRequest) int64 {
		acct := accounts[n]
		acct.c.Store(0)
		if p := pg(t, acct.a, req); len(p.Jobs) != PageSize {
			t.Fatalf("n=%d: page of %d", n, len(p.Jobs))
		}
		return acct.c.Load()
	}
	for name, req := range map[string]func(n int) PageRequest{
		"first": func(int) PageRequest { return PageRequest{Statuses: AllStatuses} },
		"mid":   func(n int) PageRequest { return PageRequest{Statuses: AllStatuses, After: fmt.Sprintf("J%06d", n/2)} },
		"status mid": func(n int) PageRequest {
			return PageRequest{Statuses: Only(Complete), After: fmt.Sprintf("J%06d", n/2)}
		},
		"status prev":  func(n int) PageRequest { return PageRequest{Statuses: Only(Queued), Before: fmt.Sprintf("J%06d", n/2)} },
		"status first": func(int) PageRequest { return PageRequest{Statuses: Only(Cancelled)} },
	} {
		small, large := cost(1_000, req(1_000)), cost(1_000_000, req(1_000_000))
		t.Logf("%s: %d comparisons at 1k jobs, %d at 1M", name, small, large)
		if small < PageSize || large > small+150 || large > 5*PageSize {
			t.Errorf("%s: %d comparisons at 1M jobs against %d at 1k: a page is not O(page + log n)", name, large, small)
		}
	}
}
