package handlers

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// A page rebuilt after one of its objects changed takes the others from
// the page as last rendered (render's page memo), not one by one from the
// object cache: with the object cache emptied, only the changed item is
// rendered. Every answer is the bytes of an emulator without caches.
func TestCache_APageRebuiltAfterAChangeRendersOnlyTheChangedObject(t *testing.T) {
	tw := newHandlerTwin(t, resource.Default(), fixtures.Seeder(fuzzCatalog))
	const list, rev = "/api/catalog-items?page[size]=20", "2026-07-15"
	_, body := tw.do(t, "GET", list, rev, nil)
	var doc struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Data) < 10 {
		t.Fatalf("the first page: %v, %d items", err, len(doc.Data))
	}
	for n := range 4 {
		id := doc.Data[(n*7)%len(doc.Data)].ID
		tw.do(t, "PATCH", "/api/catalog-items/"+id, rev, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"memo %d"}}}`, id, n))
		frags := tw.cached.h.frags.Cache()
		frags.Clear()
		_, misses := frags.Stats()
		tw.do(t, "GET", list, rev, nil)
		if _, after := frags.Stats(); after-misses > 1 {
			t.Errorf("change %d: the page looked up %d objects in the emptied object cache, want 1 (the changed item)", n, after-misses)
		}
	}
}

// Connections that each change an item of a page and read it back, at
// once, share its page memo (slots replaced while others copy them); run
// with -race. Afterwards the page is the bytes of an emulator without
// caches that took the same changes.
func TestCache_APageMemoSharedByConcurrentChangesStaysExact(t *testing.T) {
	tw := newHandlerTwin(t, resource.Default(), fixtures.Seeder(fuzzCatalog))
	const list, rev = "/api/catalog-items?page[size]=20", "2026-07-15"
	_, body := tw.do(t, "GET", list, rev, nil)
	var doc struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Data) < 4 {
		t.Fatalf("the first page: %v, %d items", err, len(doc.Data))
	}
	const workers, rounds = 4, 25
	patch := func(w, n int) (string, []byte) {
		id := doc.Data[w].ID
		return "/api/catalog-items/" + id, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"w%d n%d"}}}`, id, w, n)
	}
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			for n := range rounds {
				target, b := patch(w, n)
				if status, _ := tw.cached.serve("PATCH", target, rev, b); status != 200 {
					errs <- fmt.Sprintf("PATCH: %d", status)
					return
				}
				if status, _ := tw.cached.serve("GET", list, rev, nil); status != 200 {
					errs <- fmt.Sprintf("GET: %d", status)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	for w := range workers { // the direct twin takes each worker's last change
		target, b := patch(w, rounds-1)
		if status, _ := tw.direct.serve("PATCH", target, rev, b); status != 200 {
			t.Fatalf("PATCH: %d", status)
		}
	}
	tw.do(t, "GET", list, rev, nil)
}

// The object a PATCH answers with is kept in the object cache at once (the
// next read of a list usually shows it, in the same shape at revisions
// whose write answers carry what reads do), so the page read after the
// change renders nothing.
func TestCache_AListAfterAPatchFindsThePatchedObjectRendered(t *testing.T) {
	tw := newHandlerTwin(t, resource.Default(), fixtures.Seeder(fuzzCatalog))
	const list, rev = "/api/catalog-items?page[size]=20", "2026-07-15"
	_, body := tw.do(t, "GET", list, rev, nil)
	var doc struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Data) < 4 {
		t.Fatalf("the first page: %v, %d items", err, len(doc.Data))
	}
	frags := tw.cached.h.frags.Cache()
	for n := range 3 {
		id := doc.Data[n].ID
		tw.do(t, "PATCH", "/api/catalog-items/"+id, rev, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"kept %d"}}}`, id, n))
		_, misses := frags.Stats()
		tw.do(t, "GET", list, rev, nil)
		if _, after := frags.Stats(); after != misses {
			t.Errorf("change %d: the list after the PATCH rendered %d objects, want 0", n, after-misses)
		}
	}
}
