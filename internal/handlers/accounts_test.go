package handlers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// accountDoc is GET /api/accounts's answer, decoded.
type accountDoc struct {
	Data []struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Attributes map[string]any `json:"attributes"`
		Links      map[string]any `json:"links"`
	} `json:"data"`
}

// TestAccounts_TheKeysOwnAccountAtEveryRevision: GET /api/accounts answers
// the key's one account, its id its public key, with the attributes its
// revision has (test_account from 2024-02-15, locale from 2024-05-15),
// valid against the revision's spec (the helpers check every answer); a
// revision before 2023-06-15 has no such operation.
func TestAccounts_TheKeysOwnAccountAtEveryRevision(t *testing.T) {
	e := newEnv(t)
	public := e.store.PublicKeyOf(testKey)
	if !store.ValidPublicKey(public) {
		t.Fatalf("public key %q is not six letters and digits", public)
	}
	for _, p := range resource.Default().Revisions().All() {
		r := e.get("/api/accounts", "revision: "+p.Date)
		if p.Date < "2023-06-15" {
			wantError(t, r, 404, "not_found", nil)
			continue
		}
		wantStatus(t, r, 200)
		var doc accountDoc
		if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Data) != 1 {
			t.Fatalf("%s: %v %s", p.Date, err, r.body)
		}
		a := doc.Data[0]
		if a.Type != "account" || a.ID != public || a.Attributes["public_api_key"] != public {
			t.Errorf("%s: account %s with key %v, want %s", p.Date, a.ID, a.Attributes["public_api_key"], public)
		}
		_, hasTest := a.Attributes["test_account"]
		_, hasLocale := a.Attributes["locale"]
		if hasTest != (p.Date >= "2024-02-15") || hasLocale != (p.Date >= "2024-05-15") {
			t.Errorf("%s: test_account %v, locale %v", p.Date, hasTest, hasLocale)
		}
		one := e.get("/api/accounts/"+public, "revision: "+p.Date)
		wantStatus(t, one, 200)
	}
	wantError(t, e.get("/api/accounts/ZZZZZZ"), 404, "not_found", nil)
}

// TestAccounts_FieldsSelectMembersOfTheContactInformation: fields[account]
// takes an object's members on their own, as the spec's enum lists them.
func TestAccounts_FieldsSelectMembersOfTheContactInformation(t *testing.T) {
	e := newEnv(t)
	r := e.get("/api/accounts?fields%5Baccount%5D=contact_information.street_address.city,timezone")
	wantStatus(t, r, 200)
	var doc accountDoc
	if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Data) != 1 {
		t.Fatalf("%v %s", err, r.body)
	}
	attrs := doc.Data[0].Attributes
	if len(attrs) != 2 || attrs["timezone"] == nil {
		t.Fatalf("attributes %v, want contact_information and timezone only", attrs)
	}
	contact, _ := json.Marshal(attrs["contact_information"])
	if !strings.HasPrefix(string(contact), `{"street_address":{"city":"`) || strings.Count(string(contact), ":") != 2 {
		t.Fatalf("contact_information %s, want only its street address's city", contact)
	}
	wantError(t, e.get("/api/accounts?fields%5Baccount%5D=contact_information.nope"), 400, "invalid",
		map[string]any{"parameter": "fields[account]"})
}

// TestAccounts_OneRequestASecond: the accounts endpoints allow 1/s and
// 15/m, as Klaviyo's (a client that lists accounts in a loop is throttled).
func TestAccounts_OneRequestASecond(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{}))
	wantStatus(t, e.get("/api/accounts"), 200)
	r := e.get("/api/accounts")
	wantError(t, r, 429, "throttled", nil)
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After %q, want 1", got)
	}
}

// TestAccounts_ABoundPublicKeyIsTheAccounts: binding a public key through
// the control API moves the account to it: GET /api/accounts shows it, the
// control API lists it and reaches the account by it, and another account
// cannot take it.
func TestAccounts_ABoundPublicKeyIsTheAccounts(t *testing.T) {
	e := newEnv(t)
	wantStatus(t, e.get("/api/accounts"), 200) // generated with the derived key
	r := e.adminReq("PUT", "/accounts/"+testKey+"/public-key", "", `{"public_key":"RU8Lmz"}`)
	if r.status != 200 {
		t.Fatalf("bind: %d %s", r.status, r.body)
	}
	var doc accountDoc
	_ = json.Unmarshal(e.get("/api/accounts").body, &doc)
	if len(doc.Data) != 1 || doc.Data[0].ID != "RU8Lmz" || doc.Data[0].Attributes["public_api_key"] != "RU8Lmz" {
		t.Fatalf("after binding: %+v", doc.Data)
	}
	if list := e.adminReq("GET", "/accounts", "", ""); !strings.Contains(string(list.body), `"public_key":"RU8Lmz"`) {
		t.Fatalf("the accounts list does not show the bound key: %s", list.body)
	}
	if by := e.adminReq("GET", "/accounts/RU8Lmz/accounts", "", ""); !strings.Contains(string(by.body), `"id":"RU8Lmz"`) {
		t.Fatalf("the control API does not reach the account by its public key: %d %s", by.status, by.body)
	}
	other := "pk_ffffffffffffffffffffffffffffffffff"
	taken := e.adminReq("PUT", "/accounts/"+other+"/public-key", "", `{"public_key":"RU8Lmz"}`)
	if taken.status != 409 {
		t.Fatalf("binding a key another account answers to: %d %s", taken.status, taken.body)
	}
	bad := e.adminReq("PUT", "/accounts/"+other+"/public-key", "", `{"public_key":"pk_123"}`)
	if bad.status != 400 {
		t.Fatalf("binding a malformed key: %d %s", bad.status, bad.body)
	}
}

// TestImages_SeededPicturesAreTheEmulatorsAndLinkedLikeLinks: seeded
// items point at pictures the emulator serves (so a storefront shows them
// offline), written after the base URL as every link; a URL a client sends
// is kept as sent.
func TestImages_SeededPicturesAreTheEmulatorsAndLinkedLikeLinks(t *testing.T) {
	e := newEnv(t)
	r := e.get("/api/catalog-items?page%5Bsize%5D=1")
	var doc struct {
		Data []struct {
			Attributes struct {
				Full   string   `json:"image_full_url"`
				Images []string `json:"images"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Data) != 1 {
		t.Fatalf("%v %s", err, r.body)
	}
	full := doc.Data[0].Attributes.Full
	if !strings.HasPrefix(full, e.srv.URL+"/images/catalog/") || !strings.HasPrefix(doc.Data[0].Attributes.Images[0], e.srv.URL+"/images/catalog/") {
		t.Fatalf("image_full_url %q, images %q: want pictures of %s", full, doc.Data[0].Attributes.Images, e.srv.URL)
	}
	res, err := e.srv.Client().Get(full)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("GET %s: %d %s", full, res.StatusCode, res.Header.Get("Content-Type"))
	}
	wantStatus(t, e.send("POST", "/api/catalog-items", "2026-07-15", item("OWN-PICTURE", map[string]any{
		"image_full_url": "https://cdn.shop.example/own.png"})), 201)
	own := e.get("/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AOWN-PICTURE")
	if !strings.Contains(string(own.body), `"image_full_url":"https://cdn.shop.example/own.png"`) {
		t.Fatalf("a client's URL is not kept as sent: %.400s", own.body)
	}
}
