package store

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// stockAccount is catalogAccount (variants I0-V0 … I4-V1, none with an
// inventory quantity) with a clock the test moves.
func stockAccount(t *testing.T) (*Account, *time.Time) {
	t.Helper()
	now := t0
	s := New(Options{Seed: 1, Seeder: catalogSeeder(), Now: func() time.Time { return now }, Lifecycle: Lifecycle{Mode: Immediate}})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	return a, &now
}

// subscribe submits a subscription to variant for the subscriber's
// attributes in kv (name, value pairs as ent takes them).
func subscribe(t *testing.T, a *Account, variant string, channels []string, kv ...any) *Entity {
	t.Helper()
	v := NewEntity(subscriptionKind, "")
	setAttr(v, "channels", channels)
	names := []string{"channels"}
	for i := 0; i+1 < len(kv); i += 2 {
		setAttr(v, kv[i].(string), kv[i+1])
		names = append(names, kv[i].(string))
	}
	e, _, err := a.Submit(subscriptionKind, Element{Set: subscriptionKind.SetOf(names...), Values: *v,
		Related: []string{variant}, HasRelated: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// channelsOf returns a subscription's channels.
func channelsOf(e *Entity) []string {
	l, _ := e.Strings(attrIndex(e.Kind, "channels"))
	return l
}

// TestSubmit_TheSameVariantAndSubscriberAreOneSubscription: a second
// create for the same variant and the same email, phone number and
// external id merges into the first (its id and created kept, channels
// united first seen first, updated moved); another subscriber, or the same
// one with another identifier, is another subscription. A variant of
// another integration, which the catalog cannot hold, is kept as sent.
func TestSubmit_TheSameVariantAndSubscriberAreOneSubscription(t *testing.T) {
	a, now := stockAccount(t)
	variant := EntityID("I0-V0")
	first := subscribe(t, a, variant, []string{"EMAIL", "EMAIL"}, "email", "ann@example.com")
	*now = now.Add(time.Minute)
	second := subscribe(t, a, variant, []string{"SMS", "EMAIL"}, "email", "ann@example.com")
	if second.ID != first.ID || !second.Created.Equal(first.Created) || !second.Updated.Equal(*now) {
		t.Fatalf("merged %s created %v updated %v; first %s created %v", second.ID, second.Created, second.Updated, first.ID, first.Created)
	}
	if got := channelsOf(second); !slices.Equal(got, []string{"EMAIL", "SMS"}) {
		t.Fatalf("channels %v, want [EMAIL SMS]", got)
	}
	other := subscribe(t, a, variant, []string{"EMAIL"}, "email", "ann@example.com", "external_id", "A-1")
	shopify := subscribe(t, a, "$shopify:::$default:::33001893429341", []string{"PUSH"}, "email", "ann@example.com")
	all, err := a.AllEntities(subscriptionKind)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || other.ID == first.ID || shopify.ID == first.ID {
		t.Fatalf("%d subscriptions, want 3 (the merged one, another identity, another variant)", len(all))
	}
	if got := shopify.Ref(rel(subscriptionKind, "variant")); got != "$shopify:::$default:::33001893429341" {
		t.Fatalf("the variant of another integration became %q", got)
	}
}

// notifications returns the account's notification records as
// "subscription channel variant email" lines.
func notifications(t *testing.T, a *Account) []string {
	t.Helper()
	all, err := a.AllEntities(notificationKind)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range all {
		out = append(out, attrStr(n, "subscription_id")+" "+attrStr(n, "channel")+" "+
			n.Ref(rel(notificationKind, "variant"))+" "+attrStr(n, "email"))
	}
	slices.Sort(out)
	return out
}

// setStock changes a variant's inventory_quantity through an entity PATCH.
func setStock(t *testing.T, a *Account, id string, qty float64) {
	t.Helper()
	v := NewEntity(variantKind, "")
	setAttr(v, "inventory_quantity", qty)
	if _, eerr, err := a.Write(jobVariantUpdate, Element{ID: id, Set: variantKind.SetOf("inventory_quantity"), Values: *v}, false); eerr != nil || err != nil {
		t.Fatalf("PATCH %s: %v %v", id, eerr, err)
	}
}

// TestNotify_AVariantBackInStockRecordsOneNotificationPerSubscriptionAndChannel:
// a variant whose inventory_quantity rises from null or 0 or less to more
// than 0 records a notification per subscription naming it and per
// channel; staying in stock, going out of stock and a variant nobody
// subscribed to record nothing; coming back again records again.
func TestNotify_AVariantBackInStockRecordsOneNotificationPerSubscriptionAndChannel(t *testing.T) {
	a, now := stockAccount(t)
	watched, other := EntityID("I0-V0"), EntityID("I1-V0")
	sub := subscribe(t, a, watched, []string{"EMAIL", "SMS"}, "email", "ann@example.com", "phone_number", "+15005550006")
	want := []string{sub.ID + " EMAIL " + watched + " ann@example.com", sub.ID + " SMS " + watched + " ann@example.com"}

	setStock(t, a, other, 4) // nobody subscribed
	if got := notifications(t, a); len(got) != 0 {
		t.Fatalf("a variant nobody subscribed to notified: %v", got)
	}
	*now = now.Add(time.Second)
	setStock(t, a, watched, 3) // null -> 3
	if got := notifications(t, a); !slices.Equal(got, want) {
		t.Fatalf("back in stock: %v, want %v", got, want)
	}
	setStock(t, a, watched, 7) // still in stock
	setStock(t, a, watched, 0) // out of stock
	if got := notifications(t, a); len(got) != 2 {
		t.Fatalf("staying in stock or going out notified: %v", got)
	}
	setStock(t, a, watched, -2)
	setStock(t, a, watched, 1) // back again
	if got := notifications(t, a); len(got) != 4 {
		t.Fatalf("coming back a second time: %d notifications, want 4", len(got))
	}
	all, _ := a.AllEntities(notificationKind)
	if phone := attrStr(all[0], "phone_number"); phone != "+15005550006" || !all[0].Created.Equal(now.Truncate(time.Millisecond)) {
		t.Fatalf("the notification holds phone %q at %v", phone, all[0].Created)
	}
}

// TestNotify_ABulkJobAndAControlPutNotifyAsAPatchDoes: a bulk update job's
// element raising the stock records notifications; so does a control API
// PUT of the variants (Notify), but not the same contents restored from a
// state file (no Notify).
func TestNotify_ABulkJobAndAControlPutNotifyAsAPatchDoes(t *testing.T) {
	a, _ := stockAccount(t)
	v0, v1 := EntityID("I0-V0"), EntityID("I0-V1")
	subscribe(t, a, v0, []string{"EMAIL"}, "email", "ann@example.com")
	subscribe(t, a, v1, []string{"PUSH"}, "external_id", "B-2")
	vals := NewEntity(variantKind, "")
	setAttr(vals, "inventory_quantity", 2.0)
	run(t, a, CreateRequest{Kind: jobVariantUpdate, Pointer: "/data/attributes/variants/data",
		Elements: []Element{{ID: v0, Set: variantKind.SetOf("inventory_quantity"), Values: *vals}}})
	if got := notifications(t, a); len(got) != 1 {
		t.Fatalf("the bulk job recorded %v, want one notification", got)
	}
	variants, err := a.AllEntities(variantKind)
	if err != nil {
		t.Fatal(err)
	}
	var raised []*Entity
	for _, v := range variants {
		cp := *v
		cp.Vals = slices.Clone(v.Vals)
		if v.ID == v1 {
			setAttr(&cp, "inventory_quantity", 9.0)
		}
		raised = append(raised, &cp)
	}
	in := &Contents{Entities: map[EntityKind][]*Entity{variantKind: raised}}
	if cs, err := a.Replace(in, ReplaceOptions{Now: t0}); err != nil || len(cs) > 0 {
		t.Fatalf("restore: %v %v", cs, err)
	}
	if got := notifications(t, a); len(got) != 1 {
		t.Fatalf("restoring the same contents recorded %v", got)
	}
	setStock(t, a, v1, 0)
	if cs, err := a.Replace(in, ReplaceOptions{Now: t0, Notify: true}); err != nil || len(cs) > 0 {
		t.Fatalf("PUT: %v %v", cs, err)
	}
	if got := notifications(t, a); len(got) != 2 || !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, " PUSH "+v1) }) {
		t.Fatalf("the control PUT recorded %v, want a PUSH notification for %s", got, v1)
	}
}

// TestPublicKey_AKeyShownReachesItsAccountBeforeTheAccountIsHeld: the
// public key the store shows for an account it does not hold yet (the
// one derived for it) reaches that account, not an account of its own:
// a storefront configured with it before the account's first request
// subscribes into the account a test then reads.
func TestPublicKey_AKeyShownReachesItsAccountBeforeTheAccountIsHeld(t *testing.T) {
	s := New(Options{Seed: 7, Now: func() time.Time { return t0 }})
	public := s.PublicKeyOf("pk_never_used_yet")
	if got := s.KeyOfPublicKey(public); got != "pk_never_used_yet" {
		t.Fatalf("the shown key %s reaches %q", public, got)
	}
	a, err := s.AccountByPublicKey(public)
	if err != nil || a.Key() != "pk_never_used_yet" {
		t.Fatalf("AccountByPublicKey(%s): %v %v", public, a, err)
	}
}

// TestNotify_AVariantThatDidNotExistIsNotBackInStock: creating a variant
// already in stock, for which a subscription was waiting, records nothing
// (nothing came back); nor does a control PUT of a catalog into an account
// that did not hold the variant (a copy of another account's export).
func TestNotify_AVariantThatDidNotExistIsNotBackInStock(t *testing.T) {
	a, _ := stockAccount(t)
	id := EntityID("NEW-V")
	subscribe(t, a, id, []string{"EMAIL"}, "email", "ann@example.com")
	v := ent(variantKind, "NEW-V", "inventory_quantity", 4.0)
	v.SetRef(rel(variantKind, "item"), EntityID("I0"))
	run(t, a, CreateRequest{Kind: jobVariantCreate, Pointer: "/data/attributes/variants/data",
		Elements: []Element{{ID: id, Set: variantKind.SetOf("external_id", "inventory_quantity"), Values: *v, Related: []string{EntityID("I0")}, HasRelated: true}}})
	if _, ok, _ := a.Entity(variantKind, id); !ok {
		t.Fatal("the variant was not created")
	}
	if got := notifications(t, a); len(got) != 0 {
		t.Fatalf("a new variant in stock notified: %v", got)
	}
}
