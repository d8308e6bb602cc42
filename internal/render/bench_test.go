package render_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// benchRevisions: relationship data inline (2022-10-17) and the newest
// shape with top-level id, links-only relationships and agent hints.
var benchRevisions = []string{"2022-10-17", "2026-07-15"}

// benchParams seed the benchmarked pages: 100 realistic jobs.
var benchParams = fixtures.Params{Seed: 1, Jobs: 100, Counts: fixtures.Counts{"items": 200, "variants": 300, "categories": 20}}

// benchJobs returns a page of 100 realistic jobs of kind.
func benchJobs(kind store.JobKind) []*store.Job {
	return fixtures.Jobs(benchParams, "pk_bench", kind)
}

// benchPage returns a page of 100 realistic item update jobs and its
// renderer inputs.
func benchPage(b *testing.B, date string) (*render.Renderer, []*store.Job, render.Links, []string) {
	b.Helper()
	return benchPageOf(b, "catalog-item-bulk-update-jobs", jobItemUpdate, date)
}

// benchPageOf returns a page of 100 realistic jobs of the resource name
// (of kind) and its renderer inputs.
func benchPageOf(b *testing.B, name string, kind store.JobKind, date string) (*render.Renderer, []*store.Job, render.Links, []string) {
	b.Helper()
	jobs := benchJobs(kind)
	if len(jobs) != benchParams.Jobs {
		b.Fatalf("fixtures gave %d jobs, want %d", len(jobs), benchParams.Jobs)
	}
	rp, ok := revision.Default().Exact(date)
	if !ok {
		b.Fatalf("no revision %s", date)
	}
	res, ok := registry.Named(name)
	if !ok {
		b.Fatalf("no resource %s", name)
	}
	r := &render.Renderer{P: res.At(rp), Base: "https://a.klaviyo.com", Fields: resource.AllFields, IncludedFields: resource.AllFields}
	links := render.Links{
		Self: render.Text{"https://a.klaviyo.com/api/" + name},
		Next: "https://a.klaviyo.com/api/" + name + "?page%5Bcursor%5D=bmV4dDo6aWQ6OjAxSlhZWjAwMDAwMDAwMDAwMDAwMDAwMDA",
	}
	hints := []string{"Fetch the next page of jobs by following links.next.",
		"Fetch one job with GET /api/" + name + "/{job_id} to poll its progress."}
	return r, jobs, links, hints
}

// BenchmarkRenderPage renders a list page of 100 item update jobs into a
// reused buffer. Compare with BenchmarkStaticCopy, which appends the same
// bytes.
func BenchmarkRenderPage(b *testing.B) {
	for _, date := range benchRevisions {
		b.Run(date, func(b *testing.B) {
			r, jobs, links, hints := benchPage(b, date)
			benchRender(b, r, jobs, links, hints)
		})
	}
}

// BenchmarkRenderPageCategoryDelete is BenchmarkRenderPage for category
// delete jobs: another entity, a longer relationship key, and (from
// 2023-12-15) no relationship data on reads.
func BenchmarkRenderPageCategoryDelete(b *testing.B) {
	for _, date := range benchRevisions {
		b.Run(date, func(b *testing.B) {
			r, jobs, links, hints := benchPageOf(b, "catalog-category-bulk-delete-jobs", jobCategoryDelete, date)
			benchRender(b, r, jobs, links, hints)
		})
	}
}

// benchRender renders the page into a reused buffer.
func benchRender(b *testing.B, r *render.Renderer, jobs []*store.Job, links render.Links, hints []string) {
	b.Helper()
	buf := r.Jobs(nil, jobs, links, hints)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = r.Jobs(buf[:0], jobs, links, hints)
	}
}

// BenchmarkStaticCopy appends the pre-rendered bytes of the same page into
// a reused buffer: the floor rendering is measured against.
func BenchmarkStaticCopy(b *testing.B) {
	for _, date := range benchRevisions {
		b.Run(date, func(b *testing.B) {
			r, jobs, links, hints := benchPage(b, date)
			static := r.Jobs(nil, jobs, links, hints)
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

// TestRenderPage_IsStableAndReusesTheBuffer checks what the benchmarks
// rely on: rendering into a reused buffer gives the same bytes without
// allocating, for every job resource.
func TestRenderPage_IsStableAndReusesTheBuffer(t *testing.T) {
	for _, js := range jobSpecs {
		jobs := benchJobs(js.kind)
		if len(jobs) != benchParams.Jobs {
			t.Fatalf("%s: fixtures gave %d jobs", js.name, len(jobs))
		}
		for _, date := range benchRevisions {
			r := renderer(profileOf(t, js.name, date))
			links := render.Links{Self: render.Text{base + "/api/" + js.name}}
			first := r.Jobs(nil, jobs, links, nil)
			if got := len(arr(t, decode(t, first), "data")); got != len(jobs) {
				t.Errorf("%s %s: %d jobs rendered, want %d", js.name, date, got, len(jobs))
			}
			buf := make([]byte, 0, len(first))
			allocs := testing.AllocsPerRun(20, func() { buf = r.Jobs(buf[:0], jobs, links, nil) })
			if string(buf) != string(first) {
				t.Errorf("%s %s: re-rendering into a reused buffer changed the bytes", js.name, date)
			}
			if allocs != 0 {
				t.Errorf("%s %s: %v allocations per page with a large enough buffer, want 0", js.name, date, allocs)
			}
		}
	}
}
