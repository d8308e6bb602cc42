package payload_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// fullAttrs sets every updatable attribute; fullItem is what it parses to.
const fullAttrs = `"title":"Red Shoe","description":"Size 9, leather","url":"https://shop.example.com/p/red-shoe",` +
	`"image_full_url":"https://shop.example.com/i/red-shoe.jpg",` +
	`"image_thumbnail_url":"https://shop.example.com/i/red-shoe-thumb.jpg",` +
	`"images":["https://shop.example.com/i/red-shoe.jpg","https://shop.example.com/i/red-shoe-alt.jpg"],` +
	`"custom_metadata":{"z":1,"a":[true,null,"x"],"m":{"n":-2.50}},"price":19.99,"published":true`

// allAttrs is the set of every updatable item attribute.
var allAttrs = itemKind.SetOf("title", "description", "url", "image_full_url", "image_thumbnail_url",
	"images", "custom_metadata", "price", "published")

func fullItem(ext string) store.Element {
	return store.Element{
		ID:  store.EntityID(ext),
		Set: allAttrs,
		Values: values(itemKind,
			"title", "Red Shoe",
			"description", "Size 9, leather",
			"url", "https://shop.example.com/p/red-shoe",
			"image_full_url", "https://shop.example.com/i/red-shoe.jpg",
			"image_thumbnail_url", "https://shop.example.com/i/red-shoe-thumb.jpg",
			"images", []string{"https://shop.example.com/i/red-shoe.jpg", "https://shop.example.com/i/red-shoe-alt.jpg"},
			// Members in the client's order, numbers as sent.
			"custom_metadata", `{"z":1,"a":[true,null,"x"],"m":{"n":-2.50}}`,
			"price", 19.99,
			"published", true,
		),
	}
}

func TestParseCreate_AcceptsEveryAttributeAtEveryRevision(t *testing.T) {
	for _, p := range revision.Default().All() {
		t.Run(p.Date, func(t *testing.T) {
			b := body(p.Date, item("RED-1", fullAttrs), item("RED-2", fullAttrs))
			got := parseOK(t, p.Date, b)
			wantRequest(t, got, store.CreateRequest{
				Kind:     jobItemUpdate,
				Elements: []store.Element{fullItem("RED-1"), fullItem("RED-2")},
				Pointer:  itemsPointer(p.Date),
			})
		})
	}
}

func TestParseCreate_ProfileShapeMatchesFacts(t *testing.T) {
	// The shape switches the parser reads from the profile, checked against
	// docs/klaviyo-behaviour.md (§1.5, §8.3 and §8.4) rather than the table
	// itself, for every job resource.
	for _, j := range allJobs {
		for _, date := range revisions() {
			p := jobProfile(t, j.name, date)
			if p.Res.Type != j.typ || p.Res.Job.Kind != j.kind || p.Res.Job.Entity.Type != j.entity {
				t.Errorf("%s: type %q kind %v entity %q, want %q %v %q", j.name, p.Res.Type, p.Res.Job.Kind,
					p.Res.Job.Entity.Type, j.typ, j.kind, j.entity)
			}
			if p.BodyWrapped != wrapped(date) {
				t.Errorf("%s %s: BodyWrapped=%t, want %t", j.name, date, p.BodyWrapped, wrapped(date))
			}
			if p.NullableBodyAttributes != nullable(date) {
				t.Errorf("%s %s: NullableBodyAttributes=%t, want %t", j.name, date, p.NullableBodyAttributes, nullable(date))
			}
			if p.BodyRelDataRequired != relDataRequired(date) {
				t.Errorf("%s %s: BodyRelDataRequired=%t, want %t", j.name, date, p.BodyRelDataRequired, relDataRequired(date))
			}
			if want := parentRule(date); p.VariantParent != want {
				t.Errorf("%s %s: VariantParent=%d, want %d", j.name, date, p.VariantParent, want)
			}
		}
	}
	// Which revisions let an update set an attribute is declared with the
	// attribute: only a variant's sku is gated, from 2023-02-22.
	for _, k := range []store.EntityKind{itemKind, variantKind, categoryKind} {
		for _, a := range k.Attrs() {
			want := ""
			if k == variantKind && a.Name == "sku" {
				want = revFirstSKU
			}
			if a.UpdateSince != want || want != "" && !a.Update {
				t.Errorf("%s %s: Update=%t UpdateSince=%q, want updatable from %q", k, a.Name, a.Update, a.UpdateSince, want)
			}
		}
	}
}

func TestParseCreate_SetsOnlyTheAttributesSent(t *testing.T) {
	set := itemKind.SetOf
	cases := []struct {
		attrs string
		set   store.AttrSet
		want  store.Entity
	}{
		{``, 0, values(itemKind)},
		{`"title":""`, set("title"), values(itemKind, "title", "")},
		{`"description":"d"`, set("description"), values(itemKind, "description", "d")},
		{`"url":"u"`, set("url"), values(itemKind, "url", "u")},
		{`"image_full_url":"f"`, set("image_full_url"), values(itemKind, "image_full_url", "f")},
		{`"image_thumbnail_url":"th"`, set("image_thumbnail_url"), values(itemKind, "image_thumbnail_url", "th")},
		{`"images":[]`, set("images"), values(itemKind, "images", []string{})},
		{`"images":["a","b","a"]`, set("images"), values(itemKind, "images", []string{"a", "b", "a"})},
		{`"custom_metadata":{}`, set("custom_metadata"), values(itemKind, "custom_metadata", `{}`)},
		{`"price":0`, set("price"), values(itemKind, "price", 0.0)},
		{`"price":10`, set("price"), values(itemKind, "price", 10.0)},
		{`"price":-1.5`, set("price"), values(itemKind, "price", -1.5)},
		{`"price":1e2`, set("price"), values(itemKind, "price", 100.0)},
		{`"published":false`, set("published"), values(itemKind, "published", false)},
		{`"title":"t","price":2.25`, set("title", "price"), values(itemKind, "title", "t", "price", 2.25)},
		{`"title":"first","title":"last"`, set("title"), values(itemKind, "title", "last")},
	}
	for _, date := range []string{revFirst, revFirstWrapped, revNewest} {
		for _, c := range cases {
			t.Run(date+"/"+c.attrs, func(t *testing.T) {
				got := parseOK(t, date, body(date, item("A", c.attrs)))
				wantRequest(t, got, store.CreateRequest{
					Kind:     jobItemUpdate,
					Elements: []store.Element{{ID: store.EntityID("A"), Set: c.set, Values: c.want}},
					Pointer:  itemsPointer(date),
				})
			})
		}
	}
}

func TestParseCreate_KeepsItemsInRequestOrder(t *testing.T) {
	got := parseOK(t, revNewest, body(revNewest, item("Z", ``), item("A", ``), item("M", ``)))
	var ids []string
	for _, u := range got.Elements {
		ids = append(ids, u.ID)
	}
	want := []string{store.EntityID("Z"), store.EntityID("A"), store.EntityID("M")}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("got ids %q, want %q", ids, want)
	}
}

func TestParseCreate_AcceptsOddExternalIDs(t *testing.T) {
	for _, ext := range []string{"x", "a:::b", "with space", "ünï/cødé?#", `quote"d`} {
		id := store.EntityID(ext)
		b := body(revNewest, `{"type":"catalog-item","id":`+jsonString(id)+`,"attributes":{}}`)
		got := parseOK(t, revNewest, b)
		if got.Elements[0].ID != id {
			t.Errorf("got id %q, want %q", got.Elements[0].ID, id)
		}
	}
}

func TestParseCreate_IgnoresWhitespaceAroundTheDocument(t *testing.T) {
	b := " \n\t" + body(revNewest, item("A", `"title":"t"`)) + "\r\n  "
	got := parseOK(t, revNewest, b)
	if len(got.Elements) != 1 {
		t.Errorf("got %d items, want 1", len(got.Elements))
	}
}

func TestParseCreate_AcceptsCategoriesWithData(t *testing.T) {
	// The second category was {"type":"catalog-category","id":"x"}; a
	// category id must now be a catalog id (docs/klaviyo-behaviour.md §9.5),
	// and "x" is refused below.
	rel := `,"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::SHOES"},` +
		`{"type":"catalog-category","id":"$custom:::$default:::x"}]}}`
	empty := `,"relationships":{"categories":{"data":[]}}`
	cases := []struct {
		rel        string
		hasRelated bool
		related    []string
	}{
		{rel, true, []string{catalogID("SHOES"), catalogID("x")}},
		{empty, true, []string{}},
		{`,"relationships":{}`, false, nil},
		{``, false, nil},
	}
	for _, p := range revision.Default().All() {
		for _, c := range cases {
			it := `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"}` + c.rel + `}`
			got := parseOK(t, p.Date, body(p.Date, it))
			wantRequest(t, got, store.CreateRequest{
				Kind: jobItemUpdate,
				Elements: []store.Element{{ID: catalogID("A"), Set: itemKind.SetOf("title"), Values: values(itemKind, "title", "t"),
					HasRelated: c.hasRelated, Related: c.related}},
				Pointer: itemsPointer(p.Date),
			})
			if c.hasRelated && got.Elements[0].Related == nil {
				t.Errorf("%s %s: Related is nil, want an empty list (the update sets no categories)", p.Date, c.rel)
			}
		}
		it := `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"t"},` +
			`"relationships":{"categories":{"data":[{"type":"catalog-category","id":"x"}]}}}`
		wantInvalid(t, parseFail(t, p.Date, body(p.Date, it)), wantErr{itemPointer(p.Date, 0) + "/relationships/categories/data/0/id",
			"'x' is not a valid catalog-category id: expected '$custom:::$default:::<external_id>' " +
				"(only the $custom integration and the $default catalog are supported)."})
	}
}

func TestParseCreate_CategoriesDataRequiredUpTo20240215(t *testing.T) {
	it := `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"categories":{}}}`
	for _, p := range revision.Default().All() {
		t.Run(p.Date, func(t *testing.T) {
			b := body(p.Date, it)
			if p.Date <= revFirstNullable {
				errs := parseFail(t, p.Date, b)
				wantInvalid(t, errs, wantErr{itemPointer(p.Date, 0) + "/relationships/categories/data", "This field is required."})
				return
			}
			parseOK(t, p.Date, b)
		})
	}
}

func TestParseCreate_ItemCountLimits(t *testing.T) {
	for _, date := range []string{revFirst, revLastPlain, revFirstWrapped, revNewest} {
		t.Run(date, func(t *testing.T) {
			t.Run("one", func(t *testing.T) {
				if got := parseOK(t, date, body(date, items(1)...)); len(got.Elements) != 1 {
					t.Errorf("got %d items, want 1", len(got.Elements))
				}
			})
			t.Run("hundred", func(t *testing.T) {
				if payload.MaxElements != 100 {
					t.Fatalf("MaxElements is %d, want 100", payload.MaxElements)
				}
				got := parseOK(t, date, body(date, items(payload.MaxElements)...))
				if len(got.Elements) != 100 {
					t.Fatalf("got %d items, want 100", len(got.Elements))
				}
				if got.Elements[99].ID != store.EntityID("SKU-099") || got.Pointer != itemsPointer(date) {
					t.Errorf("got last id %q pointer %q, want %q %q", got.Elements[99].ID, got.Pointer,
						store.EntityID("SKU-099"), itemsPointer(date))
				}
			})
			t.Run("zero", func(t *testing.T) {
				errs := parseFail(t, date, body(date))
				wantInvalid(t, errs, wantErr{itemsPointer(date), "At least one catalog-item is required."})
			})
			t.Run("hundred_and_one", func(t *testing.T) {
				errs := parseFail(t, date, body(date, items(101)...))
				wantInvalid(t, errs, wantErr{itemsPointer(date), "A job accepts at most 100 items; got 101."})
			})
			t.Run("hundred_and_one_with_a_bad_item", func(t *testing.T) {
				list := items(101)
				list[100] = item("LAST", `"price":"free"`)
				errs := parseFail(t, date, body(date, list...))
				wantInvalid(t, errs,
					wantErr{itemsPointer(date), "A job accepts at most 100 items; got 101."},
					wantErr{itemPointer(date, 100) + "/attributes/price", "Must be a number, got a string."})
			})
		})
	}
}

func TestParseCreate_RefusesTheOtherItemsShape(t *testing.T) {
	plain := `{"data":{"type":"` + jobType + `","attributes":{"items":[` + item("A", ``) + `]}}}`
	wrappedBody := `{"data":{"type":"` + jobType + `","attributes":{"items":{"data":[` + item("A", ``) + `]}}}}`
	cases := []struct {
		date, body string
		want       wantErr
	}{
		{revFirst, wrappedBody, wantErr{"/data/attributes/items",
			"'items' must be an array of catalog-items at revision 2022-10-17, got an object."}},
		{revLastPlain, wrappedBody, wantErr{"/data/attributes/items",
			"'items' must be an array of catalog-items at revision 2023-06-15, got an object."}},
		{revFirstWrapped, plain, wantErr{"/data/attributes/items",
			"'items' must be an object with a 'data' array of catalog-items at revision 2023-07-15, got an array."}},
		{revNewest, plain, wantErr{"/data/attributes/items",
			"'items' must be an object with a 'data' array of catalog-items at revision 2026-07-15, got an array."}},
	}
	for _, c := range cases {
		t.Run(c.date, func(t *testing.T) {
			wantInvalid(t, parseFail(t, c.date, c.body), c.want)
		})
	}
}

func TestParseCreate_DocumentErrorsPointAtTheOffendingMember(t *testing.T) {
	job := `"type":"` + jobType + `"`
	cases := []struct {
		name, date, body string
		want             []wantErr
	}{
		{"array_document", revNewest, `[]`, []wantErr{{"", "The request body must be an object, got an array."}}},
		{"null_document", revNewest, `null`, []wantErr{{"", "The request body must be an object, got null."}}},
		{"string_document", revNewest, `"x"`, []wantErr{{"", "The request body must be an object, got a string."}}},
		{"number_document", revNewest, `12`, []wantErr{{"", "The request body must be an object, got a number."}}},
		{"no_data", revNewest, `{}`, []wantErr{{"/data", "The request body must have a 'data' member."}}},
		{"data_null", revNewest, `{"data":null}`, []wantErr{{"/data", "'data' must be an object, got null."}}},
		{"data_array", revNewest, `{"data":[]}`, []wantErr{{"/data", "'data' must be an object, got an array."}}},
		{"data_empty", revNewest, `{"data":{}}`, []wantErr{
			{"/data/type", "'type' is required and must be 'catalog-item-bulk-update-job'."},
			{"/data", "One of `attributes`, `relationships` or `id` must be included in the request payload."}}},
		{"type_null", revNewest, `{"data":{"type":null,"attributes":{"items":{"data":[` + item("A", ``) + `]}}}}`,
			[]wantErr{{"/data/type", "'type' is required and must be 'catalog-item-bulk-update-job'."}}},
		{"type_number", revNewest, `{"data":{"type":7,"attributes":{"items":{"data":[` + item("A", ``) + `]}}}}`,
			[]wantErr{{"/data/type", "'type' must be the string 'catalog-item-bulk-update-job', got a number."}}},
		{"type_wrong", revNewest, `{"data":{"type":"catalog-item","attributes":{"items":{"data":[` + item("A", ``) + `]}}}}`,
			[]wantErr{{"/data/type", "'catalog-item' is not a valid type here; expected 'catalog-item-bulk-update-job'."}}},
		{"attributes_missing", revNewest, `{"data":{` + job + `}}`, []wantErr{
			{"/data", "One of `attributes`, `relationships` or `id` must be included in the request payload."}}},
		{"attributes_null", revNewest, `{"data":{` + job + `,"attributes":null}}`,
			[]wantErr{{"/data/attributes", "'attributes' must be an object, got null."}}},
		{"attributes_string", revNewest, `{"data":{` + job + `,"attributes":"items"}}`,
			[]wantErr{{"/data/attributes", "'attributes' must be an object, got a string."}}},
		{"items_missing", revNewest, `{"data":{` + job + `,"attributes":{}}}`,
			[]wantErr{{"/data/attributes/items", "This field is required."}}},
		{"items_missing_old", revFirst, `{"data":{` + job + `,"attributes":{}}}`,
			[]wantErr{{"/data/attributes/items", "This field is required."}}},
		{"items_null_old", revFirst, `{"data":{` + job + `,"attributes":{"items":null}}}`,
			[]wantErr{{"/data/attributes/items", "'items' must be an array of catalog-items at revision 2022-10-17, got null."}}},
		{"items_data_missing", revNewest, `{"data":{` + job + `,"attributes":{"items":{}}}}`,
			[]wantErr{{"/data/attributes/items/data", "'items.data' must be an array of catalog-items, got null."}}},
		{"items_data_object", revNewest, `{"data":{` + job + `,"attributes":{"items":{"data":{}}}}}`,
			[]wantErr{{"/data/attributes/items/data", "'items.data' must be an array of catalog-items, got an object."}}},
		{"unknown_job_attribute", revNewest, `{"data":{` + job + `,"attributes":{"items":{"data":[` + item("A", ``) + `]},"name":"x"}}}`,
			[]wantErr{{"/data/attributes/name", "'name' is not a valid field for the resource 'catalog-item-bulk-update-job'."}}},
		{"unknown_job_attributes_without_items", revFirst, `{"data":{` + job + `,"attributes":{"b":1,"a":2}}}`,
			[]wantErr{
				{"/data/attributes/b", "'b' is not a valid field for the resource 'catalog-item-bulk-update-job'."},
				{"/data/attributes/a", "'a' is not a valid field for the resource 'catalog-item-bulk-update-job'."},
				{"/data/attributes/items", "This field is required."}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantInvalid(t, parseFail(t, c.date, c.body), c.want...)
		})
	}
}

func TestParseCreate_UnknownJobAttributeUsesTheSharedDetailTemplate(t *testing.T) {
	b := `{"data":{"type":"` + jobType + `","attributes":{"items":{"data":[` + item("A", ``) + `]},"catalog_type":"$default"}}}`
	errs := parseFail(t, revNewest, b)
	wantInvalid(t, errs, wantErr{"/data/attributes/catalog_type",
		fmt.Sprintf(apierror.DetailInvalidField, "catalog_type", jobType)})
}

func TestParseCreate_IgnoresUnknownTopLevelAndDataMembers(t *testing.T) {
	// JSON:API lets documents carry meta/jsonapi/links; the job's own
	// relationships and id are not part of this request but not refused.
	b := `{"jsonapi":{"version":"1.0"},"meta":{},"data":{"type":"` + jobType + `","id":"ignored",` +
		`"attributes":{"items":{"data":[` + item("A", `"title":"t"`) + `]}}}}`
	got := parseOK(t, revNewest, b)
	if len(got.Elements) != 1 || got.Elements[0].ID != store.EntityID("A") {
		t.Errorf("got %+v, want the one item", got.Elements)
	}
}

func TestParseCreate_MalformedJSONIsOneParseError(t *testing.T) {
	valid := body(revNewest, item("A", `"title":"t"`))
	cases := map[string]string{
		"empty":               ``,
		"whitespace":          " \n\t ",
		"truncated":           valid[:len(valid)-1],
		"unterminated_string": `{"data":"`,
		"bare_word":           `nul`,
		"trailing_comma":      `{"data":{},}`,
		"single_quotes":       `{'data':{}}`,
		"trailing_object":     valid + `{}`,
		"trailing_document":   valid + " " + valid,
		"trailing_brace":      valid + `}`,
		"trailing_garbage":    valid + `x`,
		"trailing_number":     `{} 1`,
		"comment":             `{"data":{}} // done`,
		"nan":                 `{"data":NaN}`,
		"control_in_string":   "{\"data\":\"a\x01b\"}",
	}
	for name, b := range cases {
		for _, date := range []string{revFirst, revNewest} {
			t.Run(name+"/"+date, func(t *testing.T) {
				wantParseError(t, parseFail(t, date, b))
			})
		}
	}
}

func TestParseCreate_ReportsErrorsAcrossItemsInDocumentOrder(t *testing.T) {
	date := revNewest
	b := body(date,
		item("A", `"title":"ok"`),
		`{"type":"catalog-item","id":"SKU-2","attributes":{"description":1,"title":2}}`,
		item("C", `"published":"yes"`),
		`7`,
		item("E", `"images":[1,"ok",null]`),
	)
	errs := parseFail(t, date, b)
	wantInvalid(t, errs,
		wantErr{itemPointer(date, 1) + "/id", "'SKU-2' is not a valid catalog-item id: expected '$custom:::$default:::<external_id>' (only the $custom integration and the $default catalog are supported)."},
		wantErr{itemPointer(date, 1) + "/attributes/description", "Must be a string, got a number."},
		wantErr{itemPointer(date, 1) + "/attributes/title", "Must be a string, got a number."},
		wantErr{itemPointer(date, 2) + "/attributes/published", "Must be a boolean, got a string."},
		wantErr{itemPointer(date, 3), "A catalog-item must be an object, got a number."},
		wantErr{itemPointer(date, 4) + "/attributes/images/0", "Must be a string, got a number."},
		wantErr{itemPointer(date, 4) + "/attributes/images/2", "Must be a string, got null."},
	)
}

func TestParseCreate_ReportsErrorsWithinAnItemInDocumentOrder(t *testing.T) {
	date := revNewest
	b := body(date, item("A", `"title":5,"price":"x"`))
	errs := parseFail(t, date, b)
	wantInvalid(t, errs,
		wantErr{itemPointer(date, 0) + "/attributes/title", "Must be a string, got a number."},
		wantErr{itemPointer(date, 0) + "/attributes/price", "Must be a number, got a string."},
	)
}

func TestParseCreate_EscapesOddKeysInPointers(t *testing.T) {
	date := revNewest
	ip := itemPointer(date, 0)
	cases := []struct {
		name, body string
		want       wantErr
	}{
		{"attribute_slash", body(date, item("A", `"a/b":1`)),
			wantErr{ip + "/attributes/a~1b", "'a/b' is not a valid field for the resource 'catalog-item'."}},
		{"attribute_tilde", body(date, item("A", `"~":1`)),
			wantErr{ip + "/attributes/~0", "'~' is not a valid field for the resource 'catalog-item'."}},
		{"attribute_tilde_one", body(date, item("A", `"~1":1`)),
			wantErr{ip + "/attributes/~01", "'~1' is not a valid field for the resource 'catalog-item'."}},
		{"attribute_mixed", body(date, item("A", `"/~/":1`)),
			wantErr{ip + "/attributes/~1~0~1", "'/~/' is not a valid field for the resource 'catalog-item'."}},
		{"attribute_empty", body(date, item("A", `"":1`)),
			wantErr{ip + "/attributes/", "'' is not a valid field for the resource 'catalog-item'."}},
		{"attribute_unicode", body(date, item("A", `"prïce ☃":1`)),
			wantErr{ip + "/attributes/prïce ☃", "'prïce ☃' is not a valid field for the resource 'catalog-item'."}},
		{"item_member", body(date, `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"x/y~z":1}`),
			wantErr{ip + "/x~1y~0z", "'x/y~z' is not a valid member of a catalog-item to update."}},
		{"relationship", body(date, `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{},"relationships":{"c/d":{}}}`),
			wantErr{ip + "/relationships/c~1d", "'c/d' is not a valid relationship of a catalog-item."}},
		{"job_attribute", `{"data":{"type":"` + jobType + `","attributes":{"items":{"data":[` + item("A", ``) + `]},"k/~l":1}}}`,
			wantErr{"/data/attributes/k~1~0l", "'k/~l' is not a valid field for the resource 'catalog-item-bulk-update-job'."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantInvalid(t, parseFail(t, date, c.body), c.want)
		})
	}
}

func TestParseCreate_ResultIsDeterministic(t *testing.T) {
	b := body(revFirst,
		`{"type":"x","id":1,"attributes":{"z":1,"a":2,"price":"p"},"q":1,"relationships":{"w":1,"categories":{"data":[{}]}}}`,
		item("B", fullAttrs))
	p := profile(t, revFirst)
	_, first := payload.ParseCreate(p, []byte(b))
	for range 20 {
		_, again := payload.ParseCreate(p, []byte(b))
		if describe(again) != describe(first) {
			t.Fatalf("errors differ between runs:\n%s\nvs\n%s", describe(first), describe(again))
		}
	}
	if len(first) < 8 {
		t.Errorf("got %d errors, want at least 8:\n%s", len(first), describe(first))
	}
}

func TestParseCreate_DoesNotRetainTheBody(t *testing.T) {
	b := []byte(body(revNewest, item("A", `"title":"keep","images":["i"],"custom_metadata":{"k":"v"}`)))
	got := parseOK(t, revNewest, string(b))
	req, _ := payload.ParseCreate(profile(t, revNewest), b)
	for i := range b {
		b[i] = ' '
	}
	for _, r := range []store.CreateRequest{got, req} {
		v := r.Elements[0].Values
		if attrStr(t, &v, "title") != "keep" || attrStrings(t, &v, "images")[0] != "i" || string(customMetadata(&v)) != `{"k":"v"}` {
			t.Errorf("values changed with the body: %s %s", showEntity(v), customMetadata(&v))
		}
	}
}

// jsonString quotes s for embedding in a test body.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
