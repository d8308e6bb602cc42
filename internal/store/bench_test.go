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

// BenchmarkEntityFromState reads one catalog item of a state file (or a
// control API PUT), as a restart does for each of a catalog's items: a
// state file of 82,000 small items (47 MiB) took 16 s to load under the soak.
func BenchmarkEntityFromState(b *testing.B) {
	raw := []byte(`{"id":"$custom:::$default:::SMALL-1","external_id":"SMALL-1","title":"small 1","description":"d","price":null,` +
		`"url":"https://shop.example/1","image_full_url":"","image_thumbnail_url":"","images":[],"custom_metadata":{},"published":true,` +
		`"created":"2026-11-28T12:00:00.000000+00:00","updated":"2026-11-28T12:00:00.000000+00:00"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, probs := EntityFromState(itemKind, raw, "/items/0", true); len(probs) > 0 {
			b.Fatal(probs)
		}
	}
}
