package store

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkPage shows a page costs the same at a thousand and a million
// jobs, with and without a status filter, from the start and mid-walk.
// Compare ns/op across sizes: it should not grow with n.
func BenchmarkPage(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		s := New(Options{Seed: 1, Seeder: seqSeeder(n), Now: func() time.Time { return t0 }})
		a, _ := s.Account("k")
		a.Len(jobItemUpdate) // seed outside the timer
		mid := fmt.Sprintf("J%06d", n/2)
		for _, c := range []struct {
			name string
			req  PageRequest
		}{
			{"all/first", PageRequest{Statuses: AllStatuses}},
			{"all/mid", PageRequest{Statuses: AllStatuses, After: mid}},
			{"complete/mid", PageRequest{Statuses: Only(Complete), After: mid}},
			{"queued/prev", PageRequest{Statuses: Only(Queued), Before: mid}},
		} {
			b.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if p := pg(b, a, c.req); len(p.Jobs) != PageSize {
						b.Fatalf("page of %d", len(p.Jobs))
					}
				}
			})
		}
	}
}

// BenchmarkRelateReplace replaces a category's 65,000 members (of 80,000
// items), alternating between two sets that differ in 15,000 each way.
func BenchmarkRelateReplace(b *testing.B) {
	a, _ := lockedAccount(b, 80_000)
	items := rel(categoryKind, "items")
	sets := [][]string{itemRange(1, 65_000), itemRange(15_001, 80_000)}
	i := 0
	for b.Loop() {
		if eerr, err := a.Relate(categoryKind, items, EntityID("C0"), RelReplace, sets[i%2]); eerr != nil || err != nil {
			b.Fatal(eerr, err)
		}
		i++
	}
}
