package store

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// A created entity's value slots end at its last value sent: an item
// sending its title, description, price and url holds five slots, not its
// kind's twelve; its defaults (image_full_url to published) are read from
// the kind's shared values past them. Every value reads as before: what
// it sent and its defaults.
func TestCreate_AnEntityHoldsSlotsUpToItsLastSentValue(t *testing.T) {
	s := New(Options{Seed: 1, Now: clock.NewFrozen(t0).Now, Lifecycle: Lifecycle{Mode: Immediate}})
	a, _ := s.Mutable("k")
	sent := ent(itemKind, "NEW", "title", "t", "description", "d", "price", 2.5, "url", "https://x.example/n")
	set := itemKind.SetOf("external_id", "title", "description", "price", "url")
	sent.Vals = sent.Vals[:5:5] // as a job element holds them: up to its last value
	if _, err := a.Create(CreateRequest{Kind: jobItemCreate, Pointer: "/data/attributes/items/data",
		Elements: []Element{{ID: EntityID("NEW"), Set: set, Values: *sent}}}); err != nil {
		t.Fatal(err)
	}
	e, ok, err := a.Entity(itemKind, EntityID("NEW"))
	if err != nil || !ok {
		t.Fatalf("the created item is not found: %v %v", ok, err)
	}
	url, _, _ := itemKind.Attr("url")
	if len(e.Vals) != url+1 {
		t.Errorf("the created item holds %d slots, want %d (up to url, its last value sent)", len(e.Vals), url+1)
	}
	want := ent(itemKind, "NEW", "title", "t", "description", "d", "price", 2.5, "url", "https://x.example/n")
	want.applyDefaults()
	for i, at := range itemKind.Attrs() {
		if at.Role == schema.Created || at.Role == schema.Updated {
			continue // the job's time
		}
		if (e.Value(i) != nil || want.Value(i) != nil) && !sameValue(e.Value(i), want.Value(i)) || e.IsSet(i) != want.IsSet(i) {
			t.Errorf("%s = %v, want %v", at.Name, e.Value(i), want.Value(i))
		}
	}
}

// Setting an attribute past a created entity's slots keeps every value it
// reads: its own and its defaults, now in slots of their own.
func TestEntity_SetPastACreatedEntitysSlotsKeepsItsDefaults(t *testing.T) {
	el := Element{ID: EntityID("N"), Set: itemKind.SetOf("title"), Values: *ent(itemKind, "N", "title", "t")}
	e, eerr := newElementEntity(itemKind, nil, &el, t0)
	if eerr != nil {
		t.Fatal(eerr)
	}
	title, _, _ := itemKind.Attr("title")
	e.Copy(title, &el.Values)
	want := ent(itemKind, "N", "title", "t")
	want.applyDefaults()
	// A null set past the slots is null, not the default it read.
	published, _, _ := itemKind.Attr("published")
	e.Set(published, nil)
	want.Set(published, nil)
	images, _, _ := itemKind.Attr("image_full_url")
	e.Set(images, StrPtr("https://x.example/i.png"))
	want.Set(images, StrPtr("https://x.example/i.png"))
	for i, at := range itemKind.Attrs() {
		if (e.Value(i) != nil || want.Value(i) != nil) && !sameValue(e.Value(i), want.Value(i)) {
			t.Errorf("%s = %v, want %v", at.Name, e.Value(i), want.Value(i))
		}
	}
}
