package jsonw

import (
	"strings"
	"testing"
)

// compactSeeds are objects written as Encode writes them, and near misses
// (spaces, escapes, a key twice, too deep, a number too large) that must
// be decoded the long way.
var compactSeeds = []string{
	`{}`, `{"a":1}`, `{"category":"Shoes","material":"Wool","featured":false}`, `{"a":{"b":[1,-2.5e3,"x",null,true,{}]}}`,
	`{"a":[]}`, `{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`, `{ "a":1}`, `{"a": 1}`, `{"a":"\u0041"}`, `{"a":"\\"}`,
	"{\"a\":\"caf\xc3\xa9\"}", `{"a":1e400}`, `{"a":01}`, `{"a":[1,]}`, `{"a":1,}`, `{"\/":1}`,
	strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600),
}

// FuzzCompactEnd: a value compactEnd takes whole is one the fast decoder
// reads and Encode writes back byte for byte; and Members hands such a
// member's bytes out (Compact) with the value Decode makes of them.
func FuzzCompactEnd(f *testing.F) {
	for _, s := range append(compactSeeds, scanSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if end, ok := compactEnd(b, 0, 0); ok && end == len(b) {
			v, ok := decodeFast(b)
			if !ok || string(Encode(nil, v)) != string(b) {
				t.Fatalf("%q: compact, but decoded %v and encoded %s", b, ok, Encode(nil, v))
			}
		}
		doc := append(append([]byte(`{"m":`), b...), '}')
		tree, ok := decodeFast(doc)
		if !ok {
			return
		}
		checkMembers(t, doc, tree)
		var m Members
		members, _ := m.Decode(doc)
		for i := range members {
			want := valueOf(tree.(*Object), members[i].Key)
			if raw, ok := members[i].Compact(); ok && string(raw) != string(Encode(nil, want)) {
				t.Fatalf("%q: Compact gave %s, Encode %s", doc, raw, Encode(nil, want))
			}
		}
	})
}

// TestMembers_AnObjectWrittenAsEncodeWritesItIsHandedOutAsItIs: the
// custom metadata of a state file's entities keeps its bytes; one with a
// space, an escape or a key twice does not.
func TestMembers_AnObjectWrittenAsEncodeWritesItIsHandedOutAsItIs(t *testing.T) {
	for doc, want := range map[string]bool{
		`{"id":"x","meta":{"category":"Shoes","n":[1,2.5]}}`: true,
		`{"id":"x","meta":{"category": "Shoes"}}`:            false,
		`{"id":"x","meta":{"c":"\u0041"}}`:                   false,
		`{"id":"x","meta":{"c":1,"c":2}}`:                    false,
		`{"id":"x","meta":"{}"}`:                             false,
	} {
		var m Members
		members, ok := m.Decode([]byte(doc))
		if !ok || len(members) != 2 {
			t.Fatalf("%s: %v %v", doc, members, ok)
		}
		if _, got := members[1].Compact(); got != want {
			t.Errorf("%s: Compact says %v, want %v", doc, got, want)
		}
	}
}
