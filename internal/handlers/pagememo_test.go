package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"unsafe"

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
	ids := tw.pageIDs(t, list, rev, 10)
	for n := range 4 {
		id := ids[(n*7)%len(ids)]
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
	ids := tw.pageIDs(t, list, rev, 4)
	const workers, rounds = 4, 25
	patch := func(w, n int) (string, []byte) {
		id := ids[w]
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
	ids := tw.pageIDs(t, list, rev, 4)
	frags := tw.cached.h.frags.Cache()
	for n := range 3 {
		id := ids[n]
		tw.do(t, "PATCH", "/api/catalog-items/"+id, rev, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"kept %d"}}}`, id, n))
		_, misses := frags.Stats()
		tw.do(t, "GET", list, rev, nil)
		if _, after := frags.Stats(); after != misses {
			t.Errorf("change %d: the list after the PATCH rendered %d objects, want 0", n, after-misses)
		}
	}
}

// pieceWriter keeps each slice it is given, as given (not copied), and a
// copy of the bytes it held when written.
type pieceWriter struct {
	h      http.Header
	code   int
	pieces [][]byte
	copies [][]byte
}

func (w *pieceWriter) Header() http.Header {
	if w.h == nil {
		w.h = http.Header{}
	}
	return w.h
}

func (w *pieceWriter) WriteHeader(code int) { w.code = code }

func (w *pieceWriter) Write(p []byte) (int, error) {
	w.pieces = append(w.pieces, p)
	w.copies = append(w.copies, bytes.Clone(p))
	return len(p), nil
}

func (w *pieceWriter) body() []byte { return bytes.Join(w.copies, nil) }

// A page read after one of its objects changed is sent with the unchanged
// objects' bytes as the page memo keeps them, not copied into the
// answer's buffer first: after two changes of one item, the two answers
// were written, mostly, from the same kept bytes, in pieces of at least
// 4 KiB that the second answer (and the change before it) left as the
// first was given them. Content-Length is the pieces' total, and the bodies are the
// uncached emulator's.
func TestCache_APageAfterAChangeIsSentFromTheKeptPage(t *testing.T) {
	tw := newHandlerTwin(t, resource.Default(), fixtures.Seeder(fuzzCatalog))
	const list, rev = "/api/catalog-items?page[size]=50", "2026-07-15"
	ids := tw.pageIDs(t, list, rev, 20)
	tw.do(t, "GET", list, rev, nil)
	id := ids[0]
	var answers [2]*pieceWriter
	for n := range answers {
		tw.do(t, "PATCH", "/api/catalog-items/"+id, rev, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"sent %d"}}}`, id, n))
		w := tw.sendInPieces(t, list, rev)
		answers[n] = w
	}
	if shared, total := sharedKept(answers[0], answers[1]), len(answers[1].body()); shared < total/2 {
		t.Fatalf("the two answers after a change shared %d of %d bytes as kept; the rest was copied into the answer", shared, total)
	}
}

// sharedKept returns how many bytes answers a and b were both given from
// the same memory, in pieces of at least 4 KiB that b left as a was given
// them: bytes kept across requests, not an answer's buffer.
func sharedKept(a, b *pieceWriter) int {
	shared := 0
	for i, p := range a.pieces {
		if len(p) < 4096 || !bytes.Equal(p, a.copies[i]) {
			continue
		}
		ps := uintptr(unsafe.Pointer(unsafe.SliceData(p)))
		for _, q := range b.pieces {
			if len(q) < 4096 {
				continue
			}
			qs := uintptr(unsafe.Pointer(unsafe.SliceData(q)))
			shared += max(0, int(min(ps+uintptr(len(p)), qs+uintptr(len(q))))-int(max(ps, qs)))
		}
	}
	return shared
}

// sendInPieces serves a GET of target to the cached twin into a
// pieceWriter and fails unless its body is the uncached twin's and its
// Content-Length the body's length.
func (tw *handlerTwin) sendInPieces(t *testing.T, target, rev string) *pieceWriter {
	t.Helper()
	_, want := tw.direct.serve("GET", target, rev, nil)
	w := &pieceWriter{}
	req := httptest.NewRequest("GET", "http://127.0.0.1"+target, nil)
	req.Host, req.RemoteAddr = "127.0.0.1:8080", "127.0.0.1:1"
	req.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	req.Header.Set("revision", rev)
	tw.cached.h.ServeHTTP(w, req)
	if w.code != 200 || !bytes.Equal(w.body(), want) {
		t.Fatalf("GET %s: %d, %d bytes, want the uncached emulator's %d bytes", target, w.code, len(w.body()), len(want))
	}
	if cl := w.h.Get("Content-Length"); cl != strconv.Itoa(len(want)) {
		t.Fatalf("GET %s: Content-Length %s, the body has %d bytes", target, cl, len(want))
	}
	return w
}

// Once an eighth of a page's objects changed since its memo was made, the
// page is kept anew: after every object of a page changed, one by one and
// read after each change, the page is still sent mostly from kept bytes
// (the slots of its changed objects alone would leave no run of the block
// to send in place), and the memos hold about the page once, not every
// object twice.
func TestCache_APageWhoseObjectsAllChangedIsKeptAnew(t *testing.T) {
	tw := newHandlerTwin(t, resource.Default(), fixtures.Seeder(fuzzCatalog))
	const list, rev = "/api/catalog-items?page[size]=50", "2026-07-15"
	ids := tw.pageIDs(t, list, rev, 40)
	tw.do(t, "GET", list, rev, nil)
	var last [2]*pieceWriter
	for n, id := range append(ids, ids[0]) {
		tw.do(t, "PATCH", "/api/catalog-items/"+id, rev, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"all %d"}}}`, id, n))
		last[0], last[1] = last[1], tw.sendInPieces(t, list, rev)
	}
	total := len(last[1].body())
	if shared := sharedKept(last[0], last[1]); shared < total/2 {
		t.Fatalf("after every object changed, two answers shared %d of %d bytes as kept: the page was copied into the answer", shared, total)
	}
	if held, _ := tw.cached.h.frags.MemoBytes(); held > int64(total)*5/4+64<<10 {
		t.Fatalf("the page memos hold %d bytes for a page of %d", held, total)
	}
}

// A page read after a change of its first object, in the request shape
// its memo was made in, is sent in two pieces: the document's head with
// the changed object, then the unchanged objects and the document's tail
// (links, meta) as kept, when the tail is the one kept with them. net/http
// sends a body in as many writes to the connection as it has pieces past
// its buffer, so the tail sent apart would cost each answer a write more
// than a page sent whole from one buffer.
func TestCache_APageAfterAChangeSendsItsTailWithTheKeptObjects(t *testing.T) {
	tw := newHandlerTwin(t, resource.Default(), fixtures.Seeder(fuzzCatalog))
	const list, rev = "/api/catalog-items?page[size]=50", "2026-07-15"
	ids := tw.pageIDs(t, list, rev, 20)
	tw.do(t, "GET", list, rev, nil)
	id := ids[0]
	for n := range 3 {
		tw.do(t, "PATCH", "/api/catalog-items/"+id, rev, fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"tail %d"}}}`, id, n))
		w := tw.sendInPieces(t, list, rev)
		if len(w.pieces) != 2 {
			lens := make([]int, len(w.pieces))
			for i, p := range w.pieces {
				lens[i] = len(p)
			}
			t.Fatalf("change %d: the page was sent in pieces of %v bytes, want 2 (the head with the changed object, the rest as kept)", n, lens)
		}
	}
}

// pageIDs GETs target from the twin and returns its data's ids, failing
// unless there are at least least of them.
func (tw *handlerTwin) pageIDs(t *testing.T, target, rev string, least int) []string {
	t.Helper()
	_, body := tw.do(t, "GET", target, rev, nil)
	var doc struct{ Data []struct{ ID string } }
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Data) < least {
		t.Fatalf("GET %s: %v, %d objects, want at least %d", target, err, len(doc.Data), least)
	}
	ids := make([]string, len(doc.Data))
	for i, d := range doc.Data {
		ids[i] = d.ID
	}
	return ids
}
