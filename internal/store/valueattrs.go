package store

import (
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// valueIndex indexes one attribute's held values (on: the attribute is
// filtered by equality), its map made at its first write.
type valueIndex struct {
	on      bool
	byValue map[string][]Position
}

// valueAttrs holds, for each entity kind, its attributes indexed by value
// (catalogValues), listed once from the declaration: newCatalog indexes
// them (valueIndex.on) and indexSize counts them at every put of an
// entity, where asking each attribute against each of the kind's
// filters cost about 1.5% of a creating flow's CPU.
var valueAttrs = valueAttrsOf(Kinds())

// valueAttrsOf lists the attributes of each kind indexed by value.
func valueAttrsOf(kinds []EntityKind) [][]int {
	out := make([][]int, len(kinds))
	for _, k := range kinds {
		for i := range k.Attrs() {
			if catalogValues(k, i) {
				out[k] = append(out[k], i)
			}
		}
	}
	return out
}

// catalogValues reports whether attribute i of kind is indexed by value.
func catalogValues(kind EntityKind, i int) bool {
	for _, f := range kind.Decl().Filters {
		if f.Kind == schema.FilterEquals && f.Field == kind.Attrs()[i].Name && kind.Attrs()[i].Type == schema.String {
			return true
		}
	}
	return false
}
