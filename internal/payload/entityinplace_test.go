package payload_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// everyAttributePatch is the data of a PATCH of the item
// $custom:::$default:::A that sends every attribute an update may.
const everyAttributePatch = `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t","description":"d",` +
	`"url":"https://shop.example/a","price":12.5,"image_full_url":"https://img.example/a.png","image_thumbnail_url":"",` +
	`"images":["https://img.example/a.png","/images/b.png"],"custom_metadata":{"a":[1,{"b":null}],"c":"x"},"published":false}`

// updateBodies are PATCH bodies of the item $custom:::$default:::A at the
// edges of what the in-place read takes (inPlace: it must take it at every
// revision), each data's members and the top object's after data.
var updateBodies = []struct {
	name    string
	data    string
	rest    string
	inPlace bool
}{
	{"a title", benchTitlePatch, ``, true},
	{"every attribute an update sends", everyAttributePatch, ``, true},
	{"no attributes", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{}`, ``, true},
	{"a type of null", `"type":null,"id":"$custom:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"an id of null", `"type":"catalog-item","id":null,"attributes":{"title":"t"}`, ``, false},
	{"an attribute named in another case", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"Title":"t"}`, ``, false},
	{"a key written with an escape", `"typ\u0065":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"a second top-level member named in another case", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, `,"Data":{}`, true},
	{"members in another order", `"attributes":{"price":-1.5e3,"title":"t"},"id":"$custom:::$default:::A","type":"catalog-item"`, ``, true},
	{"spaces everywhere", " \"type\" :\t\"catalog-item\" ,\n\"id\" : \"$custom:::$default:::A\" , \"attributes\" : { \"price\" : 1e2 , \"title\" : \"t\" } ", ` `, true},
	{"the document's other members", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, `,"meta":{"a":[1,{"b":null}]},"links":null`, true},
	{"non-ASCII text", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"caf` + "\xc3\xa9" + `"}`, ``, true},

	{"escaped text", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t\u00e9\/"}`, ``, false},
	{"invalid UTF-8", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"` + "\xff" + `"}`, ``, false},
	{"escaped key", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"titl\u0065":"t"}`, ``, false},
	{"a null", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"price":null}`, ``, false},
	{"an attribute twice", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t","title":"u"}`, ``, false},
	{"type twice", `"type":"x","type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"id twice", `"type":"catalog-item","id":"$custom:::$default:::B","id":"$custom:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"attributes twice", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"},"attributes":{}`, ``, false},
	{"relationships", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"},` +
		`"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::C"}]}}`, ``, false},
	{"data twice", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, `,"data":{}`, false},
	{"another id", `"type":"catalog-item","id":"$custom:::$default:::B","attributes":{"title":"t"}`, ``, false},
	{"an id of another integration", `"type":"catalog-item","id":"$shopify:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"a number for the id", `"type":"catalog-item","id":1,"attributes":{"title":"t"}`, ``, false},
	{"no id", `"type":"catalog-item","attributes":{"title":"t"}`, ``, false},
	{"no type", `"id":"$custom:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"the wrong type", `"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{"title":"t"}`, ``, false},
	{"no attributes member", `"type":"catalog-item","id":"$custom:::$default:::A"`, ``, false},
	{"attributes not an object", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":[]`, ``, false},
	{"an external id", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"external_id":"B"}`, ``, false},
	{"a constant", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"catalog_type":"$default"}`, ``, false},
	{"an unknown attribute", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"colour":"red"}`, ``, false},
	{"a server-set attribute", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"updated":"2026-01-01T00:00:00Z"}`, ``, false},
	{"a number for a string", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":5}`, ``, false},
	{"a string for a number", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"price":"5"}`, ``, false},
	{"a number past a float64", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"price":1e400}`, ``, false},
	{"a number past a float64 elsewhere", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, `,"meta":[1e400]`, false},
	{"a list of numbers for images", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"images":[1]}`, ``, false},
	{"a trailing comma", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t",}`, ``, false},
	{"something after the document", `"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}`, `} {`, false},
}

// updateBody is an update document of data's members, rest after data.
func updateBody(data, rest string) []byte {
	return []byte(`{"data":{` + data + `}` + rest + `}`)
}

// ParseEntity answers every update as the tree of the decoded document
// does: the same element, or the same errors in the same order; and it
// reads the plain bodies in place, at every revision.
func TestParseEntity_AnUpdateReadInPlaceAnswersAsTheTree(t *testing.T) {
	for _, date := range revisions() {
		p := entityProfile(t, "catalog-items", date)
		for _, c := range updateBodies {
			updatesAsTheTree(t, p, date+" "+c.name, updateBody(c.data, c.rest), catalogID("A"), c.inPlace)
		}
	}
}

// The other kinds' updates: a variant's sku only from 2023-02-22 (before,
// the tree refuses it), its integer policy; a category's name.
func TestParseEntity_AnUpdateOfEveryKindReadInPlaceAnswersAsTheTree(t *testing.T) {
	cases := []struct {
		resource, data string
		since          string
	}{
		{"catalog-variants", `"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{"sku":"s","inventory_policy":2,"inventory_quantity":3}`, revFirstSKU},
		{"catalog-variants", `"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{"price":1,"inventory_policy":1.5}`, "9999"},
		{"catalog-variants", `"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{"title":"t","published":true}`, ""},
		{"catalog-categories", `"type":"catalog-category","id":"$custom:::$default:::A","attributes":{"name":"n"}`, ""},
		{"catalog-categories", `"type":"catalog-category","id":"$custom:::$default:::A","attributes":{"name":"n"},"relationships":{"items":{"data":[]}}`, "9999"},
	}
	for _, date := range revisions() {
		for _, c := range cases {
			p := entityProfile(t, c.resource, date)
			updatesAsTheTree(t, p, date+" "+c.data, updateBody(c.data, ""), catalogID("A"), date >= c.since)
		}
	}
}

// updatesAsTheTree checks that ParseEntity answers the update body of the
// entity id as the decoded document's tree does, and that it reads body in
// place exactly when inPlace says.
func updatesAsTheTree(t *testing.T, p *resource.Profile, name string, body []byte, id string, inPlace bool) {
	t.Helper()
	if in, treeErrs := updateAgrees(t, p, name, body, id); in != inPlace {
		t.Errorf("%s: read in place %v, want %v (the tree: %s)", name, in, inPlace, describe(treeErrs))
	}
}

// updateAgrees checks that ParseEntity answers the update body of the
// entity id as the decoded document's tree does, and reports whether it
// read body in place, and the tree's errors.
func updateAgrees(t *testing.T, p *resource.Profile, name string, body []byte, id string) (bool, []*apierror.Error) {
	t.Helper()
	want, wantErrs := payload.ParseEntityTree(p, body, store.Update, id)
	got, errs := payload.ParseEntity(p, body, store.Update, id)
	sameAnswer(t, name, got, errs, want, wantErrs)
	return payload.ReadsUpdateInPlace(p, body, id), wantErrs
}

// FuzzParseEntity_AnUpdateInPlaceAgreesWithTheTree feeds arbitrary update
// bodies of items, variants and categories at every revision (picked from
// the input) to ParseEntity and checks it answers as the tree does.
func FuzzParseEntity_AnUpdateInPlaceAgreesWithTheTree(f *testing.F) {
	dates := revisions()
	names := []string{"catalog-items", "catalog-variants", "catalog-categories"}
	var profiles []*resource.Profile
	for _, n := range names {
		for _, d := range dates {
			profiles = append(profiles, entityProfile(f, n, d))
		}
	}
	for _, c := range updateBodies {
		f.Add(uint8(len(dates)-1), updateBody(c.data, c.rest))
		f.Add(uint8(0), updateBody(c.data, c.rest))
	}
	f.Add(uint8(2*len(dates)-1), updateBody(`"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{"sku":"s","inventory_policy":2}`, ""))
	f.Add(uint8(3*len(dates)-1), updateBody(`"type":"catalog-category","id":"$custom:::$default:::A","attributes":{"name":"n"}`, ""))
	f.Fuzz(func(t *testing.T, sel uint8, body []byte) {
		p := profiles[int(sel)%len(profiles)]
		want, wantErrs := payload.ParseEntityTree(p, body, store.Update, catalogID("A"))
		got, errs := payload.ParseEntity(p, body, store.Update, catalogID("A"))
		sameAnswer(t, p.Res.Type+" "+p.Date, got, errs, want, wantErrs)
	})
}

// scripts/bench's changing row PATCHes a title. Through the tree the body
// cost about 17 allocations (an object and its two slices for the
// document, its data and its attributes, each key and string boxed, the
// title copied again for the entity); read in place, the entity's value
// slots, the title and its pointer.
func TestParseEntity_APatchOfATitleAllocatesItsValue(t *testing.T) {
	p := entityProfile(t, "catalog-items", revNewest)
	body := updateBody(benchTitlePatch, "")
	id := catalogID("A")
	n := testing.AllocsPerRun(20, func() {
		if el, errs := payload.ParseEntity(p, body, store.Update, id); len(errs) > 0 || el.ID != id {
			t.Fatal(describe(errs))
		}
	})
	if n > 3 {
		t.Fatalf("parsing a PATCH of a title allocates %.0f times, want at most 3", n)
	}
}
