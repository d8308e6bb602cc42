package payload_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// subscriptionProfiles are both back-in-stock creates at every revision
// that has them: /api then /client.
func subscriptionProfiles(t testing.TB) []*resource.Profile {
	reg := resource.Default()
	api, _ := reg.Named("back-in-stock-subscriptions")
	client, _ := reg.ClientNamed("back-in-stock-subscriptions")
	var out []*resource.Profile
	for _, p := range revision.Default().All() {
		if _, ok := (resource.Endpoint{Res: api, Op: resource.OpCreate}).At(p); ok {
			out = append(out, api.At(p), client.At(p))
		}
	}
	if len(out) == 0 {
		t.Fatal("no revision has the back-in-stock creates")
	}
	return out
}

const subscriptionBody = `{"data":{"type":"back-in-stock-subscription","attributes":{"channels":["EMAIL","EMAIL"],` +
	`"profile":{"data":{"type":"profile","id":"P1","attributes":{"email":"ann@example.com"}}}},` +
	`"relationships":{"variant":{"data":{"type":"catalog-variant","id":"$shopify:::$default:::1"}}}}}`

// TestParseSubmission_TheServerSaysThroughWhichAPIAndAtWhichRevision: an
// accepted body keeps what it sends (the profile's id too) and the element
// says which API and revision made it.
func TestParseSubmission_TheServerSaysThroughWhichAPIAndAtWhichRevision(t *testing.T) {
	for _, p := range subscriptionProfiles(t) {
		el, errs := payload.ParseSubmission(p, []byte(subscriptionBody))
		if len(errs) > 0 {
			t.Fatalf("%s client=%v: %s", p.Date, p.Res.Client, describe(errs))
		}
		want := map[string]string{"email": "ann@example.com", "profile_id": "P1", "revision": p.Date, "source": "api"}
		if p.Res.Client {
			want["source"] = "client"
		}
		for name, v := range want {
			if got := attrStr(t, &el.Values, name); got != v {
				t.Errorf("%s: %s is %q, want %q", p.Date, name, got, v)
			}
		}
		if !el.HasRelated || len(el.Related) != 1 || el.Related[0] != "$shopify:::$default:::1" {
			t.Errorf("%s: related %v", p.Date, el.Related)
		}
	}
}

// FuzzParseSubmission: whatever the body, at whatever revision, on either
// API, ParseSubmission does not panic, and either accepts an element that
// names its variant by a three-part id and a subscriber, or answers
// Klaviyo-shaped 400s pointing into the document.
func FuzzParseSubmission(f *testing.F) {
	for _, b := range []string{subscriptionBody, ``, `{}`, `{"data":null}`, `{"data":{"attributes":{"profile":null}}}`,
		strings.Replace(subscriptionBody, `"EMAIL","EMAIL"`, `"FAX",1`, 1),
		strings.Replace(subscriptionBody, `"email":"ann@example.com"`, `"phone_number":"+1"`, 1),
		strings.Replace(subscriptionBody, `"relationships"`, `"relation"`, 1)} {
		f.Add(uint8(0), []byte(b))
	}
	profiles := subscriptionProfiles(f)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		p := profiles[int(which)%len(profiles)]
		el, errs := payload.ParseSubmission(p, body)
		for _, e := range errs {
			if e.Status != 400 || (e.Code != apierror.CodeInvalid && e.Code != apierror.CodeParseError) || e.Source == nil ||
				(e.Source.Pointer != "" && !strings.HasPrefix(e.Source.Pointer, "/data")) {
				t.Fatalf("%s: error %+v", body, e)
			}
		}
		if len(errs) > 0 {
			return
		}
		if !el.HasRelated || len(el.Related) != 1 || !schema.ValidAnyCatalogID(el.Related[0]) {
			t.Fatalf("%s: accepted without a variant: %+v", body, el)
		}
		if optStr(&el.Values, "email")+optStr(&el.Values, "phone_number")+optStr(&el.Values, "external_id") == "" {
			t.Fatalf("%s: accepted without a subscriber", body)
		}
	})
}

// optStr returns e's string attribute named name, "" when unset.
func optStr(e *store.Entity, name string) string {
	i, _, _ := e.Kind.Attr(name)
	s, _ := e.Str(i)
	return s
}

// A member beside data in the embedded profile or in the relationship is
// refused with the same words, pointing at the member, and the rest of the
// body is still read.
func TestParseSubmission_AMemberBesideDataIsRefusedInTheProfileAndTheRelationship(t *testing.T) {
	body := strings.Replace(subscriptionBody, `"profile":{"data"`, `"profile":{"links":{},"data"`, 1)
	body = strings.Replace(body, `"variant":{"data"`, `"variant":{"meta":1,"data"`, 1)
	for _, p := range subscriptionProfiles(t) {
		_, errs := payload.ParseSubmission(p, []byte(body))
		wantInvalid(t, errs,
			wantErr{"/data/attributes/profile/links", "'links' is not a valid member of 'profile'; send its 'data'."},
			wantErr{"/data/relationships/variant/meta", "'meta' is not a valid member of 'variant'; send its 'data'."})
	}
}
