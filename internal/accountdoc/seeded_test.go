package accountdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// shown is what every list of the catalog shows of a's entities, in order:
// each kind forwards and backwards, and each item's and category's
// relationship ids.
func shown(t *testing.T, a *store.Account) []string {
	t.Helper()
	var out []string
	for _, req := range []store.EntityPageRequest{{Kind: itemKind}, {Kind: itemKind, Desc: true}, {Kind: variantKind}, {Kind: categoryKind}} {
		req.Related = true
		for {
			page, err := a.EntityPage(req)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range page.Entities {
				// Each attribute's value, not the slots: a created entity's
				// end at its last value sent (past them it reads its kind's
				// defaults).
				all := make([]any, len(e.Kind.Attrs()))
				for k := range all {
					all[k] = e.Value(k)
				}
				vals, _ := json.Marshal(all)
				out = append(out, fmt.Sprintf("%s %d %d %s %v %v", e.ID, e.Created.UnixMicro(), e.Updated.UnixMicro(), vals, e.Refs, page.Related[i]))
			}
			if !page.HasNext {
				break
			}
			last := page.Entities[len(page.Entities)-1]
			req.After = &store.Position{At: last.Created.UnixMicro(), ID: last.ID}
		}
	}
	for _, c := range must(a.AllEntities(categoryKind)) {
		out = append(out, fmt.Sprint(c.ID, must(a.ChildIDs(categoryKind, c.ID, "items"))))
	}
	return out
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestWriteState_KeepsASeededCatalogAsWhatChanged: the state file writes a
// catalog made on demand as the sources' counts and first ids, the seeded
// ids deleted and the entities held (created or changed, categories with
// their members), and reads back into an account that shows every list as
// the one written did.
func TestWriteState_KeepsASeededCatalogAsWhatChanged(t *testing.T) {
	p := fixtures.Params{Seed: 3, Counts: fixtures.Counts{"items": 3000, "variants": 4000, "categories": 9}, Epoch: fixtures.DefaultEpoch()}
	at := fixtures.DefaultEpoch().Add(time.Hour)
	newStore := func() *store.Store {
		return store.New(store.Options{Seed: 1, Seeder: fixtures.Seeder(p), Now: func() time.Time { return at },
			Lifecycle: store.Lifecycle{Mode: store.Immediate}})
	}
	s := newStore()
	a := must(s.Mutable("pk_state"))
	items := must(a.AllEntities(itemKind))
	variants := must(a.ChildIDs(itemKind, items[10].ID, "variants"))
	cats := must(a.AllEntities(categoryKind))
	job := func(kind store.JobKind, els ...store.Element) {
		t.Helper()
		if _, err := a.Create(store.CreateRequest{Kind: kind, Elements: els}); err != nil {
			t.Fatal(err)
		}
		a.InProgress()
		at = at.Add(time.Second)
	}
	relate := func(kind store.EntityKind, rel, id string, act store.RelAction, others ...string) {
		t.Helper()
		r, _ := kind.Decl().Relation(rel)
		if eerr, err := a.Relate(kind, r, id, act, others); eerr != nil || err != nil {
			t.Fatalf("%v %v", eerr, err)
		}
		at = at.Add(time.Second)
	}
	ids := func(es []*store.Entity, lo, hi int) []string {
		var out []string
		for _, e := range es[lo:hi] {
			out = append(out, e.ID)
		}
		return out
	}
	job(jobItemDelete, store.Element{ID: items[5].ID})
	job(jobVariantDelete, store.Element{ID: variants[0]})
	relate(categoryKind, "items", cats[1].ID, store.RelReplace, ids(items, 100, 500)...)
	relate(itemKind, "categories", items[7].ID, store.RelReplace, cats[3].ID)
	created := at // a category's document has no created: the restore stamps it, and this test restores at it
	job(jobCategoryCreate, store.Element{ID: store.EntityID("C-NEW"),
		Values: store.Entity{ExternalID: "C-NEW"}, Set: categoryKind.SetOf("external_id"), HasRelated: true, Related: ids(items, 20, 30)})
	job(jobCategoryDelete, store.Element{ID: cats[0].ID})
	want := shown(t, a)

	var doc bytes.Buffer
	if err := WriteState(&doc, must(a.ExportCompact())); err != nil {
		t.Fatal(err)
	}
	if doc.Len() > 64<<10 {
		t.Errorf("the state of 3,000 items with a few changed takes %d bytes", doc.Len())
	}
	for _, member := range []string{`"seeded_catalog":{"items":{"count":3000,`, `"hidden":["` + items[5].ID + `"]`, `"variants":{"count":4000,`} {
		if !strings.Contains(doc.String(), member) {
			t.Errorf("the state lacks %s", member)
		}
	}
	var st AccountState
	if err := json.Unmarshal(doc.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	restored := newStore()
	if err := Restore(restored, st, created); err != nil {
		t.Fatal(err)
	}
	got := shown(t, must(restored.Account("pk_state")))
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("entry %d differs after the restore:\nrestored %.300s\nwritten  %.300s", i, got[i], want[i])
			}
		}
		t.Fatalf("%d entries after the restore, %d written", len(got), len(want))
	}

	// A server started with other counts refuses the file's seeded catalog.
	p.Counts["items"] = 2999
	if err := Restore(newStore(), st, at); err == nil || !strings.Contains(err.Error(), "seeded_catalog/items") {
		t.Fatalf("restored into other counts: %v", err)
	}
}
