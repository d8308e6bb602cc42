package klaviyomock_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// TestGo_BackInStockTwins: a subscription a storefront makes through
// /client with the account's public key is read back by the Go package
// (by the API key or the public key); subscriptions are set as any
// collection is (an id made for one sent without); raising a subscribed
// variant's stock records the notifications, which the package reads and
// clears.
func TestGo_BackInStockTwins(t *testing.T) {
	m := klaviyomock.RunT(t, "--items=100", "--variants=10")
	public := m.PublicKey(key)
	variants := m.Variants(key)
	out, in := variants[0], variants[1]
	zero, five := 0.0, 5.0
	variants[0].InventoryQuantity, variants[1].InventoryQuantity = &zero, &zero
	if err := m.SetVariants(key, variants...); err != nil {
		t.Fatal(err)
	}
	body := `{"data":{"type":"back-in-stock-subscription","attributes":{"channels":["EMAIL"],"profile":{"data":{"type":"profile",` +
		`"attributes":{"email":"ann@example.com"}}}},"relationships":{"variant":{"data":{"type":"catalog-variant","id":"` + out.ID + `"}}}}}`
	r := call(t, "POST", m.URL()+"/client/back-in-stock-subscriptions?company_id="+public, body,
		"revision: 2026-07-15", "Content-Type: application/vnd.api+json", "Origin: https://shop.example")
	if r.status != 202 || r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("/client: %d %s %v", r.status, r.body, r.header)
	}
	subs := m.BackInStockSubscriptions(key)
	if len(subs) != 1 || *subs[0].Email != "ann@example.com" || subs[0].Variant != out.ID || *subs[0].Source != "client" {
		t.Fatalf("BackInStockSubscriptions: %+v", subs)
	}
	if byPublic := m.BackInStockSubscriptions(public); len(byPublic) != 1 || byPublic[0].ID != subs[0].ID {
		t.Fatalf("by the public key: %+v", byPublic)
	}
	phone := "+15005550006"
	added := klaviyomock.BackInStockSubscription{Channels: []string{"SMS"}, PhoneNumber: &phone, Variant: in.ID}
	if err := m.SetBackInStockSubscriptions(key, append(subs, added)...); err != nil {
		t.Fatal(err)
	}
	if got := m.BackInStockSubscriptions(key); len(got) != 2 || got[1].ID == "" || got[1].Variant != in.ID {
		t.Fatalf("after SetBackInStockSubscriptions: %+v", got)
	}
	variants[0].InventoryQuantity, variants[1].InventoryQuantity = &five, &five
	if err := m.SetVariants(key, variants...); err != nil {
		t.Fatal(err)
	}
	recs := m.BackInStockNotifications(key)
	if len(recs) != 2 || *recs[0].Channel == *recs[1].Channel {
		t.Fatalf("BackInStockNotifications: %+v", recs)
	}
	if err := m.SetBackInStockNotifications(key); err != nil || len(m.BackInStockNotifications(key)) != 0 {
		t.Fatalf("clearing the notifications: %v", err)
	}
}
