package jsonw

import "testing"

// A reader of many entity documents decodes one after another with one
// Members, which keeps its list and the keys it learned. Each Decode also
// made a decoder of its own on the heap (about 600 bytes: the stack of
// pending members and the recent keys), for every document: now Members
// keeps it too, and an object of known keys whose values need no
// allocation (true, false, null) costs none.
func TestMembers_AnotherObjectCostsOnlyItsValues(t *testing.T) {
	doc := []byte(`{"published": true, "test_account": false, "parent": null, "nested": {"a": true}}`)
	var m Members
	if _, ok := m.Decode(doc); !ok { // the keys, learned once
		t.Fatal("not decoded")
	}
	n := testing.AllocsPerRun(50, func() {
		if members, ok := m.Decode(doc); !ok || len(members) != 4 {
			t.Fatalf("decoded %v, %v", members, ok)
		}
	})
	if n > 3 { // the nested object: itself, its keys and its values
		t.Fatalf("decoding another object of known keys allocates %.0f times, want at most 3", n)
	}
}
