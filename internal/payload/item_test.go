package payload_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// attributeNames are the updatable item attributes (docs/klaviyo-behaviour.md
// §8.3, update element).
var attributeNames = []string{
	"title", "description", "url", "image_full_url", "image_thumbnail_url",
	"images", "custom_metadata", "price", "published",
}

// updatableAttributes are the attributes an update job may set, per entity
// kind (docs/klaviyo-behaviour.md §8.3, update element).
var updatableAttributes = map[store.EntityKind][]string{
	itemKind: attributeNames,
	variantKind: {"title", "description", "sku", "inventory_policy", "inventory_quantity", "price", "url",
		"image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published"},
	categoryKind: {"name"},
}

func TestParseCreate_AttributeMaskBitsAreDistinct(t *testing.T) {
	for kind, names := range updatableAttributes {
		var seen store.AttrSet
		for _, name := range names {
			bit := kind.SetOf(name)
			if bit == 0 || bit&(bit-1) != 0 || seen&bit != 0 {
				t.Errorf("%s %s: bit %015b is not a fresh single bit", kind, name, bit)
			}
			seen |= bit
		}
		if all := kind.SetOf(names...); all != seen {
			t.Errorf("%s: SetOf(all) = %015b, want the union %015b", kind, all, seen)
		}
	}
}

func TestParseCreate_NullAttributesFrom20240215(t *testing.T) {
	for _, p := range revision.Default().All() {
		for _, a := range attributeNames {
			t.Run(p.Date+"/"+a, func(t *testing.T) {
				b := body(p.Date, item("A", `"`+a+`":null`))
				if p.Date < revFirstNullable {
					errs := parseFail(t, p.Date, b)
					wantInvalid(t, errs, wantErr{itemPointer(p.Date, 0) + "/attributes/" + a,
						"This field may not be null at revision " + p.Date + "."})
					return
				}
				got := parseOK(t, p.Date, b)
				wantRequest(t, got, store.CreateRequest{
					Kind:     jobItemUpdate,
					Elements: []store.Element{{ID: store.EntityID("A"), Set: itemKind.SetOf(a), Values: values(itemKind)}},
					Pointer:  itemsPointer(p.Date),
				})
			})
		}
	}
}

func TestParseCreate_AllNullAttributesClearEverythingFrom20240215(t *testing.T) {
	var members []string
	for _, a := range attributeNames {
		members = append(members, `"`+a+`":null`)
	}
	attrs := strings.Join(members, ",")
	for _, date := range []string{revFirstNullable, revCategoriesOpt, revNewest} {
		got := parseOK(t, date, body(date, item("A", attrs)))
		wantRequest(t, got, store.CreateRequest{
			Kind:     jobItemUpdate,
			Elements: []store.Element{{ID: store.EntityID("A"), Set: allAttrs, Values: values(itemKind)}},
			Pointer:  itemsPointer(date),
		})
	}
	// Before 2024-02-15 each null is its own error (sorted member order
	// coincides with document order here).
	var want []wantErr
	sorted := []string{"custom_metadata", "description", "image_full_url", "image_thumbnail_url",
		"images", "price", "published", "title", "url"}
	for _, n := range sorted {
		want = append(want, wantErr{itemPointer(revLastNotNull, 0) + "/attributes/" + n,
			"This field may not be null at revision 2023-12-15."})
	}
	var sortedMembers []string
	for _, n := range sorted {
		sortedMembers = append(sortedMembers, `"`+n+`":null`)
	}
	errs := parseFail(t, revLastNotNull, body(revLastNotNull, item("A", strings.Join(sortedMembers, ","))))
	wantInvalid(t, errs, want...)
}

func TestParseCreate_NullInsideImagesIsAlwaysAnError(t *testing.T) {
	for _, date := range []string{revFirst, revNewest} {
		errs := parseFail(t, date, body(date, item("A", `"images":["a",null]`)))
		wantInvalid(t, errs, wantErr{itemPointer(date, 0) + "/attributes/images/1", "Must be a string, got null."})
	}
}

func TestParseCreate_AttributeTypeErrors(t *testing.T) {
	cases := []struct {
		attrs, member, detail string
	}{
		{`"title":5`, "title", "Must be a string, got a number."},
		{`"title":true`, "title", "Must be a string, got a boolean."},
		{`"description":["d"]`, "description", "Must be a string, got an array."},
		{`"url":{}`, "url", "Must be a string, got an object."},
		{`"image_full_url":1.5`, "image_full_url", "Must be a string, got a number."},
		{`"image_thumbnail_url":false`, "image_thumbnail_url", "Must be a string, got a boolean."},
		{`"images":"https://x"`, "images", "Must be an array of strings, got a string."},
		{`"images":{"0":"a"}`, "images", "Must be an array of strings, got an object."},
		{`"images":[["a"]]`, "images/0", "Must be a string, got an array."},
		{`"images":["a",{}]`, "images/1", "Must be a string, got an object."},
		{`"custom_metadata":[]`, "custom_metadata", "Must be an object, got an array."},
		{`"custom_metadata":"{}"`, "custom_metadata", "Must be an object, got a string."},
		{`"custom_metadata":3`, "custom_metadata", "Must be an object, got a number."},
		{`"price":"9.99"`, "price", "Must be a number, got a string."},
		{`"price":true`, "price", "Must be a number, got a boolean."},
		{`"price":[1]`, "price", "Must be a number, got an array."},
		{`"price":1e400`, "price", "'1e400' is not a valid number."},
		{`"price":-1e400`, "price", "'-1e400' is not a valid number."},
		{`"published":"true"`, "published", "Must be a boolean, got a string."},
		{`"published":1`, "published", "Must be a boolean, got a number."},
		{`"external_id":"A"`, "external_id", "'external_id' is not a valid field for the resource 'catalog-item'."},
		{`"integration_type":"$custom"`, "integration_type", "'integration_type' is not a valid field for the resource 'catalog-item'."},
		{`"catalog_type":"$default"`, "catalog_type", "'catalog_type' is not a valid field for the resource 'catalog-item'."},
		{`"anything":null`, "anything", "'anything' is not a valid field for the resource 'catalog-item'."},
		{`"Title":"t"`, "Title", "'Title' is not a valid field for the resource 'catalog-item'."},
		{`"id":"x"`, "id", "'id' is not a valid field for the resource 'catalog-item'."},
		{`"created":"2024-01-01T00:00:00+00:00"`, "created", "'created' is not a valid field for the resource 'catalog-item'."},
	}
	for _, date := range []string{revFirst, revFirstWrapped, revNewest} {
		for _, c := range cases {
			t.Run(date+"/"+c.attrs, func(t *testing.T) {
				errs := parseFail(t, date, body(date, item("A", c.attrs)))
				wantInvalid(t, errs, wantErr{itemPointer(date, 0) + "/attributes/" + c.member, c.detail})
			})
		}
	}
}

func TestParseCreate_ItemEnvelopeErrors(t *testing.T) {
	const badID = "' is not a valid catalog-item id: expected '$custom:::$default:::<external_id>' " +
		"(only the $custom integration and the $default catalog are supported)."
	const badCategoryID = "' is not a valid catalog-category id: expected '$custom:::$default:::<external_id>' " +
		"(only the $custom integration and the $default catalog are supported)."
	cases := []struct {
		name, item string
		want       []wantErr // pointers relative to the item
	}{
		{"number", `1`, []wantErr{{"", "A catalog-item must be an object, got a number."}}},
		{"null", `null`, []wantErr{{"", "A catalog-item must be an object, got null."}}},
		{"string", `"$custom:::$default:::A"`, []wantErr{{"", "A catalog-item must be an object, got a string."}}},
		{"empty", `{}`, []wantErr{
			{"/type", "'type' is required and must be 'catalog-item'."},
			{"/id", "This field is required."},
			{"/attributes", "This field is required."}}},
		{"type_wrong", `{"type":"catalog-variant","id":"$custom:::$default:::A","attributes":{}}`,
			[]wantErr{{"/type", "'catalog-variant' is not a valid type here; expected 'catalog-item'."}}},
		{"type_array", `{"type":["catalog-item"],"id":"$custom:::$default:::A","attributes":{}}`,
			[]wantErr{{"/type", "'type' must be the string 'catalog-item', got an array."}}},
		{"id_null", `{"type":"catalog-item","id":null,"attributes":{}}`,
			[]wantErr{{"/id", "This field is required."}}},
		{"id_number", `{"type":"catalog-item","id":42,"attributes":{}}`,
			[]wantErr{{"/id", "A catalog-item id must be a string, got a number."}}},
		{"id_plain", `{"type":"catalog-item","id":"SKU-1","attributes":{}}`,
			[]wantErr{{"/id", "'SKU-1" + badID}}},
		{"id_empty", `{"type":"catalog-item","id":"","attributes":{}}`,
			[]wantErr{{"/id", "'" + badID}}},
		{"id_prefix_only", `{"type":"catalog-item","id":"$custom:::$default:::","attributes":{}}`,
			[]wantErr{{"/id", "'$custom:::$default:::" + badID}}},
		{"id_other_integration", `{"type":"catalog-item","id":"$shopify:::$default:::A","attributes":{}}`,
			[]wantErr{{"/id", "'$shopify:::$default:::A" + badID}}},
		{"id_other_catalog", `{"type":"catalog-item","id":"$custom:::other:::A","attributes":{}}`,
			[]wantErr{{"/id", "'$custom:::other:::A" + badID}}},
		{"id_case", `{"type":"catalog-item","id":"$CUSTOM:::$DEFAULT:::A","attributes":{}}`,
			[]wantErr{{"/id", "'$CUSTOM:::$DEFAULT:::A" + badID}}},
		{"attributes_missing", `{"type":"catalog-item","id":"$custom:::$default:::A"}`,
			[]wantErr{{"/attributes", "This field is required."}}},
		{"attributes_null", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":null}`,
			[]wantErr{{"/attributes", "'attributes' must be an object, got null."}}},
		{"attributes_array", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":[]}`,
			[]wantErr{{"/attributes", "'attributes' must be an object, got an array."}}},
		{"unknown_members", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"meta":{},"links":{}}`,
			[]wantErr{
				{"/meta", "'meta' is not a valid member of a catalog-item to update."},
				{"/links", "'links' is not a valid member of a catalog-item to update."}}},
		{"relationships_number", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":1}`,
			[]wantErr{{"/relationships", "'relationships' must be an object, got a number."}}},
		{"relationship_unknown", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"variants":{"data":[]}}}`,
			[]wantErr{{"/relationships/variants", "'variants' is not a valid relationship of a catalog-item."}}},
		{"categories_array", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":[]}}`,
			[]wantErr{{"/relationships/categories", "'categories' must be an object, got an array."}}},
		{"categories_data_object", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":{}}}}`,
			[]wantErr{{"/relationships/categories/data", "'data' must be an array of catalog-category resource identifiers, got an object."}}},
		{"categories_data_null", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":null}}}`,
			[]wantErr{{"/relationships/categories/data", "'data' must be an array of catalog-category resource identifiers, got null."}}},
		{"category_number", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":[1]}}}`,
			[]wantErr{{"/relationships/categories/data/0", "A catalog-category identifier must be an object, got a number."}}},
		// The first category was {"type":"catalog-category","id":"ok"}: a
		// category id must now be a catalog id (docs/klaviyo-behaviour.md §9.5).
		{"category_empty", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::ok"},{}]}}}`,
			[]wantErr{
				{"/relationships/categories/data/1/type", "'type' is required and must be 'catalog-category'."},
				{"/relationships/categories/data/1/id", "This field is required."}}},
		// The id was "c" (see category_id_not_catalog_id).
		{"category_type_wrong", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":[{"type":"category","id":"$custom:::$default:::c"}]}}}`,
			[]wantErr{{"/relationships/categories/data/0/type", "'category' is not a valid type here; expected 'catalog-category'."}}},
		{"category_id_not_catalog_id", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":[{"type":"catalog-category","id":"ok"}]}}}`,
			[]wantErr{{"/relationships/categories/data/0/id", "'ok" + badCategoryID}}},
		{"category_id_empty", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":[{"type":"catalog-category","id":""}]}}}`,
			[]wantErr{{"/relationships/categories/data/0/id", "'" + badCategoryID}}},
		{"category_id_number", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{"data":[{"type":"catalog-category","id":5}]}}}`,
			[]wantErr{{"/relationships/categories/data/0/id", "A catalog-category id must be a string, got a number."}}},
		{"everything_wrong", `{"type":1,"id":"x","attributes":{"price":"p","title":5},"zz":0,"relationships":{"categories":{"data":[{"type":"catalog-category"}]}}}`,
			[]wantErr{
				{"/type", "'type' must be the string 'catalog-item', got a number."},
				{"/id", "'x" + badID},
				{"/zz", "'zz' is not a valid member of a catalog-item to update."},
				{"/attributes/price", "Must be a number, got a string."},
				{"/attributes/title", "Must be a string, got a number."},
				{"/relationships/categories/data/0/id", "This field is required."}}},
	}
	for _, date := range []string{revFirst, revNewest} {
		for _, c := range cases {
			t.Run(date+"/"+c.name, func(t *testing.T) {
				want := make([]wantErr, len(c.want))
				for i, w := range c.want {
					want[i] = wantErr{itemPointer(date, 0) + w.pointer, w.detail}
				}
				wantInvalid(t, parseFail(t, date, body(date, c.item)), want...)
			})
		}
	}
}

// metadataOfSize returns a custom_metadata object whose compact encoding is
// exactly n bytes (n >= 8).
func metadataOfSize(n int) string {
	return `{"k":"` + strings.Repeat("x", n-len(`{"k":""}`)) + `"}`
}

func TestParseCreate_CustomMetadataUpTo100KB(t *testing.T) {
	for _, date := range []string{revFirst, revFirstWrapped, revNewest} {
		t.Run(date, func(t *testing.T) {
			at := metadataOfSize(payload.MaxCustomMetadata)
			if len(at) != 100*1024 {
				t.Fatalf("test setup: metadata is %d bytes", len(at))
			}
			got := parseOK(t, date, body(date, item("A", `"custom_metadata":`+at)))
			if cm := customMetadata(&got.Elements[0].Values); string(cm) != at {
				t.Errorf("got %d bytes of custom_metadata, want the %d sent", len(cm), len(at))
			}
			over := metadataOfSize(payload.MaxCustomMetadata + 1)
			errs := parseFail(t, date, body(date, item("A", `"custom_metadata":`+over)))
			wantInvalid(t, errs, wantErr{itemPointer(date, 0) + "/attributes/custom_metadata",
				"May not exceed 100kb; got 102401 bytes."})
		})
	}
}

func TestParseCreate_CustomMetadataSizeIsMeasuredCompact(t *testing.T) {
	// Whitespace the client adds does not count; the stored value is compact.
	at := metadataOfSize(payload.MaxCustomMetadata)
	spaced := strings.Replace(strings.Replace(at, `{`, "{\n  ", 1), `:`, " :  ", 1) + "\n"
	got := parseOK(t, revNewest, body(revNewest, item("A", `"custom_metadata":`+spaced)))
	if cm := customMetadata(&got.Elements[0].Values); string(cm) != at {
		t.Errorf("got %d bytes of custom_metadata, want the %d-byte compact form", len(cm), len(at))
	}
}

func TestParseCreate_CustomMetadataOverLimitInSecondItem(t *testing.T) {
	over := metadataOfSize(payload.MaxCustomMetadata + 10)
	errs := parseFail(t, revFirst, body(revFirst, item("A", `"custom_metadata":{}`), item("B", `"custom_metadata":`+over)))
	wantInvalid(t, errs, wantErr{itemPointer(revFirst, 1) + "/attributes/custom_metadata",
		"May not exceed 100kb; got 102410 bytes."})
}

func TestParseCreate_CustomMetadataKeepsHTMLUnescapedAndMemberOrder(t *testing.T) {
	cases := []struct{ sent, want string }{
		{`{"html":"<b>Tom & Jerry</b>"}`, `{"html":"<b>Tom & Jerry</b>"}`},
		{`{"esc":"\u003c\u003e\u0026"}`, `{"esc":"<>&"}`},
		{`{"b":1,"a":2,"c":{"z":[],"y":{}}}`, `{"b":1,"a":2,"c":{"z":[],"y":{}}}`},
		{`{ "n" : 1.50 , "e" : 1E3 , "neg" : -0 }`, `{"n":1.50,"e":1E3,"neg":-0}`},
		{`{"u":"snö ☃ 😀","q":"a\"b\\c","nl":"x\ny"}`, `{"u":"snö ☃ 😀","q":"a\"b\\c","nl":"x\ny"}`},
		{`{"ctl":"\u0001"}`, `{"ctl":"\u0001"}`},
		{`{"ls":"\u2028"}`, `{"ls":"\u2028"}`},
		{`{"<key>":true}`, `{"<key>":true}`},
	}
	for _, c := range cases {
		got := parseOK(t, revNewest, body(revNewest, item("A", `"custom_metadata":`+c.sent)))
		cm := customMetadata(&got.Elements[0].Values)
		if string(cm) != c.want {
			t.Errorf("sent %s: got %s, want %s", c.sent, cm, c.want)
		}
		if !json.Valid(cm) {
			t.Errorf("sent %s: stored custom_metadata %s is not valid JSON", c.sent, cm)
		}
	}
}

func TestParseCreate_CustomMetadataWithDuplicateKeysRespectsTheCap(t *testing.T) {
	meta := `{"pad":"` + strings.Repeat("x", payload.MaxCustomMetadata) + `","pad":1}`
	req, errs := payload.ParseCreate(profile(t, revNewest), []byte(body(revNewest, item("A", `"custom_metadata":`+meta))))
	if len(errs) == 0 {
		if n := len(customMetadata(&req.Elements[0].Values)); n > payload.MaxCustomMetadata {
			t.Fatalf("accepted and stored %d bytes of custom_metadata, over the %d-byte cap", n, payload.MaxCustomMetadata)
		}
		return
	}
	wantInvalid(t, errs, wantErr{itemPointer(revNewest, 0) + "/attributes/custom_metadata",
		fmt.Sprintf("May not exceed 100kb; got %d bytes.", len(meta))})
}

func TestParseCreate_CaseVariantMembersDoNotChangeTheResult(t *testing.T) {
	date := revCategoriesOpt
	valid := `{"type":"` + jobType + `","attributes":{"items":{"data":[` + item("A", `"custom_metadata":{"a":1}`) + `]}}}`
	cases := map[string]string{
		"top_level_DATA": `{"data":` + valid + `,"DATA":{"attributes":{"items":{"data":[{"attributes":{"custom_metadata":"sneaky"}}]}}}}`,
		"top_level_Data": `{"data":` + valid + `,"Data":5}`,
		"data_Attributes": `{"data":{"type":"` + jobType + `","attributes":{"items":{"data":[` +
			item("A", `"custom_metadata":{"a":1}`) + `]}},"Attributes":{"items":{"data":[{"attributes":{"custom_metadata":[1]}}]}}}}`,
		"items_DATA": `{"data":{"type":"` + jobType + `","attributes":{"items":{"data":[` +
			item("A", `"custom_metadata":{"a":1}`) + `],"DATA":[]}}}}`,
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			got := parseOK(t, date, b)
			if cm := string(customMetadata(&got.Elements[0].Values)); cm != `{"a":1}` {
				t.Errorf("got custom_metadata %s, want {\"a\":1}", cm)
			}
		})
	}
}
