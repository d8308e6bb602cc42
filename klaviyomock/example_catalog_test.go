package klaviyomock_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// get sends a GET through the server's request helper and decodes its
// JSON:API document's data ids and titles (or names).
func get(m *klaviyomock.Server, path string) (int, []string) {
	res, err := m.Do("GET", path, "")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var doc struct {
		Data json.RawMessage `json:"data"`
	}
	b, _ := io.ReadAll(res.Body)
	json.Unmarshal(b, &doc)
	var list []struct {
		ID         string `json:"id"`
		Attributes struct {
			Title, Name, Status string
			CompletedCount      int `json:"completed_count"`
		} `json:"attributes"`
	}
	if len(doc.Data) > 0 && doc.Data[0] == '{' {
		doc.Data = append(append([]byte{'['}, doc.Data...), ']')
	}
	json.Unmarshal(doc.Data, &list)
	var out []string
	for _, d := range list {
		switch a := d.Attributes; {
		case a.Status != "":
			out = append(out, fmt.Sprintf("%s (%d done)", a.Status, a.CompletedCount))
		case a.Title != "":
			out = append(out, d.ID+" "+a.Title)
		default:
			out = append(out, d.ID+" "+a.Name)
		}
	}
	return res.StatusCode, out
}

// ExampleServer_CompleteJobs creates two items through a bulk create job,
// completes it without waiting, and reads the items back through the API
// and through the package.
func ExampleServer_CompleteJobs() {
	m, err := klaviyomock.Run()
	if err != nil {
		panic(err)
	}
	defer m.Close()
	m.Empty(m.Key()) // start from an empty catalog

	res, err := m.Do("POST", "/api/catalog-item-bulk-create-jobs", `{"data":{"type":"catalog-item-bulk-create-job",
		"attributes":{"items":{"data":[
			{"type":"catalog-item","attributes":{"external_id":"SHIRT","title":"Shirt","description":"Blue","url":"https://example.com/shirt"}},
			{"type":"catalog-item","attributes":{"external_id":"HAT","title":"Hat","description":"Red","url":"https://example.com/hat","price":12.5}}]}}}}`)
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println("POST", res.StatusCode)

	n, _ := m.CompleteJobs(m.Key()) // no need to know the job duration or move the clock
	fmt.Println(n, "job completed")
	fmt.Println(get(m, "/api/catalog-item-bulk-create-jobs"))

	// Catalog ids are "$custom:::$default:::" and the external id; lists
	// are in creation order (ids break ties: one job made both).
	fmt.Println(get(m, "/api/catalog-items"))
	filter := url.QueryEscape(`contains(title,"Ha")`)
	fmt.Println(get(m, "/api/catalog-items?filter="+filter))
	for _, it := range m.Items(m.Key()) {
		fmt.Println(it.ExternalID, *it.Published, it.Price != nil)
	}
	// Output:
	// POST 202
	// 1 job completed
	// 200 [complete (2 done)]
	// 200 [$custom:::$default:::HAT Hat $custom:::$default:::SHIRT Shirt]
	// 200 [$custom:::$default:::HAT Hat]
	// HAT true true
	// SHIRT true false
}

// ExampleServer_SetItems puts a small catalog in place (an item, two
// variants of it, a category holding it) and follows its relationships
// through the API: the variants of an item, the items of a category.
func ExampleServer_SetItems() {
	m, err := klaviyomock.Run()
	if err != nil {
		panic(err)
	}
	defer m.Close()
	P := klaviyomock.Ptr[string]
	key := m.Key()
	m.Empty(key)
	// What a create requires is required; what it may leave out (nil)
	// gets the create's default: Published true, Images [], ….
	if err := m.SetItems(key, klaviyomock.Item{ExternalID: "SHIRT", Title: P("Shirt"), Description: P("Blue"),
		URL: P("https://example.com/shirt")}); err != nil {
		panic(err)
	}
	shirt := m.Items(key)[0].ID
	var variants []klaviyomock.Variant
	for _, size := range []string{"S", "M"} {
		variants = append(variants, klaviyomock.Variant{ExternalID: "SHIRT-" + size, Item: shirt,
			Title: P("Shirt " + size), Description: P("Blue"), SKU: P("SHIRT-" + size),
			InventoryQuantity: klaviyomock.Ptr(5.0), Price: klaviyomock.Ptr(19.5), URL: P("https://example.com/shirt")})
	}
	if err := m.SetVariants(key, variants...); err != nil {
		panic(err)
	}
	if err := m.SetCategories(key, klaviyomock.Category{ExternalID: "TOPS", Name: P("Tops"), Items: []string{shirt}}); err != nil {
		panic(err)
	}
	fmt.Println(get(m, "/api/catalog-items/"+shirt+"/variants"))
	fmt.Println(get(m, "/api/catalog-categories/$custom:::$default:::TOPS/items"))

	// A setter refuses what a create would, naming the member.
	fmt.Println(m.SetItems(key, klaviyomock.Item{ExternalID: "BARE", Title: P("Bare"), URL: P("https://example.com/bare")}))
	// Output:
	// 200 [$custom:::$default:::SHIRT-M Shirt M $custom:::$default:::SHIRT-S Shirt S]
	// 200 [$custom:::$default:::SHIRT Shirt]
	// klaviyomock: /items/0/description: 'description' is a required field for the resource 'catalog-item': a create requires it, so Klaviyo never serves one without it.
}

// ExampleServer_BackInStockSubscriptions subscribes a shopper to a
// variant through /client, as a storefront does with the account's public
// key, then brings the variant back in stock and reads the notification
// the emulator records (it sends nothing).
func ExampleServer_BackInStockSubscriptions() {
	m, err := klaviyomock.Run("--items=1", "--variants=1")
	if err != nil {
		panic(err)
	}
	defer m.Close()
	key := m.Key()
	v := m.Variants(key)
	v[0].InventoryQuantity = klaviyomock.Ptr(0.0)
	m.SetVariants(key, v...)

	body := `{"data":{"type":"back-in-stock-subscription","attributes":{"channels":["EMAIL"],
		"profile":{"data":{"type":"profile","attributes":{"email":"ann@example.com"}}}},
		"relationships":{"variant":{"data":{"type":"catalog-variant","id":"` + v[0].ID + `"}}}}}`
	req, _ := m.NewRequest("POST", "/client/back-in-stock-subscriptions?company_id="+m.PublicKey(key), strings.NewReader(body))
	req.Header.Del("Authorization") // /client takes the public key instead
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println("POST /client", res.StatusCode)
	for _, s := range m.BackInStockSubscriptions(key) {
		fmt.Println(*s.Email, s.Channels, *s.Source, s.Variant == v[0].ID)
	}

	v[0].InventoryQuantity = klaviyomock.Ptr(3.0) // back in stock
	m.SetVariants(key, v...)
	for _, n := range m.BackInStockNotifications(key) {
		fmt.Println("notified", *n.Email, "by", *n.Channel)
	}
	// Output:
	// POST /client 202
	// ann@example.com [EMAIL] client true
	// notified ann@example.com by EMAIL
}
