package accountdoc

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// requiredOf lists the members a create of d at the newest revision must
// send, as the declaration says: its attributes a create requires, its
// parent, and the reference a create body must name.
func requiredOf(d *schema.Entity) []string {
	var out []string
	for _, a := range d.Attrs {
		if a.Create == schema.Required && a.Role != schema.ExternalID {
			out = append(out, a.Name)
		}
	}
	for _, r := range d.Relations {
		if r.Kind == schema.Parent || r.Kind == schema.Reference && r.Body {
			out = append(out, r.Name)
		}
	}
	return out
}

// TestEntitiesFromState_AsCreatedRefusesEachMissingRequiredMember: for
// every declared kind, a document that leaves out a member a create at the
// newest revision requires is refused at that member's pointer, in the
// created mode; the state file's whole mode still takes it.
func TestEntitiesFromState_AsCreatedRefusesEachMissingRequiredMember(t *testing.T) {
	checked := 0
	for _, k := range store.Kinds() {
		d := k.Decl()
		base := "/" + k.Plural()
		for _, missing := range requiredOf(d) {
			raw := json.RawMessage(`{"external_id":"X"}`)
			if d.ID != schema.IDExternal {
				raw = json.RawMessage(`{}`)
			}
			_, _, probs := EntitiesFromState(k, []json.RawMessage{raw}, base, AsCreated)
			if !hasProblemAt(probs, base+"/0/"+missing) {
				t.Errorf("%s without %s: problems %+v, want one at %s/0/%s", d.Type, missing, probs, base, missing)
			}
			checked++
		}
	}
	if checked < 12 {
		t.Fatalf("checked %d required members; the declaration has more", checked)
	}
}

// TestEntitiesFromState_AsCreatedRefusesNullWhereNoRequestCouldMakeIt: a
// required member sent as null is refused unless an update could have
// set it to null (what an export of such an entity writes goes back).
func TestEntitiesFromState_AsCreatedRefusesNullWhereNoRequestCouldMakeIt(t *testing.T) {
	sub := storetest.SubscriptionKind
	raws := []json.RawMessage{[]byte(`{"channels":null,"email":"a@example.com","variant":"$custom:::$default:::V"}`)}
	_, _, probs := EntitiesFromState(sub, raws, "/s", AsCreated)
	if !hasProblemAt(probs, "/s/0/channels") {
		t.Fatalf("problems %+v, want one at /s/0/channels", probs)
	}
	item := []json.RawMessage{[]byte(`{"external_id":"A","title":null,"description":"d","url":"u"}`)}
	if _, _, probs := EntitiesFromState(itemKind, item, "/items", AsCreated); len(probs) != 0 {
		t.Fatalf("an item whose title an update nulled: problems %+v", probs)
	}
}

// TestEntitiesFromState_AsCreatedNeedsWhatTheEmbedIdentifies: a
// subscription names at least one of its profile's identifying members.
func TestEntitiesFromState_AsCreatedNeedsWhatTheEmbedIdentifies(t *testing.T) {
	sub := storetest.SubscriptionKind
	raws := []json.RawMessage{[]byte(`{"channels":["EMAIL"],"profile_id":"p1","variant":"$custom:::$default:::V"}`)}
	_, _, probs := EntitiesFromState(sub, raws, "/s", AsCreated)
	if len(probs) != 1 || probs[0].Pointer != "/s/0" || !strings.Contains(probs[0].Detail, "email, phone_number or external_id") {
		t.Fatalf("problems %+v, want one naming email, phone_number or external_id", probs)
	}
}

// TestEntitiesFromState_OptionalMembersLeftOutGetTheCreatesDefaults: what
// a document leaves out is what a create leaving it out gets (published
// true, images [], custom_metadata {}), in every mode that reads a whole
// entity; a null sent stays null.
func TestEntitiesFromState_OptionalMembersLeftOutGetTheCreatesDefaults(t *testing.T) {
	raws := []json.RawMessage{
		[]byte(`{"external_id":"A","title":"t","description":"d","url":"u"}`),
		[]byte(`{"external_id":"B","title":"t","description":"d","url":"u","published":null}`),
	}
	for _, mode := range []Mode{Whole, AsCreated} {
		es, _, probs := EntitiesFromState(itemKind, raws, "/items", mode)
		if len(probs) != 0 || len(es) != 2 {
			t.Fatalf("mode %d: problems %+v", mode, probs)
		}
		for name, want := range map[string]string{"published": "true", "images": "[]", "custom_metadata": "{}",
			"image_full_url": `""`, "price": "null"} {
			i, _, _ := itemKind.Attr(name)
			if got := string(codec.AppendAttr(nil, es[0], i)); got != want {
				t.Errorf("mode %d: %s = %s, want %s", mode, name, got, want)
			}
		}
		i, _, _ := itemKind.Attr("published")
		if got := string(codec.AppendAttr(nil, es[1], i)); got != "null" {
			t.Errorf("mode %d: published sent as null = %s", mode, got)
		}
	}
}

// TestEntitiesFromState_WholeModeTakesWhatOlderVersionsWrote: the state
// file's mode does not refuse a missing required member (files written
// before the rule held such entities): it stays null.
func TestEntitiesFromState_WholeModeTakesWhatOlderVersionsWrote(t *testing.T) {
	raws := []json.RawMessage{[]byte(`{"external_id":"B"}`)}
	if _, _, probs := EntitiesFromState(itemKind, raws, "/items", Whole); len(probs) != 0 {
		t.Fatalf("problems %+v", probs)
	}
}

func hasProblemAt(probs []Problem, pointer string) bool {
	for _, p := range probs {
		if p.Pointer == pointer {
			return true
		}
	}
	return false
}

// TestRestore_AFileOfAnOlderVersionLoadsWithTheCreatesDefaults: a saved
// item without what a create requires (an older version's control API
// took it) is restored, not refused as corrupt; what it leaves out gets
// the create's defaults, as in every whole document.
func TestRestore_AFileOfAnOlderVersionLoadsWithTheCreatesDefaults(t *testing.T) {
	s := store.New(store.Options{Seed: 1, Seeder: catalogSeeder(), Now: func() time.Time { return t0 }})
	st := AccountState{Account: "pk_old", Entities: map[store.EntityKind][]json.RawMessage{
		itemKind: {[]byte(`{"external_id":"B"}`)}}}
	if err := Restore(s, st, t0); err != nil {
		t.Fatalf("an older version's file: %v", err)
	}
	a, _ := s.Account("pk_old")
	e, ok, err := a.Entity(itemKind, store.EntityID("B"))
	if err != nil || !ok {
		t.Fatal("the item was not restored")
	}
	i, _, _ := itemKind.Attr("published")
	if got := string(codec.AppendAttr(nil, e, i)); got != "true" {
		t.Fatalf("published = %s, want the create's default true", got)
	}
}

// TestEntitiesFromState_AsCreatedChecksTheDeclaredFormats: a
// subscription's email and phone number have the forms a create takes;
// the API's own wording says what is wrong.
func TestEntitiesFromState_AsCreatedChecksTheDeclaredFormats(t *testing.T) {
	sub := storetest.SubscriptionKind
	v := `,"variant":"$custom:::$default:::V"}`
	raws := []json.RawMessage{
		[]byte(`{"channels":["EMAIL"],"email":"not-an-email"` + v),
		[]byte(`{"channels":["SMS"],"phone_number":"5550006"` + v),
		[]byte(`{"channels":["WHATSAPP"],"phone_number":"+15005550006"` + v),
	}
	_, _, probs := EntitiesFromState(sub, raws, "/s", AsCreated)
	want := []Problem{
		{"/s/0/email", apierror.DetailInvalidEmail},
		{"/s/1/phone_number", apierror.DetailInvalidPhone},
	}
	if !slices.Equal(probs, want) {
		t.Fatalf("problems %+v, want %+v", probs, want)
	}
}
