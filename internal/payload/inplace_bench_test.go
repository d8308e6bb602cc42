package payload_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// benchItemList is the list of ten item elements that scripts/bench's
// creating row sends: an external id, a title, a description, a url and a
// price each.
func benchItemList() string {
	var sb strings.Builder
	for j := range 10 {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"type":"catalog-item","attributes":{"external_id":"BENCH-1-%d","title":"Bench item %d","description":"d",`+
			`"url":"https://bench.example/1-%d","price":%d.5}}`, j, j, j, j+1)
	}
	return sb.String()
}

// benchTitlePatch is the PATCH of an item's title that scripts/bench's
// changing row sends.
const benchTitlePatch = `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"bench 1"}`

// BenchmarkParseInPlace reads the bodies the two in-place readers take:
// a single entity's PATCH (a title; every attribute an update sends) and a
// bulk create (scripts/bench's ten items; ten items with every attribute
// a create sends), so both readers' costs show in one run.
func BenchmarkParseInPlace(b *testing.B) {
	entity := entityProfile(b, "catalog-items", revNewest)
	jobs := jobProfile(b, itemCreateJobs, revNewest)
	id := catalogID("A")
	full := strings.Repeat(plainItem("A")+",", 9) + plainItem("B")
	for _, c := range []struct {
		name  string
		body  []byte
		parse func(body []byte) bool
	}{
		{"patch/title", updateBody(benchTitlePatch, ""), func(body []byte) bool {
			_, errs := payload.ParseEntity(entity, body, store.Update, id)
			return len(errs) == 0
		}},
		{"patch/every-attribute", updateBody(everyAttributePatch, ""), func(body []byte) bool {
			_, errs := payload.ParseEntity(entity, body, store.Update, id)
			return len(errs) == 0
		}},
		{"create/ten-items", []byte(createBody(itemCreateJobs, revNewest, benchItemList(), "")), func(body []byte) bool {
			_, errs := payload.ParseCreate(jobs, body)
			return len(errs) == 0
		}},
		{"create/ten-full-items", []byte(createBody(itemCreateJobs, revNewest, full, "")), func(body []byte) bool {
			_, errs := payload.ParseCreate(jobs, body)
			return len(errs) == 0
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if !c.parse(c.body) {
					b.Fatal("refused")
				}
			}
		})
	}
}
