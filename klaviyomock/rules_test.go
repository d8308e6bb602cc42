package klaviyomock_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// TestControl_PutRefusesAnItemWithoutWhatACreateRequires: an item put
// through the control API without title, description and url (what a
// create requires at the newest revision) is a 400 pointing at each,
// and nothing changes.
func TestControl_PutRefusesAnItemWithoutWhatACreateRequires(t *testing.T) {
	m := klaviyomock.RunT(t)
	before := len(m.Items(key))
	r := call(t, "PUT", adminURL(m, "/accounts/"+key+"/items"), `{"items":[{"external_id":"B"}]}`)
	mustStatus(t, r, 400)
	var pointers []string
	for _, e := range r.json(t)["errors"].([]any) {
		pointers = append(pointers, e.(map[string]any)["source"].(map[string]any)["pointer"].(string))
	}
	if got := strings.Join(pointers, " "); got != "/items/0/title /items/0/description /items/0/url" {
		t.Fatalf("pointers %q", got)
	}
	if got := len(m.Items(key)); got != before {
		t.Fatalf("%d items after a refused PUT, want %d", got, before)
	}
}

// TestControl_PutItemsGetTheCreatesDefaults: what an item put through the
// control API leaves out is served as a create leaving it out is.
func TestControl_PutItemsGetTheCreatesDefaults(t *testing.T) {
	m := klaviyomock.RunT(t)
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key+"/items"),
		`{"items":[{"external_id":"B","title":"Shirt","description":"Blue","url":"https://example.com/b"}]}`), 200)
	r := api(t, m.URL(), "GET", "/api/catalog-items/$custom:::$default:::B", nil)
	mustStatus(t, r, 200)
	for _, want := range []string{`"published":true`, `"images":[]`, `"custom_metadata":{}`, `"image_full_url":""`, `"price":null`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("GET answered %s; want %s", r.body, want)
		}
	}
}

// TestGo_SettersRefuseWhatACreateWouldAndFillItsDefaults: SetItems,
// SetVariants, SetCategories and SetBackInStockSubscriptions go through
// the same rules: a value missing what a create requires is an error
// naming its pointer, and left-out optional fields get the defaults.
func TestGo_SettersRefuseWhatACreateWouldAndFillItsDefaults(t *testing.T) {
	m := klaviyomock.RunT(t)
	P := klaviyomock.Ptr[string]
	for name, err := range map[string]error{
		"/items/0/title":     m.SetItems(key, klaviyomock.Item{ExternalID: "B"}),
		"/variants/0/sku":    m.SetVariants(key, klaviyomock.Variant{ExternalID: "V", Item: m.Items(key)[0].ID, Title: P("t"), Description: P("d"), URL: P("u"), Price: klaviyomock.Ptr(1.0), InventoryQuantity: klaviyomock.Ptr(2.0)}),
		"/categories/0/name": m.SetCategories(key, klaviyomock.Category{ExternalID: "C"}),
		"/back-in-stock-subscriptions/0/channels": m.SetBackInStockSubscriptions(key,
			klaviyomock.BackInStockSubscription{Email: P("a@example.com"), Variant: "$custom:::$default:::V"}),
	} {
		if err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("want an error at %s, got %v", name, err)
		}
	}
	if err := m.SetItems(key, klaviyomock.Item{ExternalID: "B", Title: P("t"), Description: P("d"), URL: P("u")}); err != nil {
		t.Fatal(err)
	}
	it := m.Items(key)[0]
	if it.Published == nil || !*it.Published || it.Images == nil || len(*it.Images) != 0 || string(it.CustomMetadata) != "{}" {
		t.Fatalf("item set without optional fields: %+v", it)
	}
}

// TestControl_AnExportGoesBackUnchanged: a whole account exported (seeded
// catalog, a subscription made through the API, an item whose title a
// PATCH nulled) is accepted back as it is, and exports the same.
func TestControl_AnExportGoesBackUnchanged(t *testing.T) {
	m := klaviyomock.RunT(t, "--items=5", "--variants=5", "--categories=2", "--jobs=2")
	mustStatus(t, api(t, m.URL(), "POST", "/api/back-in-stock-subscriptions", `{"data":{"type":"back-in-stock-subscription",
		"attributes":{"channels":["EMAIL"],"profile":{"data":{"type":"profile","attributes":{"email":"a@example.com"}}}},
		"relationships":{"variant":{"data":{"type":"catalog-variant","id":"$custom:::$default:::V1"}}}}}`), 202)
	id := m.Items(key)[0].ID
	mustStatus(t, api(t, m.URL(), "PATCH", "/api/catalog-items/"+id,
		`{"data":{"type":"catalog-item","id":"`+id+`","attributes":{"title":null}}}`), 200)
	first := call(t, "GET", adminURL(m, "/accounts/"+key), nil)
	mustStatus(t, first, 200)
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key), string(first.body)), 200)
	second := call(t, "GET", adminURL(m, "/accounts/"+key), nil)
	if string(first.body) != string(second.body) {
		t.Fatalf("export changed after a PUT of itself:\n%s\n%s", first.body, second.body)
	}
}

// item is an item with what a create requires.
func item(ext string) klaviyomock.Item {
	return klaviyomock.Item{ExternalID: ext, Title: klaviyomock.Ptr("Title " + ext), Description: klaviyomock.Ptr(""),
		URL: klaviyomock.Ptr("https://example.com/" + ext)}
}

// variant is a variant of parent with what a create requires.
func variant(ext, parent string) klaviyomock.Variant {
	return klaviyomock.Variant{ExternalID: ext, Item: parent, Title: klaviyomock.Ptr("Title " + ext),
		Description: klaviyomock.Ptr(""), SKU: klaviyomock.Ptr(ext), InventoryQuantity: klaviyomock.Ptr(1.0),
		Price: klaviyomock.Ptr(9.5), URL: klaviyomock.Ptr("https://example.com/" + ext)}
}
