package payload_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// identifierParse is one way a body's resource identifiers are read: a
// relationship write's, or an entity write's with its relationships.
type identifierParse struct {
	name, resource, date, typ string
	action                    store.Action // Create or Update: ParseEntity; 0: ParseIdentifiers
}

var identifierParses = []identifierParse{
	{"category items", "catalog-categories", revNewest, "catalog-item", 0},
	{"item categories", "catalog-items", revFirst, "catalog-category", 0},
	{"category create", "catalog-categories", revNewest, "", store.Create},
	{"category update", "catalog-categories", revFirstWrapped, "", store.Update},
	{"category create 2022", "catalog-categories", revFirst, "", store.Create},
	{"item create", "catalog-items", revNewest, "", store.Create},
	{"item update", "catalog-items", revMiddle, "", store.Update},
	{"variant create", "catalog-variants", revNewest, "", store.Create},
}

// FuzzIdentifiers_AgreeWithTheTree feeds arbitrary bodies to
// ParseIdentifiers and ParseEntity (the parse picked from the input) and
// checks each answers exactly as the tree of the decoded document does:
// the same ids or element, or the same errors in the same order. Its seeds
// are the table of identifiers_test.go and testdata/fuzz.
func FuzzIdentifiers_AgreeWithTheTree(f *testing.F) {
	for i := range identifierParses {
		for _, d := range identifierDocs() {
			f.Add(uint8(i), []byte(d.body))
		}
		for _, c := range identifierBodies {
			f.Add(uint8(i), []byte(categoryBody(store.Create, c.list, c.rest)))
			f.Add(uint8(i), []byte(categoryBody(store.Update, c.list, c.rest)))
		}
	}
	profiles := make([]*resource.Profile, len(identifierParses))
	for i, c := range identifierParses {
		profiles[i] = entityProfile(f, c.resource, c.date)
	}
	f.Fuzz(func(t *testing.T, sel uint8, body []byte) {
		c := identifierParses[int(sel)%len(identifierParses)]
		p := profiles[int(sel)%len(identifierParses)]
		if c.action == 0 {
			want, wantErrs := payload.ParseIdentifiersTree(p, c.typ, body)
			got, errs := payload.ParseIdentifiers(p, c.typ, body)
			sameAnswer(t, c.name, got, errs, want, wantErrs)
			return
		}
		want, wantErrs := payload.ParseEntityTree(p, body, c.action, catalogID("C"))
		got, errs := payload.ParseEntity(p, body, c.action, catalogID("C"))
		sameAnswer(t, c.name, got, errs, want, wantErrs)
	})
}
