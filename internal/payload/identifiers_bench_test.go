package payload_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// BenchmarkParseIdentifiers65k parses a relationship write of 65,000
// item ids (about 4 MB) and a category create holding them, as the API
// does (list) and through the decoded tree (tree), so the two can be
// compared in one run.
func BenchmarkParseIdentifiers65k(b *testing.B) {
	const n = 65_000
	p := entityProfile(b, "catalog-categories", revNewest)
	write := []byte(`{"data":` + identList(n, -1, "") + `}`)
	create := []byte(categoryBody(store.Create, identList(n, -1, ""), ""))
	for _, c := range []struct {
		name string
		ids  func(b []byte) int
		body []byte
	}{
		{"write/list", func(body []byte) int { ids, _ := payload.ParseIdentifiers(p, "catalog-item", body); return len(ids) }, write},
		{"write/tree", func(body []byte) int {
			ids, _ := payload.ParseIdentifiersTree(p, "catalog-item", body)
			return len(ids)
		}, write},
		{"create/list", func(body []byte) int { el, _ := payload.ParseEntity(p, body, store.Create, ""); return len(el.Related) }, create},
		{"create/tree", func(body []byte) int {
			el, _ := payload.ParseEntityTree(p, body, store.Create, "")
			return len(el.Related)
		}, create},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if got := c.ids(c.body); got != n {
					b.Fatalf("%d ids", got)
				}
			}
		})
	}
}
