package store

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// A created entity's value slots end at its last value sent: an item
// sending its title, description, price and url holds five slots, not its
// kind's twelve; its defaults (image_full_url to published) are read from
// the kind's shared values past them. One sending published as well holds
// ten, the defaults before published copied into its slots. Every value
// reads as before: what it sent and its defaults.
func TestCreate_AnEntityHoldsSlotsUpToItsLastSentValue(t *testing.T) {
	for _, c := range []struct {
		kv   []any
		last string // the last value sent
	}{
		{[]any{"title", "t", "description", "d", "price", 2.5, "url", "https://x.example/n"}, "url"},
		{[]any{"title", "t", "description", "d", "url", "https://x.example/n", "published", false}, "published"},
	} {
		s := New(Options{Seed: 1, Now: clock.NewFrozen(t0).Now, Lifecycle: Lifecycle{Mode: Immediate}})
		a, _ := s.Mutable("k")
		sent := ent(itemKind, "NEW", c.kv...)
		names := []string{"external_id"}
		for i := 0; i < len(c.kv); i += 2 {
			names = append(names, c.kv[i].(string))
		}
		last, _, _ := itemKind.Attr(c.last)
		sent.Vals = sent.Vals[: last+1 : last+1] // as a job element holds them: up to its last value
		if _, err := a.Create(CreateRequest{Kind: jobItemCreate, Pointer: "/data/attributes/items/data",
			Elements: []Element{{ID: EntityID("NEW"), Set: itemKind.SetOf(names...), Values: *sent}}}); err != nil {
			t.Fatal(err)
		}
		e, ok, err := a.Entity(itemKind, EntityID("NEW"))
		if err != nil || !ok {
			t.Fatalf("the created item is not found: %v %v", ok, err)
		}
		if len(e.Vals) != last+1 {
			t.Errorf("the created item holds %d slots, want %d (up to %s, its last value sent)", len(e.Vals), last+1, c.last)
		}
		want := ent(itemKind, "NEW") // its defaults, then what it sent
		want.applyDefaults()
		for i := 0; i < len(c.kv); i += 2 {
			setAttr(want, c.kv[i].(string), c.kv[i+1])
		}
		for i, at := range itemKind.Attrs() {
			if at.Role == schema.Created || at.Role == schema.Updated {
				continue // the job's time
			}
			if !sameValue(e.Value(i), want.Value(i)) || e.IsSet(i) != want.IsSet(i) {
				t.Errorf("last sent %s: %s = %s, want %s", c.last, at.Name, show(e.Value(i)), show(want.Value(i)))
			}
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
		if !sameValue(e.Value(i), want.Value(i)) {
			t.Errorf("%s = %v, want %v", at.Name, e.Value(i), want.Value(i))
		}
	}
}

// show is a value as Entity.Vals holds it, dereferenced, for a failure's
// message.
func show(v any) string {
	switch x := v.(type) {
	case *string:
		if x != nil {
			return fmt.Sprintf("%q", *x)
		}
	case *float64:
		if x != nil {
			return fmt.Sprint(*x)
		}
	case *bool:
		if x != nil {
			return fmt.Sprint(*x)
		}
	case *[]string:
		if x != nil {
			return fmt.Sprint(*x)
		}
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprintf("%v", v)
}
