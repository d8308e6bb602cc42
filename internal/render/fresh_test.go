package render

import (
	"bytes"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// TestFragments_AnObjectNewerThanAnyGivenIsNotLookedFor: every write to
// the object cache notes its stamp first, so an object whose stamp is
// above every stamp of its class the cache was given (an item at its
// first rendering since a change) cannot be there: it is rendered
// without a look-up in the cache's two generations, and counted as a
// miss. The test plants bytes under such an object's key behind the
// renderer's back (the key rendering it keeps it under): they are not
// read. Once the object is given to the cache (kept), it is read from it.
func TestFragments_AnObjectNewerThanAnyGivenIsNotLookedFor(t *testing.T) {
	a := itemsAccount(t, 5)
	p, err := a.EntityPage(store.EntityPageRequest{Kind: storetest.ItemKind, Limit: 5})
	if err != nil || len(p.Entities) == 0 {
		t.Fatalf("page: %v", err)
	}
	res, _ := resource.Default().Named("catalog-items")
	rev, ok := revision.Default().Exact("2026-07-15")
	if !ok {
		t.Fatal("no revision 2026-07-15")
	}
	f := NewFragments(8 << 20)
	r := &Renderer{P: res.At(rev), Base: "http://127.0.0.1:1", Fields: resource.AllFields, Frags: f, Objects: KeepAtOnce}
	r.Entity(nil, p.Entities[0], nil) // the cache is given a seeded item

	v := retitle(t, a, p.Entities[1].ID)
	key, ok := makeFragKey(v.Entity.Stamp(), r.entityShape(r.P, r.Fields, r.entityRels()))
	if !ok || key.stamp() <= f.newest[objEntity].Load() {
		t.Fatalf("the written item's stamp %d is not newer than those given (%d)", v.Entity.Stamp(), f.newest[objEntity].Load())
	}
	// A poll renders the job first, its new value stamped after the
	// items it applied: given to the cache, it does not make them looked
	// for.
	if jk, ok := makeFragKey(v.Entity.Stamp()+1, 1); ok {
		f.given(objJob, jk)
	}
	f.cache.Put(key, []byte(`"planted"`))
	_, misses := f.cache.Stats()
	got := r.Entity(nil, v.Entity, nil)
	if bytes.Contains(got, []byte("planted")) || !bytes.Contains(got, []byte(`"changed"`)) {
		t.Fatalf("the newer item was looked for in the cache: %s", got)
	}
	if _, m := f.cache.Stats(); m != misses+1 {
		t.Errorf("misses %d → %d, want one more", misses, m)
	}
	if again := r.Entity(nil, v.Entity, nil); !bytes.Equal(again, got) {
		t.Fatalf("the item once kept is read as\n%s\nwant\n%s", again, got)
	}
	if hits, _ := f.cache.Stats(); hits == 0 {
		t.Error("the item once kept was not read from the cache")
	}
	if v, _ := f.cache.Get(key); bytes.Contains(v, []byte("planted")) {
		t.Error("the item was kept under another key than the one planted: the plant proves nothing")
	}
}
