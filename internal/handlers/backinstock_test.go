package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
)

// The back-in-stock subscription creates.
const (
	bisAPI    = "/api/back-in-stock-subscriptions"
	bisClient = "/client/back-in-stock-subscriptions"
	bisFirst  = "2023-07-15" // the first revision that has them
	bisType   = "back-in-stock-subscription"
	bomber    = "$custom:::$default:::bomber123-s"
)

// bisDoc is a subscription body: its channels (JSON), its profile (JSON,
// "" none) and its relationships (JSON, "" none).
func bisDoc(channels, profile, rels string) string {
	attrs := `"channels":` + channels
	if profile != "" {
		attrs += `,"profile":` + profile
	}
	doc := `{"data":{"type":"` + bisType + `","attributes":{` + attrs + `}`
	if rels != "" {
		doc += `,"relationships":` + rels
	}
	return doc + `}}`
}

// profileOf is a profile member with the given attributes (JSON members).
func profileOf(attrs string) string {
	return `{"data":{"type":"profile","attributes":{` + attrs + `}}}`
}

// variantOf is a relationships member naming variant id.
func variantOf(id string) string {
	return `{"variant":{"data":{"type":"catalog-variant","id":"` + id + `"}}}`
}

// subscribe posts body to path at revision rev with the revision's media
// type; the answer is checked against the spec of the revision.
func (e *env) subscribe(path, rev, body string, hdr ...string) *resp {
	e.t.Helper()
	ct := revision.JSONAPI
	if p, ok := revision.Default().Exact(rev); ok {
		ct = p.ContentType
	}
	return e.req("POST", path, strings.NewReader(body), append([]string{"revision: " + rev, "Content-Type: " + ct}, hdr...)...)
}

// clientPath is the /client create of the account answering to public.
func clientPath(public string) string { return bisClient + "?company_id=" + public }

// subscriptionsOf returns account key's subscriptions as the control API
// shows them.
func (e *env) subscriptionsOf(key string) []map[string]any {
	e.t.Helper()
	r := e.adminReq("GET", "/accounts/"+key+"/back-in-stock-subscriptions", "", "")
	var doc struct {
		Subs []map[string]any `json:"back-in-stock-subscriptions"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &doc) != nil {
		e.t.Fatalf("subscriptions of %s: %d %s", key, r.status, r.body)
	}
	return doc.Subs
}

// TestSubscriptions_202WithNoBodyOnBothPathsAtEveryRevision: both creates,
// with and without the trailing slash, answer 202 with no body and no
// Content-Type but with the rate-limit, revision and request-id headers,
// at every revision from 2023-07-15 (before it: Klaviyo's 404 for an
// operation the revision does not have); each subscription is in the
// whole-account export with its email and variant id as sent.
func TestSubscriptions_202WithNoBodyOnBothPathsAtEveryRevision(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{}))
	public := e.store.PublicKeyOf(testKey)
	paths := []string{bisAPI, bisAPI + "/", clientPath(public), bisClient + "/?company_id=" + public}
	made := 0
	for _, p := range resource.Default().Revisions().All() {
		for i, path := range paths {
			email := fmt.Sprintf("ann+%s-%d@example.com", p.Date, i)
			r := e.subscribe(path, p.Date, bisDoc(`["EMAIL"]`, profileOf(`"email":"`+email+`"`), variantOf(bomber)))
			if p.Date < bisFirst {
				wantError(t, r, 404, "not_found", map[string]any{"parameter": "revision"})
				continue
			}
			made++
			if r.status != 202 || len(r.body) != 0 || r.header.Get("Content-Type") != "" {
				t.Fatalf("%s %s: %d %q (Content-Type %q), want 202 with no body", p.Date, path, r.status, r.body, r.header.Get("Content-Type"))
			}
			if !strings.HasSuffix(r.header.Get("RateLimit-Limit"), "350;w=1, 3500;w=60") || r.header.Get("x-klaviyo-api-revision") != p.Date ||
				r.header.Get("x-klaviyo-req-id") == "" {
				t.Fatalf("%s %s: headers %v", p.Date, path, r.header)
			}
		}
	}
	export := e.adminReq("GET", "/accounts/"+testKey, "", "")
	var doc struct {
		Subs []struct {
			Email, Variant, Source, Revision string
		} `json:"back-in-stock-subscriptions"`
	}
	if err := json.Unmarshal(export.body, &doc); err != nil || len(doc.Subs) != made {
		t.Fatalf("the export holds %d subscriptions, want %d: %v", len(doc.Subs), made, err)
	}
	s := doc.Subs[len(doc.Subs)-1]
	if s.Email != "ann+2026-07-15-3@example.com" || s.Variant != bomber || s.Source != "client" || s.Revision != "2026-07-15" {
		t.Fatalf("the last subscription is %+v", s)
	}
}

// bisCase is a body and what the spec and the emulator say of it at a
// revision, on /api or /client.
type bisCase struct {
	name string
	body string
	// spec reports whether the spec of rev accepts the body.
	spec func(rev string, client bool) bool
	// want is the pointer and a part of the detail of the 400 (pointer ""
	// for a 202).
	want func(rev string, client bool) (string, string)
}

func always(string, bool) bool { return true }
func never(string, bool) bool  { return false }
func from(d string) func(string, bool) bool {
	return func(rev string, _ bool) bool { return rev >= d }
}

// accepted is a 202 wherever the spec accepts; refused the 400 at pointer.
func accepted(string, bool) (string, string) { return "", "" }
func refused(pointer, detail string) func(string, bool) (string, string) {
	return func(string, bool) (string, string) { return pointer, detail }
}

// relationshipsRequired reports whether the spec of rev requires
// relationships and its variant (docs/klaviyo-behaviour.md §10.2).
func relationshipsRequired(rev string) bool {
	return rev >= "2023-09-15" && rev < "2024-05-15" || rev >= "2025-01-15"
}

var (
	email      = `"email":"ann@example.com"`
	annProfile = profileOf(email)
	needsVar   = "needs the catalog variant it is for"
	needsProf  = "needs a profile to notify"
)

var bisCases = []bisCase{
	{"a whole body", bisDoc(`["EMAIL","SMS"]`, profileOf(email+`,"phone_number":"+15005550006","external_id":"A-1"`), variantOf(bomber)),
		always, accepted},
	{"another integration's variant", bisDoc(`["PUSH"]`, annProfile, variantOf("$shopify:::$default:::33001893429341")),
		always, accepted},
	{"the spec example's id among the profile's attributes", bisDoc(`["EMAIL"]`, profileOf(`"id":"01GDDKASAP8TKDDA2GRZDSVP4H",`+email), variantOf(bomber)),
		always, accepted},
	{"a channel outside the enum", bisDoc(`["EMAIL","FAX"]`, annProfile, variantOf(bomber)),
		never, refused("/data/attributes/channels/1", "'FAX' is not a valid choice for 'channels'.")},
	{"WHATSAPP", bisDoc(`["WHATSAPP"]`, annProfile, variantOf(bomber)), from("2026-01-15"),
		func(rev string, _ bool) (string, string) {
			if rev >= "2026-01-15" {
				return "", ""
			}
			return "/data/attributes/channels/0", "'WHATSAPP' is not a valid choice for 'channels'."
		}},
	{"no channels", `{"data":{"type":"` + bisType + `","attributes":{"profile":` + annProfile + `},"relationships":` + variantOf(bomber) + `}}`,
		never, refused("/data/attributes/channels", "'channels' is a required field for the resource 'back-in-stock-subscription'.")},
	{"no profile", bisDoc(`["EMAIL"]`, "", variantOf(bomber)),
		func(_ string, client bool) bool { return !client },
		func(_ string, client bool) (string, string) {
			if client {
				return "/data/attributes/profile", "'profile' is a required field for the resource 'back-in-stock-subscription'."
			}
			return "/data/attributes/profile", needsProf
		}},
	{"a null profile", bisDoc(`["EMAIL"]`, "null", variantOf(bomber)),
		func(rev string, client bool) bool { return !client && rev >= "2024-02-15" },
		func(rev string, client bool) (string, string) {
			if !client && rev >= "2024-02-15" {
				return "/data/attributes/profile", needsProf
			}
			return "/data/attributes/profile", "'profile' may not be null."
		}},
	{"a profile that identifies nobody", bisDoc(`["EMAIL"]`, `{"data":{"type":"profile","id":"01GDDKASAP8TKDDA2GRZDSVP4H","attributes":{}}}`, variantOf(bomber)),
		always, refused("/data/attributes/profile", needsProf)},
	{"no relationships", bisDoc(`["EMAIL"]`, annProfile, ""),
		func(rev string, _ bool) bool { return !relationshipsRequired(rev) },
		func(rev string, _ bool) (string, string) {
			if relationshipsRequired(rev) {
				return "/data/relationships", "'relationships' is a required field for the resource 'back-in-stock-subscription'."
			}
			return "/data/relationships/variant", needsVar
		}},
	{"relationships without the variant", bisDoc(`["EMAIL"]`, annProfile, "{}"),
		func(rev string, _ bool) bool { return !relationshipsRequired(rev) },
		func(rev string, _ bool) (string, string) {
			if relationshipsRequired(rev) {
				return "/data/relationships/variant", "'variant' is a required field for the resource 'back-in-stock-subscription'."
			}
			return "/data/relationships/variant", needsVar
		}},
	{"a variant id without its three parts", bisDoc(`["EMAIL"]`, annProfile, variantOf("bomber123-s")),
		always, refused("/data/relationships/variant/data/id", "'bomber123-s' is not a valid catalog-variant id")},
	{"a phone number not in E.164", bisDoc(`["SMS"]`, profileOf(`"phone_number":"555-0100"`), variantOf(bomber)),
		always, refused("/data/attributes/profile/data/attributes/phone_number", apierror.DetailInvalidPhone)},
	{"a malformed email", bisDoc(`["EMAIL"]`, profileOf(`"email":"ann.example.com"`), variantOf(bomber)),
		always, refused("/data/attributes/profile/data/attributes/email", apierror.DetailInvalidEmail)},
	{"anonymous_id", bisDoc(`["EMAIL"]`, profileOf(email+`,"anonymous_id":"anon-1"`), variantOf(bomber)),
		always, func(rev string, _ bool) (string, string) {
			if rev < "2025-10-15" {
				return "", ""
			}
			return "/data/attributes/profile/data/attributes/anonymous_id", "'anonymous_id' is not a valid field for the resource 'profile'."
		}},
	{"a null email beside an external id", bisDoc(`["EMAIL"]`, profileOf(`"email":null,"external_id":"A-1"`), variantOf(bomber)),
		from("2024-02-15"), func(rev string, _ bool) (string, string) {
			if rev >= "2024-02-15" {
				return "", ""
			}
			return "/data/attributes/profile/data/attributes/email", "This field may not be null"
		}},
	{"an unknown attribute", bisDoc(`["EMAIL"],"locale":"en"`, annProfile, variantOf(bomber)),
		always, refused("/data/attributes/locale", "'locale' is not a valid field for the resource 'back-in-stock-subscription'.")},
	{"another type", strings.Replace(bisDoc(`["EMAIL"]`, annProfile, variantOf(bomber)), `"type":"`+bisType, `"type":"catalog-variant`, 1),
		never, refused("/data/type", "'catalog-variant' is not a valid type here")},
}

// TestSubscriptions_BodiesAcceptedAndRefusedAsTheSpecOfEachRevisionSays:
// every case at every revision that has the creates, on /api and /client:
// the spec of the revision accepts or refuses the body as the case says
// (so the cases are the spec's, not this test's invention), and the
// emulator answers 202 or a 400 pointing at the member with Klaviyo's
// wording where it is known; where the spec lets a body through that
// cannot make a subscription (no variant, no subscriber, an id without its
// three parts, a malformed phone or email), the emulator still refuses it.
func TestSubscriptions_BodiesAcceptedAndRefusedAsTheSpecOfEachRevisionSays(t *testing.T) {
	e := newEnv(t)
	public := e.store.PublicKeyOf(testKey)
	for _, p := range resource.Default().Revisions().All() {
		if p.Date < bisFirst {
			continue
		}
		for _, client := range []bool{false, true} {
			path, op := bisAPI, "/api"
			if client {
				path, op = clientPath(public), "/client"
			}
			for _, c := range bisCases {
				what := fmt.Sprintf("%s %s %s", p.Date, op, c.name)
				specErr := spectest.CheckRequest(p.Date, "POST", strings.Split(path, "?")[0], []byte(c.body))
				if (specErr == nil) != c.spec(p.Date, client) {
					t.Errorf("%s: the spec accepts it: %v, the case says %v (%v)", what, specErr == nil, c.spec(p.Date, client), specErr)
				}
				r := e.subscribe(path, p.Date, c.body)
				pointer, detail := c.want(p.Date, client)
				if pointer == "" {
					if r.status != 202 {
						t.Errorf("%s: %d %s, want 202", what, r.status, r.body)
					}
					continue
				}
				if r.status != 400 || !strings.Contains(string(r.body), `"pointer":"`+pointer+`"`) || !strings.Contains(string(r.body), detail) {
					t.Errorf("%s: %d %s, want 400 at %s saying %q", what, r.status, r.body, pointer, detail)
				}
			}
		}
	}
}

// TestSubscriptions_TheSameSubscriberAndVariantAreOneRecord: a second
// create for the same variant and subscriber, through either API, merges
// into the first: one record, its channels the union, first seen first;
// the profile's data.id is kept.
func TestSubscriptions_TheSameSubscriberAndVariantAreOneRecord(t *testing.T) {
	e := newEnv(t)
	profile := `{"data":{"type":"profile","id":"01GDDKASAP8TKDDA2GRZDSVP4H","attributes":{"email":"ann@example.com"}}}`
	for _, r := range []*resp{
		e.subscribe(bisAPI, "2025-01-15", bisDoc(`["EMAIL"]`, profile, variantOf(bomber))),
		e.subscribe(clientPath(e.store.PublicKeyOf(testKey)), "2026-01-15", bisDoc(`["WHATSAPP","EMAIL","SMS"]`, annProfile, variantOf(bomber))),
	} {
		if r.status != 202 {
			t.Fatalf("%d %s", r.status, r.body)
		}
	}
	subs := e.subscriptionsOf(testKey)
	if len(subs) != 1 {
		t.Fatalf("%d records, want one: %v", len(subs), subs)
	}
	got, _ := json.Marshal(subs[0]["channels"])
	if string(got) != `["EMAIL","WHATSAPP","SMS"]` || subs[0]["profile_id"] != "01GDDKASAP8TKDDA2GRZDSVP4H" || subs[0]["source"] != "client" {
		t.Fatalf("the merged record: %v", subs[0])
	}
}
