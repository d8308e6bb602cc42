package store

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// testHistory is a history of n jobs "H0000000"… whose statuses cycle
// through complete ×9, cancelled, then processing and queued for the last
// tenth.
type testHistory struct{ n int }

func (h testHistory) Len() int        { return h.n }
func (h testHistory) ID(i int) string { return fmt.Sprintf("H%07d", i) }
func (h testHistory) Bytes() int64    { return 0 }
func (h testHistory) Status(i int) Status {
	switch {
	case i >= h.n-h.n/10:
		return []Status{Processing, Queued}[i%2]
	case i%10 == 9:
		return Cancelled
	}
	return Complete
}
func (h testHistory) At(i int) *Job {
	return &Job{ID: h.ID(i), Status: h.Status(i), CreatedAt: t0.Add(time.Duration(i) * time.Second), Total: 1, Errors: []JobError{}}
}
func (h testHistory) Scan(from int, desc bool, statuses StatusSet, fn func(int) bool) {
	step := 1
	if desc {
		step = -1
	}
	for i := from; i >= 0 && i < h.n; i += step {
		if statuses.Has(h.Status(i)) && !fn(i) {
			return
		}
	}
}

func historyAccount(t testing.TB, n int, work *atomic.Int64) *Account {
	t.Helper()
	seeder := func(key string, c Collection) Seed {
		if c == JobCollection(jobItemUpdate) {
			return Seed{History: testHistory{n}}
		}
		return Seed{}
	}
	s := New(Options{Seed: 1, Seeder: seeder, Now: func() time.Time { return t0 }, compares: work})
	a, _ := s.Mutable("k")
	a.Len(jobItemUpdate)
	return a
}

// TestJobSet_HistoryAndStoredJobsMerge: history jobs, stored jobs put
// between them, a history job replaced and one deleted, paged both ways
// with and without a status filter, give what one sorted list of them all
// gives.
func TestJobSet_HistoryAndStoredJobsMerge(t *testing.T) {
	a := historyAccount(t, 300, nil)
	ref := map[string]*Job{}
	for i := 0; i < 300; i++ {
		j := testHistory{300}.At(i)
		ref[j.ID] = j
	}
	put := func(j *Job) {
		t.Helper()
		j.Kind = jobItemUpdate
		if err := a.Put(j); err != nil {
			t.Fatal(err)
		}
		ref[j.ID] = j
	}
	put(&Job{ID: "H0000010x", Status: Queued, Total: 1, Errors: []JobError{}}) // between two history jobs
	put(&Job{ID: "A", Status: Cancelled, Total: 1, Errors: []JobError{}})      // before them all
	put(&Job{ID: "Z", Status: Complete, Total: 1, Errors: []JobError{}})       // after them all
	put(&Job{ID: "H0000020", Status: Queued, Total: 7, Errors: []JobError{}})  // replaces a history job
	if !a.Delete(jobItemUpdate, "H0000030") || a.Delete(jobItemUpdate, "H0000030") {
		t.Fatal("deleting a history job: it must exist once")
	}
	delete(ref, "H0000030")
	if got := a.Len(jobItemUpdate); got != len(ref) {
		t.Fatalf("Len %d, want %d", got, len(ref))
	}
	if j, ok, _ := a.Job(jobItemUpdate, "H0000020"); !ok || j.Total != 7 {
		t.Fatalf("the replaced history job: %+v", j)
	}
	if _, ok, _ := a.Job(jobItemUpdate, "H0000030"); ok {
		t.Fatal("the deleted history job is found")
	}
	for _, statuses := range []StatusSet{AllStatuses, Only(Queued), Only(Cancelled), Only(Complete) | Only(Processing)} {
		var want []string
		for id, j := range ref {
			if statuses.Has(j.Status) {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		var got []string
		req := PageRequest{Statuses: statuses, Limit: 7}
		for pages := 0; ; pages++ {
			p, err := a.Page(jobItemUpdate, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range p.Jobs {
				got = append(got, j.ID)
			}
			if pages > 0 && !p.HasPrev {
				t.Fatalf("%04b: page %d has no prev", statuses, pages)
			}
			if !p.HasNext {
				break
			}
			req.After = p.Jobs[len(p.Jobs)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%04b: paged %d ids, want %d\n got %v\nwant %v", statuses, len(got), len(want), got, want)
		}
		// Backwards from the end gives the same, reversed.
		var back []string
		req = PageRequest{Statuses: statuses, Limit: 5, Before: "ZZ"}
		for {
			p, _ := a.Page(jobItemUpdate, req)
			back = append(slices.Clone(idsOf(p.Jobs)), back...)
			if !p.HasPrev {
				break
			}
			req.Before = p.Jobs[0].ID
		}
		if !slices.Equal(back, want) {
			t.Fatalf("%04b: backwards %d ids, want %d", statuses, len(back), len(want))
		}
	}
	// Every history job read has its stamp; a stored one replacing it has its own.
	j1, _, _ := a.Job(jobItemUpdate, "H0000001")
	j2, _, _ := a.Job(jobItemUpdate, "H0000002")
	if j1.Stamp() == 0 || j2.Stamp() != j1.Stamp()+1 {
		t.Fatalf("history stamps %d %d", j1.Stamp(), j2.Stamp())
	}
	ex, _ := a.Export(JobCollection(jobItemUpdate))
	if ex.Count(JobCollection(jobItemUpdate)) != len(ref) {
		t.Fatalf("the export holds %d jobs", ex.Count(JobCollection(jobItemUpdate)))
	}
}

func idsOf(jobs []*Job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.ID
	}
	return out
}

// TestJobSet_PagesOfAMillionJobHistoryCostAPage counts the jobs a page
// visits in a history of a thousand and of a million jobs.
func TestJobSet_PagesOfAMillionJobHistoryCostAPage(t *testing.T) {
	cost := map[int]map[string]float64{} // jobs visited per job returned
	for _, n := range []int{1_000, 1_000_000} {
		var work atomic.Int64
		a := historyAccount(t, n, &work)
		cost[n] = map[string]float64{}
		mid := fmt.Sprintf("H%07d", n/2)
		for name, req := range map[string]PageRequest{
			"first":     {Statuses: AllStatuses},
			"mid":       {Statuses: AllStatuses, After: mid},
			"prev":      {Statuses: AllStatuses, Before: mid},
			"cancelled": {Statuses: Only(Cancelled), After: fmt.Sprintf("H%07d", n/4)},
		} {
			work.Store(0)
			p, err := a.Page(jobItemUpdate, req)
			if err != nil || len(p.Jobs) < 50 {
				t.Fatalf("n=%d %s: %d jobs %v", n, name, len(p.Jobs), err)
			}
			cost[n][name] = float64(work.Load()) / float64(len(p.Jobs))
		}
	}
	for name, small := range cost[1_000] {
		large := cost[1_000_000][name]
		t.Logf("%s: %.2f jobs visited per job listed at 1k, %.2f at 1M", name, small, large)
		if large > small*1.2 {
			t.Errorf("%s: %.2f visited per job at 1M jobs against %.2f at 1k", name, large, small)
		}
	}
}

// ulidHistory is testHistory with ULID ids (state documents require them).
type ulidHistory struct{ testHistory }

func (h ulidHistory) ID(i int) string { return fmt.Sprintf("01GSQPBF74%016d", i) }
func (h ulidHistory) At(i int) *Job {
	j := h.testHistory.At(i)
	j.ID = h.ID(i)
	return j
}
func (h ulidHistory) Scan(from int, desc bool, statuses StatusSet, fn func(int) bool) {
	h.testHistory.Scan(from, desc, statuses, fn)
}

// An account has a job set of every kind and most are never written (a
// restored account's are only read): making each set's eleven indexes and
// their free list was about 7% of restoring a compact state file.
func TestNewJobSet_MakesNoIndexUntilWritten(t *testing.T) {
	var s *jobSet
	if n := testing.AllocsPerRun(100, func() { s = newJobSet(nil, nil) }); n > 1 || s == nil {
		t.Fatalf("a new job set allocates %.0f times, want 1 (the set alone)", n)
	}
}

// A set whose indexes are made at its first write reads, clones and
// deletes as one made with them, with or without a history, before and
// after that write.
func TestJobSet_MadeLazilyBehavesAsMadeEagerly(t *testing.T) {
	for _, hist := range []History{nil, testHistory{n: 40}} {
		lazy, eager := newJobSet(nil, nil), newJobSet(nil, nil)
		eager.writable()
		lazy.hist, eager.hist = hist, hist
		sameJobSets(t, "unwritten", lazy, eager)
		lazyClone, eagerClone, before := lazy.clone(), eager.clone(), lazy.len()
		for _, s := range []*jobSet{lazy, eager} {
			if _, ok := s.remove("H0000003"); ok {
				t.Fatal("removed a job never stored")
			}
			s.writable()
			for i, id := range []string{"H0000003", "S2", "S1"} {
				j := &Job{ID: id, Status: Status(i % int(NumStatuses)), CreatedAt: t0}
				s.all.ReplaceOrInsert(j)
				s.byStatus[j.Status].ReplaceOrInsert(j)
				s.hide(id)
			}
		}
		sameJobSets(t, "written", lazy, eager)
		sameJobSets(t, "clone taken before the write", lazyClone, eagerClone)
		if lazyClone.len() != before || lazyClone.storedLen() != 0 {
			t.Fatalf("a clone taken before the write sees it: %d jobs, %d stored", lazyClone.len(), lazyClone.storedLen())
		}
	}
}

// sameJobSets fails unless a and b answer every read alike.
func sameJobSets(t *testing.T, when string, a, b *jobSet) {
	t.Helper()
	if a.len() != b.len() || a.storedLen() != b.storedLen() || a.empty() != b.empty() {
		t.Fatalf("%s: len %d/%d stored %d/%d empty %v/%v", when, a.len(), b.len(), a.storedLen(), b.storedLen(), a.empty(), b.empty())
	}
	sets := []StatusSet{AllStatuses}
	for st := Status(0); st < NumStatuses; st++ {
		sets = append(sets, Only(st))
	}
	for _, ss := range sets {
		for _, desc := range []bool{false, true} {
			for _, from := range []string{"", "H0000003", "S1"} {
				got, want := ids(a.collect(from, true, desc, ss, 7, 0)), ids(b.collect(from, true, desc, ss, 7, 0))
				if !slices.Equal(got, want) {
					t.Fatalf("%s: collect(%q, desc %v, %b) = %v, want %v", when, from, desc, ss, got, want)
				}
			}
		}
	}
	for _, id := range []string{"H0000003", "S1", "S9"} {
		ja, oka := a.get(id, 0)
		jb, okb := b.get(id, 0)
		if oka != okb || (oka && ja.ID != jb.ID) {
			t.Fatalf("%s: get(%s) = %v %v, want %v %v", when, id, ja, oka, jb, okb)
		}
	}
}
