package render

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// TestPageMemo_AChangedObjectTheCacheHoldsIsNotCopied: a page read after
// a write (the changing row: PATCH, then the list) finds the written
// object in the object cache, kept by the write's answer. The memo's
// slot for it takes the cache's bytes, which never change, rather than a
// copy of them; the answer is the same bytes as a page rendered afresh.
func TestPageMemo_AChangedObjectTheCacheHoldsIsNotCopied(t *testing.T) {
	a := itemsAccount(t, 20)
	page := func() []*store.Entity {
		t.Helper()
		p, err := a.EntityPage(store.EntityPageRequest{Kind: storetest.ItemKind, Limit: 20})
		if err != nil || len(p.Entities) < minMemo {
			t.Fatalf("page: %v, %d entities", err, len(p.Entities))
		}
		return p.Entities
	}
	res, _ := resource.Default().Named("catalog-items")
	rev, ok := revision.Default().Exact("2026-07-15")
	if !ok {
		t.Fatal("no revision 2026-07-15")
	}
	f := NewFragments(8 << 20)
	renderer := func(frags *Fragments) *Renderer {
		return &Renderer{P: res.At(rev), Base: "http://127.0.0.1:1", Fields: resource.AllFields, Frags: frags}
	}
	for range 3 { // the memo is made at the page's second rendering
		renderer(f).Entities(nil, page(), nil, nil, Links{}, nil)
	}
	id := page()[3].ID
	v := retitle(t, a, id)
	w := renderer(f)
	w.Objects = KeepAtOnce
	w.Entity(nil, v.Entity, nil) // the write's answer keeps its object

	es := page()
	got := renderer(f).Entities(nil, es, nil, nil, Links{}, nil)
	if want := renderer(nil).Entities(nil, es, nil, nil, Links{}, nil); string(got) != string(want) {
		t.Fatalf("page after the write:\n%s\nwant\n%s", got, want)
	}
	shape := renderer(f).entityShape(res.At(rev), resource.AllFields, relLinks)
	m, ok := f.pages.Get(f.memoKey(shape, es))
	if !ok {
		t.Fatal("no page memo")
	}
	slot := m.objs[3].Load()
	key, _ := makeFragKey(v.Entity.Stamp(), shape)
	kept, ok := f.cache.Get(key)
	if slot == nil || !ok || len(slot.b) == 0 || &slot.b[0] != &kept[0] {
		t.Fatalf("the memo's slot holds a copy of the object the cache keeps (slot %v, cached %v)", slot != nil, ok)
	}
}

// itemsAccount returns an account of n seeded items.
func itemsAccount(t *testing.T, n int) *store.Account {
	t.Helper()
	clk := clock.New()
	st := store.New(store.Options{Seed: 1, Now: clk.Now,
		Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Counts: fixtures.Counts{"items": n}})})
	a, err := st.Mutable("pk_render")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// retitle writes a new title ("changed") to item id of a, as an update
// does, and returns what the write answers with.
func retitle(t *testing.T, a *store.Account, id string) store.EntityView {
	t.Helper()
	title := storetest.AttrIndex(storetest.ItemKind, "title")
	el := store.Element{ID: id, Set: store.AttrSet(0).With(title)}
	el.Values = *store.NewEntity(storetest.ItemKind, id)
	codec.SetAttr(&el.Values, title, "changed")
	v, eerr, err := a.Write(storetest.JobItemUpdate, el, false)
	if err != nil || eerr != nil {
		t.Fatal(err, eerr)
	}
	return v
}

// TestPageMemo_TheRendererStaysOnItsCallersStack: a list renders with a
// Renderer value of its own (the handlers make one per request). The memo's
// rendering kept a pointer to it in a value whose contents the memo keeps
// (its object ends), so the renderer went to the heap: an allocation of
// every list. A page read again, unchanged, now allocates nothing.
func TestPageMemo_TheRendererStaysOnItsCallersStack(t *testing.T) {
	a := itemsAccount(t, 20)
	p, err := a.EntityPage(store.EntityPageRequest{Kind: storetest.ItemKind, Limit: 20})
	if err != nil || len(p.Entities) < minMemo {
		t.Fatalf("page: %v, %d entities", err, len(p.Entities))
	}
	res, _ := resource.Default().Named("catalog-items")
	rev, ok := revision.Default().Exact("2026-07-15")
	if !ok {
		t.Fatal("no revision 2026-07-15")
	}
	f := NewFragments(8 << 20)
	buf := make([]byte, 0, 64<<10)
	list := func() {
		r := Renderer{P: res.At(rev), Base: "http://127.0.0.1:1", Fields: resource.AllFields, Frags: f}
		buf = r.Entities(buf[:0], p.Entities, nil, nil, Links{}, nil)
	}
	for range 3 { // the memo is made at the page's second rendering
		list()
	}
	if n := testing.AllocsPerRun(50, list); n != 0 {
		t.Fatalf("an unchanged page allocates %.0f times, want 0", n)
	}
}
