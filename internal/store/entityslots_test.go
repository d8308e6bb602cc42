package store

import "testing"

// An entity whose value slots end before its kind's last attribute (a job
// element holds slots up to the last value it sends) reads null past
// them, and setting or copying an attribute past them keeps the values it
// holds: the slots grow, they are not made again empty.
func TestEntity_SlotsEndingEarlyGrowKeepingTheirValues(t *testing.T) {
	title, _, _ := itemKind.Attr("title")
	published, _, _ := itemKind.Attr("published")
	src := ent(itemKind, "A", "title", "t", "published", false)
	short := Entity{Kind: itemKind, Vals: src.Vals[: title+1 : title+1]}
	if short.IsSet(published) || short.Value(published) != nil {
		t.Fatal("a slot past the end reads as set")
	}
	short.Copy(published, src)
	if s, ok := short.Str(title); !ok || s != "t" {
		t.Fatalf("copying published lost the title: %q, %v", s, ok)
	}
	if b, ok := short.Bool(published); !ok || b {
		t.Fatalf("published = %v, %v; want false", b, ok)
	}
	if len(short.Vals) != len(itemKind.Attrs()) {
		t.Fatalf("%d slots after growing, want %d", len(short.Vals), len(itemKind.Attrs()))
	}
	if s, _ := src.Str(title); s != "t" {
		t.Fatal("growing changed the slots it grew from")
	}
}
