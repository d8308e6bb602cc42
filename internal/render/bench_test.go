package render_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// benchRevisions: relationship data inline (2022-10-17) and the newest
// shape with top-level id, links-only relationships and agent hints.
var benchRevisions = []string{"2022-10-17", "2026-07-15"}

// benchPage returns a page of 100 realistic jobs and its renderer inputs.
func benchPage(b *testing.B, date string) (*render.Renderer, []*store.Job, render.Links, []string) {
	b.Helper()
	jobs, _ := fixtures.Generate(fixtures.Params{Seed: 1, Jobs: 100, Items: 200}, "pk_bench")
	p, ok := revision.Default().Exact(date)
	if !ok {
		b.Fatalf("no revision %s", date)
	}
	r := &render.Renderer{P: p, Base: "https://a.klaviyo.com", JobFields: render.AllFields, ItemFields: render.AllFields}
	links := render.Links{
		Self: "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs",
		Next: "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs?page%5Bcursor%5D=bmV4dDo6aWQ6OjAxSlhZWjAwMDAwMDAwMDAwMDAwMDAwMDA",
	}
	hints := []string{"Fetch the next page of jobs by following links.next.",
		"Fetch one job with GET /api/catalog-item-bulk-update-jobs/{job_id} to poll its progress."}
	return r, jobs, links, hints
}

// BenchmarkRenderPage renders a list page of 100 jobs into a reused
// buffer. Compare with BenchmarkStaticCopy, which appends the same bytes.
func BenchmarkRenderPage(b *testing.B) {
	for _, date := range benchRevisions {
		b.Run(date, func(b *testing.B) {
			r, jobs, links, hints := benchPage(b, date)
			buf := r.List(nil, jobs, links, hints)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				buf = r.List(buf[:0], jobs, links, hints)
			}
		})
	}
}

// BenchmarkStaticCopy appends the pre-rendered bytes of the same page into
// a reused buffer: the floor rendering is measured against.
func BenchmarkStaticCopy(b *testing.B) {
	for _, date := range benchRevisions {
		b.Run(date, func(b *testing.B) {
			r, jobs, links, hints := benchPage(b, date)
			static := r.List(nil, jobs, links, hints)
			buf := make([]byte, 0, len(static))
			b.SetBytes(int64(len(static)))
			b.ReportAllocs()
			for b.Loop() {
				buf = append(buf[:0], static...)
			}
			if len(buf) != len(static) {
				b.Fatalf("copied %d bytes, want %d", len(buf), len(static))
			}
		})
	}
}

// TestRenderPage_IsStableAndReusesTheBuffer checks what the benchmark
// relies on: rendering into a reused buffer gives the same bytes without
// allocating.
func TestRenderPage_IsStableAndReusesTheBuffer(t *testing.T) {
	jobs, _ := fixtures.Generate(fixtures.Params{Seed: 1, Jobs: 100, Items: 200}, "pk_bench")
	for _, date := range benchRevisions {
		r := renderer(profile(t, date))
		links := render.Links{Self: listSelf}
		first := r.List(nil, jobs, links, nil)
		decode(t, first)
		buf := make([]byte, 0, len(first))
		allocs := testing.AllocsPerRun(20, func() { buf = r.List(buf[:0], jobs, links, nil) })
		if string(buf) != string(first) {
			t.Errorf("%s: re-rendering into a reused buffer changed the bytes", date)
		}
		if allocs != 0 {
			t.Errorf("%s: %v allocations per page with a large enough buffer, want 0", date, allocs)
		}
	}
}
