package klaviyomock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// twins are the Go package's types of the declared entities: the one place
// a declared entity's Go form is named (a new declaration without one
// fails TestSchema_EveryDeclaredEntityHasEveryPart).
var twins = map[string]any{
	"catalog-item":    klaviyomock.Item{},
	"catalog-variant": klaviyomock.Variant{},

	"catalog-category": klaviyomock.Category{},
	"account":          klaviyomock.Account{},

	"back-in-stock-subscription": klaviyomock.BackInStockSubscription{},
	"back-in-stock-notification": klaviyomock.BackInStockNotification{},
}

// sampleJSON is a value of each attribute type, as a client sends it.
var sampleJSON = map[schema.Type]string{
	schema.String:   `"text"`,
	schema.Number:   `2.5`,
	schema.Bool:     `false`,
	schema.Strings:  `["a","b"]`,
	schema.Object:   `{"k":[1,"two"]}`,
	schema.DateTime: `"2026-01-02T03:04:05.678Z"`,
}

// TestSchema_EveryDeclaredEntityHasEveryPart: an entity is one declaration
// (internal/schema) plus the parts the rest reads it through; a declared
// entity lacking one fails here, naming the part and where it goes: its
// generator (internal/fixtures), its spec rows (internal/resource, whose
// operations must be exactly the declared ones), the codec of each of its
// attributes, a state round trip through the control API (export, put
// back, export the same bytes), and its Go twin (this package).
func TestSchema_EveryDeclaredEntityHasEveryPart(t *testing.T) {
	reg := resource.Default()
	for _, d := range schema.Default().Entities() {
		t.Run(d.Type, func(t *testing.T) {
			if _, _, ok := fixtures.Seeded(d.Type); !ok {
				t.Errorf("no generator: add one to internal/fixtures (generators)")
			}
			if d.Ops != 0 {
				checkSpecRows(t, reg, d)
			}
			checkCodec(t, d)
			checkTwin(t, d)
		})
	}
	t.Run("state round trip", checkStateRoundTrip)
}

// checkSpecRows: the registry serves d with exactly its declared
// operations at the newest revision.
func checkSpecRows(t *testing.T, reg *resource.Registry, d *schema.Entity) {
	t.Helper()
	if !resource.HasSpecRows(d.Type, false) {
		t.Errorf("no spec rows: add them to internal/resource (specRows)")
	}
	res, ok := reg.OfType(d.Type)
	if !ok {
		t.Fatalf("the registry does not serve %s", d.Type)
	}
	newest := reg.Revisions().All()[len(reg.Revisions().All())-1]
	for op, declared := range map[resource.Op]schema.Ops{resource.OpList: schema.OpList, resource.OpGet: schema.OpGet,
		resource.OpCreate: schema.OpCreate, resource.OpUpdate: schema.OpUpdate, resource.OpDelete: schema.OpDelete} {
		_, served := resource.Endpoint{Res: res, Op: op}.At(newest)
		if served != d.Ops.Has(declared) {
			t.Errorf("%s: served %v at %s, declared %v", op, served, newest.Date, d.Ops.Has(declared))
		}
	}
	client, ok := reg.ClientNamed(d.Path)
	if ok != d.Ops.Has(schema.OpClientCreate) || ok != resource.HasSpecRows(d.Type, true) {
		t.Errorf("a /client create: served %v, declared %v, rows %v", ok, d.Ops.Has(schema.OpClientCreate), resource.HasSpecRows(d.Type, true))
	}
	if !ok {
		return
	}
	if _, served := (resource.Endpoint{Res: client, Op: resource.OpCreate}).At(newest); !served {
		t.Errorf("the /client create is not served at %s", newest.Date)
	}
}

// checkCodec: every attribute a client may set reads a value of its type
// and writes it back (not null).
func checkCodec(t *testing.T, d *schema.Entity) {
	t.Helper()
	kind := store.KindOf(d)
	for i, a := range d.Attrs {
		sample, ok := sampleJSON[a.Type]
		if a.Type == schema.Integer {
			sample, ok = jsonInt(a.Min), true
		}
		if !ok {
			t.Errorf("attribute %s: no codec for its type %s", a.Name, a.Type)
			continue
		}
		node, err := jsonw.Decode([]byte(sample))
		if err != nil {
			t.Fatal(err)
		}
		e := store.NewEntity(kind, "")
		if probs := codec.SetAttr(e, i, node); len(probs) > 0 {
			t.Errorf("attribute %s refuses %s: %v", a.Name, sample, probs)
			continue
		}
		if out := string(codec.AppendAttr(nil, e, i)); out == "null" {
			t.Errorf("attribute %s read %s and wrote null", a.Name, sample)
		}
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// checkTwin: the Go type of d has a member for each attribute (by its JSON
// name), the id, and what d's documents name of other entities.
func checkTwin(t *testing.T, d *schema.Entity) {
	t.Helper()
	twin, ok := twins[d.Type]
	if !ok {
		t.Errorf("no Go twin: add a type to klaviyomock and to twins")
		return
	}
	members := map[string]bool{}
	ty := reflect.TypeOf(twin)
	for i := range ty.NumField() {
		name, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
		members[name] = true
	}
	want := []string{"id"}
	for _, a := range d.Attrs {
		want = append(want, a.Name)
	}
	for _, r := range d.Relations {
		if target, _ := schema.Default().OfType(r.Target); target.Index < d.Index && r.Kind != schema.Children {
			want = append(want, r.Name)
		}
	}
	for _, w := range want {
		if !members[w] {
			t.Errorf("the Go twin %s has no member %q", ty.Name(), w)
		}
	}
}

// checkStateRoundTrip: an account's whole document, every collection of
// every declared kind, put back into another account exports the same
// bytes (but for the account's label).
func checkStateRoundTrip(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=3", "--items=100", "--variants=40", "--categories=3")
	get := func(key string) []byte {
		t.Helper()
		resp, err := http.Get(m.URL() + "/__admin/accounts/" + key)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("export: %d %s", resp.StatusCode, buf.String())
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		delete(doc, "account")
		delete(doc, "public_key")
		out, _ := json.Marshal(doc)
		// An account's own entity carries its public key.
		return bytes.ReplaceAll(out, []byte(`"`+m.PublicKey(key)+`"`), []byte(`"PUBLIC"`))
	}
	// Collections no generator fills get one entity each.
	put(t, m.URL()+"/__admin/accounts/pk_source/back-in-stock-subscriptions", `{"back-in-stock-subscriptions":[{"channels":["EMAIL","SMS"],`+
		`"email":"ann@example.com","phone_number":"+15005550006","variant":"$shopify:::$default:::33001893429341"}]}`)
	put(t, m.URL()+"/__admin/accounts/pk_source/back-in-stock-notifications", `{"back-in-stock-notifications":[{"channel":"EMAIL",`+
		`"subscription_id":"01JZ0000000000000000000000","email":"ann@example.com","variant":"$custom:::$default:::V-1"}]}`)
	first := get("pk_source")
	for _, d := range schema.Default().Entities() {
		if !bytes.Contains(first, []byte(`"`+d.Plural+`":[{`)) {
			t.Errorf("the export holds no %s: the round trip would not test them", d.Plural)
		}
	}
	put(t, m.URL()+"/__admin/accounts/pk_target", string(first))
	if second := get("pk_target"); !bytes.Equal(first, second) {
		t.Fatalf("the account did not round-trip:\n%s\n%s", first, second)
	}
}

// put sends a control API PUT and wants a 200.
func put(t *testing.T, url, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("PUT %s: %d %s", url, resp.StatusCode, buf.String())
	}
}

// TestEmpty_KeepsTheAccountsOwnRecord: emptying an account (PUT {}) empties
// every collection but the account's own record: GET /api/accounts still
// answers the account, as Klaviyo always does; a document with no account
// record is refused.
func TestEmpty_KeepsTheAccountsOwnRecord(t *testing.T) {
	m := klaviyomock.RunT(t)
	key := "pk_0123456789abcdef0123456789abcdef01"
	if err := m.Empty(key); err != nil {
		t.Fatal(err)
	}
	if a, ok := m.Account(key); !ok || a.ID != m.PublicKey(key) {
		t.Fatalf("after Empty the account record is %+v, %v", a, ok)
	}
	if len(m.Items(key)) != 0 {
		t.Fatal("Empty left items")
	}
	req, _ := http.NewRequest(http.MethodPut, m.URL()+"/__admin/accounts/"+key+"/accounts", strings.NewReader(`{"accounts":[]}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("a document with no account record: %d, want 400", res.StatusCode)
	}
}
