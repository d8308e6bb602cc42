package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
)

// changingFlow is scripts/bench's changing row on a flowClient (the
// requests made once): a PATCH of the first item of the first page, then
// that page, at 2026-07-15.
type changingFlow struct {
	c      *flowClient
	target string
	body   []byte
	n      int
}

func newChangingFlow(t testing.TB) *changingFlow {
	h := flowHandler()
	c := newFlowClient(h)
	page := c.call(t, http.MethodGet, "/api/catalog-items", "", nil)
	const key = `"data":[{"type":"catalog-item","id":"`
	i := bytes.Index(page, []byte(key))
	if i < 0 {
		t.Fatalf("no item in %.300s", page)
	}
	id := string(page[i+len(key) : i+len(key)+bytes.IndexByte(page[i+len(key):], '"')])
	return &changingFlow{c: c, target: "/api/catalog-items/" + pathSegment(id)}
}

// patch changes the item's title (a new one each call) and returns the
// answer.
func (f *changingFlow) patch(t testing.TB) []byte {
	f.n++
	f.body = fmt.Appendf(f.body[:0], `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"title %d"}}}`,
		f.target[len("/api/catalog-items/"):], f.n)
	return f.c.call(t, http.MethodPatch, f.target, "", f.body)
}

// list reads the first page and returns it.
func (f *changingFlow) list(t testing.TB) []byte {
	return f.c.call(t, http.MethodGet, "/api/catalog-items", "", nil)
}

// Allocations of the changing row's two requests in the handler, the
// request made once (journal on, rate limits counted as flowHandler sets
// them). Each bound is what is left after the changing rounds (round six:
// 35 and 28 before; round seven: the list's hints made once per resource
// and the store's page memoised, 16 before): a change that allocates more on this path fails here first.
const (
	changingPatchAllocs = 31
	changingListAllocs  = 13
)

func TestChangingFlow_AllocatesLittle(t *testing.T) {
	if raceOn {
		t.Skip("the race detector's sync.Pool drops buffers at random: allocations are not the program's")
	}
	f := newChangingFlow(t)
	for range 30 { // the page memo made, the journal full
		f.patch(t)
		f.list(t)
	}
	// A list follows each PATCH (a list read twice is a cached one): the
	// list's count is the pair's less the PATCH's.
	var patch, pair float64
	for range 5 {
		patch += testing.AllocsPerRun(20, func() { f.patch(t) })
		pair += testing.AllocsPerRun(20, func() { f.patch(t); f.list(t) })
	}
	patch, list := patch/5, (pair-patch)/5
	t.Logf("PATCH %.1f, list %.1f allocations", patch, list)
	if patch > changingPatchAllocs {
		t.Errorf("a PATCH allocates %.1f times, want at most %d", patch, changingPatchAllocs)
	}
	if list > changingListAllocs {
		t.Errorf("a list after a PATCH allocates %.1f times, want at most %d", list, changingListAllocs)
	}
}
