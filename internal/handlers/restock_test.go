package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// notificationsOf returns account key's back-in-stock notifications (the
// emulator's own records), filtered by the control API with query.
func (e *env) notificationsOf(key, query string) []map[string]any {
	e.t.Helper()
	r := e.adminReq("GET", "/accounts/"+key+"/back-in-stock-notifications"+query, "", "")
	var doc struct {
		Recs []map[string]any `json:"back-in-stock-notifications"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &doc) != nil {
		e.t.Fatalf("notifications of %s: %d %s", key, r.status, r.body)
	}
	return doc.Recs
}

// stock sets a variant's inventory_quantity with PATCH.
func (e *env) stock(id string, qty float64) {
	e.t.Helper()
	wantStatus(e.t, e.send("PATCH", "/api/catalog-variants/"+id, "2026-07-15", map[string]any{"data": map[string]any{
		"type": "catalog-variant", "id": id, "attributes": map[string]any{"inventory_quantity": qty}}}), 200)
}

// TestRestock_AVariantBackInStockRecordsWhatWouldBeSent: subscribing to
// a variant out of stock, then raising its stock by PATCH, by a bulk
// update job or by a control API PUT records one notification per
// subscription and channel (the emulator's own records: nothing is
// sent), holding the subscription, the channel, the variant and the
// subscriber; a variant that stays in stock records nothing more.
func TestRestock_AVariantBackInStockRecordsWhatWouldBeSent(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
	v := []string{store.EntityID("RESTOCK-0"), store.EntityID("RESTOCK-1"), store.EntityID("RESTOCK-2")}
	variants := `{"variants":[`
	for i, id := range v {
		if i > 0 {
			variants += ","
		}
		variants += fmt.Sprintf(`{"id":%q,"external_id":"RESTOCK-%d","item":%q,"title":"T","description":"D","sku":"S%d",`+
			`"inventory_quantity":0,"price":1,"url":"https://shop.example/v"}`, id, i, e.itemIDs(testKey, 1)[0], i)
	}
	if r := e.adminReq("PUT", "/accounts/"+testKey+"/variants", "", variants+"]}"); r.status != 200 {
		t.Fatalf("PUT variants: %d %s", r.status, r.body)
	}
	for i, id := range v {
		r := e.subscribe(bisAPI, "2026-07-15", bisDoc(`["EMAIL","SMS"]`, profileOf(fmt.Sprintf(`"email":"ann%d@example.com"`, i)), variantOf(id)))
		if r.status != 202 {
			t.Fatalf("subscribe: %d %s", r.status, r.body)
		}
	}
	subs := e.subscriptionsOf(testKey)

	e.stock(v[0], 5) // PATCH
	updates, _ := resource.Default().Named("catalog-variant-bulk-update-jobs")
	e.runJob(updates, "2026-07-15", jobBody(t, updates, "2026-07-15",
		map[string]any{"type": "catalog-variant", "id": v[1], "attributes": map[string]any{"inventory_quantity": 3}}))
	// A control PUT of the variants collection, the third one raised.
	all := e.adminReq("GET", "/accounts/"+testKey+"/variants", "", "")
	var doc map[string]json.RawMessage
	var every []map[string]any
	if json.Unmarshal(all.body, &doc) != nil || json.Unmarshal(doc["variants"], &every) != nil {
		t.Fatalf("variants: %s", all.body)
	}
	for _, x := range every {
		if x["id"] == v[2] {
			x["inventory_quantity"] = 1
		}
	}
	body, _ := json.Marshal(map[string]any{"variants": every})
	if r := e.adminReq("PUT", "/accounts/"+testKey+"/variants", "", string(body)); r.status != 200 {
		t.Fatalf("PUT the raised variant: %d %s", r.status, r.body)
	}

	recs := e.notificationsOf(testKey, "")
	if len(recs) != 6 {
		t.Fatalf("%d notifications, want 2 channels for each of 3 subscriptions: %v", len(recs), recs)
	}
	for i, id := range v {
		got := e.notificationsOf(testKey, "?variant="+url.QueryEscape(id)+"&channel=SMS")
		if len(got) != 1 || got[0]["subscription_id"] != subs[i]["id"] || got[0]["email"] != fmt.Sprintf("ann%d@example.com", i) {
			t.Fatalf("variant %d's SMS notification: %v", i, got)
		}
	}
	e.stock(v[0], 9) // still in stock
	if n := len(e.notificationsOf(testKey, "")); n != 6 {
		t.Fatalf("a variant staying in stock notified again: %d", n)
	}
}

// TestControlCollections_QueryParametersFilterOnMembers: GET of one
// collection keeps the objects whose members equal the query's values
// (strings, numbers, booleans, an array's elements, a relation's id;
// repeated, any of them), for entities and jobs alike; a parameter that
// names no member is a 400 about it, listing those it may name.
func TestControlCollections_QueryParametersFilterOnMembers(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"ann@example.com", "bob@example.com"} {
		for _, variant := range []string{bomber, "$shopify:::$default:::1"} {
			if r := e.subscribe(bisAPI, "2026-07-15", bisDoc(`["EMAIL"]`, profileOf(`"email":"`+email+`"`), variantOf(variant))); r.status != 202 {
				t.Fatalf("%d %s", r.status, r.body)
			}
		}
	}
	count := func(collection, query string) int {
		t.Helper()
		r := e.adminReq("GET", "/accounts/"+testKey+"/"+collection+query, "", "")
		var doc map[string]json.RawMessage
		var list []json.RawMessage
		if r.status != 200 || json.Unmarshal(r.body, &doc) != nil || json.Unmarshal(doc[collection], &list) != nil {
			t.Fatalf("%s%s: %d %s", collection, query, r.status, r.body)
		}
		return len(list)
	}
	for query, want := range map[string]int{
		"": 4, "?variant=" + url.QueryEscape(bomber): 2, "?variant=" + url.QueryEscape(bomber) + "&email=bob@example.com": 1,
		"?email=ann@example.com&email=bob@example.com": 4, "?channels=EMAIL": 4, "?channels=SMS": 0, "?phone_number=null": 4,
	} {
		if got := count("back-in-stock-subscriptions", query); got != want {
			t.Errorf("subscriptions%s: %d, want %d", query, got, want)
		}
	}
	if all, done := count("item-bulk-update-jobs", ""), count("item-bulk-update-jobs", "?status=complete"); done == 0 || done >= all {
		t.Errorf("complete item update jobs: %d of %d", done, all)
	}
	if yes, no, all := count("variants", "?published=true"), count("variants", "?published=false"), count("variants", ""); yes == 0 || yes+no != all {
		t.Errorf("published variants: %d, unpublished %d, of %d", yes, no, all)
	}
	r := e.adminReq("GET", "/accounts/"+testKey+"/back-in-stock-subscriptions?emial=ann@example.com", "", "")
	wantError(t, r, 400, "invalid", map[string]any{"parameter": "emial"})
}
