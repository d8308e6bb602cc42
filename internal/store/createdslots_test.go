package store

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// A created entity's value slots end at its last value, sent or default:
// an item sending its title, description, price and url, with defaults
// from image_full_url to published, holds ten slots, not its kind's
// twelve (the last two, created and updated, are kept in fields of their
// own). Every value reads as before: what it sent, its defaults, and null
// past its slots.
func TestCreate_AnEntityHoldsSlotsUpToItsLastValue(t *testing.T) {
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
	published, _, _ := itemKind.Attr("published")
	if len(e.Vals) != published+1 {
		t.Errorf("the created item holds %d slots, want %d (up to published, its last default)", len(e.Vals), published+1)
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
