package accountdoc

import (
	"runtime"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// restoreAllocs is the allocations of restoring the compact account into
// a new store (as a start does: its collections prepared and its kept
// histories made beforehand, on the reading goroutines), on average over
// runs.
func restoreAllocs(t *testing.T, runs int) float64 {
	n, _ := restoreCost(t, runs)
	return n
}

// restoreCost is the allocations and bytes of restoring the compact
// account (see restoreAllocs), on average over runs.
func restoreCost(t *testing.T, runs int) (allocs, bytes float64) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	raw := compactAccount(t)
	at := fixtures.DefaultEpoch().Add(1000 * time.Hour)
	var total, totalBytes uint64
	for range runs {
		s := store.New(store.Options{Seed: 1, Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: fixtures.DefaultJobs}),
			Now: func() time.Time { return at }})
		var st AccountState
		if err := st.UnmarshalJSON(raw); err != nil {
			t.Fatal(err)
		}
		st.Prepare(true)
		st.PrepareSeeded(s)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := Restore(s, st, at)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		total += after.Mallocs - before.Mallocs
		totalBytes += after.TotalAlloc - before.TotalAlloc
	}
	return float64(total) / float64(runs), float64(totalBytes) / float64(runs)
}

// Restoring a state file's compact account (one changed item, its own
// record, nine kept seeded histories and three kept seeded kinds) into a
// new account made, besides the account itself: two maps of the kept
// histories by kind, a map of hidden jobs for every kept history (none
// hidden), three maps of the catalog's rebuild plan and one for each
// membership relation, and a map for every relation and value index of the
// new catalog, most never written: 149 allocations. Those are now slices
// by kind, or made when first written.
func TestRestore_ACompactAccountMakesNoMapItDoesNotFill(t *testing.T) {
	if n := restoreAllocs(t, 20); n > 130 {
		t.Fatalf("restoring a compact account allocates %.0f times, want at most 130", n)
	}
}

// A start makes each restored account's kept seeded histories ahead, on
// the reading goroutines (PrepareSeeded): the compact account's nine. They
// were held in a map by kind, made for every account: now a list by kind,
// one allocation. What is left is the histories (at most three
// allocations each: TestSeeder_AKeptHistoryCostsItselfAndItsIDs) and what
// holds them.
func TestPrepareSeeded_ACompactAccountCostsItsHistories(t *testing.T) {
	at := fixtures.DefaultEpoch().Add(1000 * time.Hour)
	s := store.New(store.Options{Seed: 1, Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: fixtures.DefaultJobs}),
		Now: func() time.Time { return at }})
	var st AccountState
	if err := st.UnmarshalJSON(compactAccount(t)); err != nil {
		t.Fatal(err)
	}
	st.Prepare(true)
	st.PrepareSeeded(s) // the account's base, made once
	histories := 0
	for _, c := range store.AllCollections() {
		if k, ok := c.IsJobs(); ok {
			if _, kept := st.Seeded[k]; kept {
				histories++
			}
		}
	}
	n := testing.AllocsPerRun(50, func() { st.PrepareSeeded(s) })
	if histories != 9 || n > float64(2*histories+2+2) { // two a history, the variants' layout twice, the holder and its list
		t.Fatalf("preparing %d kept histories allocates %.0f times, want at most %d", histories, n, 2*histories+4)
	}
}

// Restoring the compact account made its three kept seeded kinds' sources
// into a map, then copied them into the catalog's rebuild plan, a list by
// kind of every kind's (a Seed is 136 bytes); and a list by kind of hidden
// jobs for its kept histories, none hidden (10,432 bytes in all). The
// sources are now a list by kind that the plan takes as its own, and the
// hidden jobs' list is made for the first history hiding one (9,584 bytes;
// 10,480 with the sources copied, 9,808 with the hidden list made always).
func TestRestore_ACompactAccountsKeptSourcesAreMadeOnce(t *testing.T) {
	if _, n := restoreCost(t, 20); n > 9700 {
		t.Fatalf("restoring a compact account allocates %.0f bytes, want at most 9700", n)
	}
}
