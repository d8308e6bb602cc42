package render_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// renderItem renders it as the only included item at date with fields.
func renderItem(t *testing.T, date string, fields resource.FieldSet, it *store.Entity) []byte {
	t.Helper()
	r := renderer(profile(t, date))
	r.IncludedFields = fields
	return r.JobDoc(nil, queuedJob(), []*store.Entity{it}, oneSelf, nil)
}

func TestItem_AllAttributesWithValues(t *testing.T) {
	b := renderItem(t, "2024-10-15", resource.AllFields, fullItem())
	got := string(rawAt(t, b, "included", 0, "attributes"))
	want := `{"external_id":"SKU-1","title":"Red Shoe","description":"Size 9","price":19.99,` +
		`"url":"https://shop.example.com/p/sku-1","image_full_url":"https://shop.example.com/i/sku-1.jpg",` +
		`"image_thumbnail_url":"https://shop.example.com/i/sku-1-thumb.jpg","images":["https://shop.example.com/i/sku-1.jpg"],` +
		`"custom_metadata":{"b":1,"a":"<x>"},"published":true,"created":"2026-09-30T23:55:29.946027+00:00",` +
		`"updated":"2026-09-30T23:56:01+00:00"}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestItem_NullsForNilPointersAndZeroTimes(t *testing.T) {
	b := renderItem(t, "2024-02-15", resource.AllFields, &store.Entity{Kind: itemKind, ID: store.EntityID("X"), ExternalID: "X"})
	got := string(rawAt(t, b, "included", 0, "attributes"))
	want := `{"external_id":"X","title":null,"description":null,"price":null,"url":null,"image_full_url":null,` +
		`"image_thumbnail_url":null,"images":null,"custom_metadata":null,"published":null,"created":null,"updated":null}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestItem_EmptyValuesAreNotNull(t *testing.T) {
	it := withAttrs(&store.Entity{Kind: itemKind, ID: store.EntityID("X")},
		"images", ptr([]string{}), "custom_metadata", json.RawMessage(`{}`), "published", ptr(false),
		"title", ptr(""), "price", ptr(0.0))
	fields := itemFields("external_id", "title", "price", "images", "custom_metadata", "published")
	got := string(rawAt(t, renderItem(t, "2026-07-15", fields, it), "included", 0, "attributes"))
	want := `{"external_id":"","title":"","price":0.0,"images":[],"custom_metadata":{},"published":false}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestItem_PriceIsWrittenLikePython(t *testing.T) {
	cases := map[float64]string{
		19.99: "19.99", 20: "20.0", 0.1: "0.1", -3.5: "-3.5", 1e16: "1e+16", 0.00001: "1e-05",
		0.0001: "0.0001", 123456789.125: "123456789.125",
	}
	for in, want := range cases {
		it := item("x")
		withAttrs(it, "price", ptr(in))
		b := renderItem(t, "2026-07-15", itemFields("price"), it)
		if got := string(rawAt(t, b, "included", 0, "attributes")); got != `{"price":`+want+`}` {
			t.Errorf("price %v: got %s, want {\"price\":%s}", in, got, want)
		}
	}
}

func TestItem_SparseFieldsetSelectsExactlyThoseAttributesInFixedOrder(t *testing.T) {
	cases := []struct {
		fields resource.FieldSet
		want   []string
	}{
		{itemFields("title"), []string{"title"}},
		{itemFields("updated", "price", "external_id"), []string{"external_id", "price", "updated"}},
		{itemFields("published", "custom_metadata", "images"),
			[]string{"images", "custom_metadata", "published"}},
		{itemFields("image_thumbnail_url", "image_full_url", "url", "description"),
			[]string{"description", "url", "image_full_url", "image_thumbnail_url"}},
		{itemFields("id"), []string{}},
		{itemFields("id", "created"), []string{"created"}},
		{0, []string{}},
		{resource.AllFields, itemAttrs},
	}
	for _, date := range []string{"2022-10-17", "2026-07-15"} {
		for _, c := range cases {
			b := renderItem(t, date, c.fields, fullItem())
			if got := memberOrder(t, rawAt(t, b, "included", 0, "attributes")); !slices.Equal(got, c.want) {
				t.Errorf("%s fields %b: got %q, want %q", date, c.fields, got, c.want)
			}
			doc := decode(t, b)
			checkItemEnvelope(t, date, arr(t, doc, "included")[0].(map[string]any))
			// The item fieldset never touches the job.
			if got := memberOrder(t, rawAt(t, b, "data", "attributes")); len(got) < len(jobAttrs) {
				t.Errorf("%s: job attributes %q narrowed by the item fieldset", date, got)
			}
		}
	}
}

func checkItemEnvelope(t *testing.T, date string, it map[string]any) {
	t.Helper()
	want := []string{"type", "id", "attributes", "links"}
	if factItemVariants(date) {
		want = append(want, "relationships")
	}
	wantKeys(t, date+" item", it, want...)
}

func TestItem_CustomMetadataIsWrittenVerbatim(t *testing.T) {
	for _, raw := range []string{
		`{"z":1,"a":{"nested":[1,2.50,-0,1E3]}}`,
		`{"html":"<b>&</b>","esc":"\u003c","q":"a\"b","ls":"\u2028"}`,
		`{"u":"snö ☃ 😀"}`,
	} {
		b := renderItem(t, "2026-07-15", itemFields("custom_metadata"), withAttrs(&store.Entity{Kind: itemKind, ID: "x"}, "custom_metadata", json.RawMessage(raw)))
		decode(t, b)
		if got := string(rawAt(t, b, "included", 0, "attributes")); got != `{"custom_metadata":`+raw+`}` {
			t.Errorf("got %s, want custom_metadata %s", got, raw)
		}
	}
}

func TestItem_EscapesOddStrings(t *testing.T) {
	for _, s := range oddStrings {
		it := withAttrs(&store.Entity{Kind: itemKind, ID: s, ExternalID: s}, "images", ptr([]string{s, s}))
		for _, name := range []string{"title", "description", "url", "image_full_url", "image_thumbnail_url"} {
			withAttrs(it, name, ptr(s))
		}
		for _, date := range []string{"2022-10-17", "2026-07-15"} {
			doc := decode(t, renderItem(t, date, resource.AllFields, it))
			want := wantDecoded(s)
			item := arr(t, doc, "included")[0].(map[string]any)
			if item["id"] != want {
				t.Errorf("%s %q: id read back as %q", date, s, item["id"])
			}
			a := item["attributes"].(map[string]any)
			for _, k := range []string{"external_id", "title", "description", "url", "image_full_url", "image_thumbnail_url"} {
				if a[k] != want {
					t.Errorf("%s %q: %s read back as %q", date, s, k, a[k])
				}
			}
			if imgs := a["images"].([]any); len(imgs) != 2 || imgs[0] != want || imgs[1] != want {
				t.Errorf("%s %q: images read back as %q", date, s, imgs)
			}
		}
	}
}

func TestItem_LinksPathEscapeTheItemID(t *testing.T) {
	cases := map[string]string{
		store.EntityID("SKU-1"):        "$custom:::$default:::SKU-1",
		store.EntityID("a b/c?d#e%f"):  "$custom:::$default:::a%20b%2Fc%3Fd%23e%25f",
		store.EntityID(`q"u\o`):        "$custom:::$default:::q%22u%5Co",
		store.EntityID("snö"):          "$custom:::$default:::sn%C3%B6",
		store.EntityID("ctl\n\x01"):    "$custom:::$default:::ctl%0A%01",
		store.EntityID("semi;comma,x"): "$custom:::$default:::semi%3Bcomma%2Cx",
	}
	for id, seg := range cases {
		doc := decode(t, renderItem(t, "2026-07-15", 0, item(id)))
		item := arr(t, doc, "included")[0].(map[string]any)
		if item["id"] != id {
			t.Errorf("id read back as %q, want %q", item["id"], id)
		}
		if got := obj(t, item, "links")["self"]; got != base+itemsPath+seg+"/" {
			t.Errorf("%q: links.self %q, want %q", id, got, base+itemsPath+seg+"/")
		}
		v := obj(t, obj(t, obj(t, item, "relationships"), "variants"), "links")
		if v["self"] != base+itemsPath+seg+"/relationships/variants/" || v["related"] != base+itemsPath+seg+"/variants/" {
			t.Errorf("%q: variants links %v", id, v)
		}
	}
}

func TestItem_OrderOfIncludedItemsIsKept(t *testing.T) {
	r := renderer(profile(t, "2023-12-15"))
	r.IncludedFields = 0
	its := []*store.Entity{item("c"), item("a"), item("b")}
	b := r.JobDoc(nil, queuedJob(), its, oneSelf, nil)
	var inc []struct{ ID string }
	if err := json.Unmarshal(rawAt(t, b, "included"), &inc); err != nil {
		t.Fatal(err)
	}
	if len(inc) != 3 || inc[0].ID != "c" || inc[1].ID != "a" || inc[2].ID != "b" {
		t.Errorf("included order %+v, want c a b", inc)
	}
}
