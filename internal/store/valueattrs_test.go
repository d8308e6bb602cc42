package store

import (
	"slices"
	"testing"
)

// indexSize counts a position for each attribute indexed by value that
// an entity sets: the attributes are listed once per kind (valueAttrs),
// and are exactly those catalogValues names.
func TestValueAttrs_AreTheAttributesIndexedByValue(t *testing.T) {
	n := 0
	for _, k := range Kinds() {
		for i := range k.Attrs() {
			if catalogValues(k, i) {
				n++
			}
			if got := slices.Contains(valueAttrs[k], i); got != catalogValues(k, i) {
				t.Errorf("%s attribute %s: listed %v, indexed by value %v", k.Type(), k.Attrs()[i].Name, got, catalogValues(k, i))
			}
		}
	}
	if n == 0 {
		t.Fatal("no attribute is indexed by value")
	}
}

// BenchmarkIndexSize is the size of an item's index entries, counted at
// every put of an entity (twice when it replaces one).
func BenchmarkIndexSize(b *testing.B) {
	e := ent(itemKind, "X", "title", "T")
	for b.Loop() {
		indexSize(e)
	}
}
