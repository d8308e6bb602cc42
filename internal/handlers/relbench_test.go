package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// bulkHandler is the full handler (journal on, limits out of the way) over
// a catalog of 80,000 items in four categories, as scripts/bench's
// replacement row (--items 80000), with the two sets of 65,000 item ids
// that row alternates between (they differ in 15,000 each way) and a
// category's id.
func bulkHandler(b *testing.B) (*Handler, [2][]string, string) {
	clk := clock.New()
	st := store.New(store.Options{Seed: 1, Now: clk.Now,
		Seeder: fixtures.Seeder(fixtures.Params{Seed: 1, Jobs: 10, Counts: fixtures.Counts{"items": 80_000, "variants": 10, "categories": 4}})})
	a, _ := st.Account(testKey)
	items, err := a.AllEntities(itemKind)
	if err != nil || len(items) != 80_000 {
		b.Fatal(len(items), err)
	}
	cats, err := a.AllEntities(categoryKind)
	if err != nil || len(cats) == 0 {
		b.Fatal(len(cats), err)
	}
	var sets [2][]string
	for i, e := range items {
		if i < 65_000 {
			sets[0] = append(sets[0], e.ID)
		}
		if i >= 15_000 {
			sets[1] = append(sets[1], e.ID)
		}
	}
	h := New(Options{Store: st, Clock: clk, Resources: resource.Default(), Seed: 1,
		RateLimits: limiter.Policy{Burst: 1 << 30, Steady: 1 << 30}, Journal: journal.New(journal.Options{Entries: 1000})})
	return h, sets, cats[0].ID
}

// identifiersBody is a relationship write's body naming ids of type typ.
func identifiersBody(typ string, ids []string) []byte {
	var sb strings.Builder
	sb.Grow(len(ids) * 64)
	sb.WriteString(`{"data":[`)
	for i, id := range ids {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"type":"` + typ + `","id":"` + id + `"}`)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// BenchmarkRelationshipReplace65k replaces a category's 65,000 items
// through the whole handler (PATCH …/relationships/items, 2026-07-15, a
// 4 MB body), alternating between two id sets that differ in 15,000 each
// way, so every replacement changes 30,000 memberships: scripts/bench's
// replacement row in process, for a profile.
func BenchmarkRelationshipReplace65k(b *testing.B) {
	h, sets, cat := bulkHandler(b)
	bodies := [2][]byte{identifiersBody("catalog-item", sets[0]), identifiersBody("catalog-item", sets[1])}
	target := "/api/catalog-categories/" + url.PathEscape(cat) + "/relationships/items"
	w := &sink{}
	b.SetBytes(int64(len(bodies[0])))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		flowSend(b, h, w, http.MethodPatch, target, bodies[i%2])
		i++
	}
}

// categoryBody is a category write (id "": a create) whose
// relationships.items holds ids.
func categoryBody(id, ext string, ids []string) []byte {
	head := `{"data":{"type":"catalog-category","attributes":{"external_id":"` + ext + `","name":"Bench"},`
	if id != "" {
		head = `{"data":{"type":"catalog-category","id":"` + id + `","attributes":{"name":"Bench"},`
	}
	list := identifiersBody("catalog-item", ids)
	return append([]byte(head+`"relationships":{"items":`), append(list, `}}}`...)...)
}

// BenchmarkRelationshipWrites65k makes the other writes of 65,000 item ids
// through the whole handler (2026-07-15), as BenchmarkRelationshipReplace65k
// does the replacement: add then remove them (…/relationships/items POST
// and DELETE, each changing 65,000 memberships after the first; b.N counts
// pairs), update a category with them in its
// relationships (PATCH, alternating the two sets), create a category with
// them then delete it (b.N counts pairs).
func BenchmarkRelationshipWrites65k(b *testing.B) {
	h, sets, cat := bulkHandler(b)
	rel := "/api/catalog-categories/" + url.PathEscape(cat) + "/relationships/items"
	list := identifiersBody("catalog-item", sets[0])
	w := &sink{}
	b.Run("add+remove", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			flowSend(b, h, w, http.MethodPost, rel, list)
			flowSend(b, h, w, http.MethodDelete, rel, list)
		}
	})
	b.Run("category-update", func(b *testing.B) {
		bodies := [2][]byte{categoryBody(cat, "", sets[0]), categoryBody(cat, "", sets[1])}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			flowSend(b, h, w, http.MethodPatch, "/api/catalog-categories/"+url.PathEscape(cat), bodies[i%2])
			i++
		}
	})
	b.Run("category-create+delete", func(b *testing.B) {
		body := categoryBody("", "BENCH-CATEGORY", sets[0])
		target := "/api/catalog-categories/" + url.PathEscape(store.EntityID("BENCH-CATEGORY"))
		b.ReportAllocs()
		for b.Loop() {
			flowSend(b, h, w, http.MethodPost, "/api/catalog-categories", body)
			flowSend(b, h, w, http.MethodDelete, target, nil)
		}
	})
}
