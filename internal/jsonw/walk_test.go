package jsonw

import (
	"strings"
	"testing"
)

// TestWalkObject_ListsPlainMembersAndRefusesAnyOtherForm: the keys and
// value offsets of an object written plainly, in order, and false for
// every form the in-place readers leave to the tree.
func TestWalkObject_ListsPlainMembersAndRefusesAnyOtherForm(t *testing.T) {
	walk := func(doc string) (string, bool) {
		b := []byte(doc)
		var got []string
		end, ok := WalkObject(b, 0, func(key []byte, at int) (int, bool) {
			e, err := ValueEnd(b, at)
			got = append(got, string(key)+"="+string(b[at:e]))
			return e, err == nil
		})
		if ok && end != len(strings.TrimRight(doc, " ")) {
			t.Fatalf("%s: ends at %d", doc, end)
		}
		return strings.Join(got, ","), ok
	}
	for doc, want := range map[string]string{
		`{}`:                               "",
		`{ }`:                              "",
		`{"a":1}`:                          "a=1",
		`{ "a" : [1,2] , "b":{"c":"d"} } `: `a=[1,2],b={"c":"d"}`,
	} {
		if got, ok := walk(doc); !ok || got != want {
			t.Errorf("%s: %q %v, want %q", doc, got, ok, want)
		}
	}
	for _, doc := range []string{``, `[]`, `{"a":1,}`, `{"a" 1}`, `{"\u0061":1}`, `{"a":1 "b":2}`, `{"a":1`, `{,}`} {
		if got, ok := walk(doc); ok {
			t.Errorf("%s: read as %q", doc, got)
		}
	}
}
