package server

import (
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var (
	itemKind, variantKind, categoryKind            = storetest.ItemKind, storetest.VariantKind, storetest.CategoryKind
	jobItemUpdate, jobItemDelete, jobVariantCreate = storetest.JobItemUpdate, storetest.JobItemDelete, storetest.JobVariantCreate

	// attrStr and attrIndex read an attribute by name.
	attrStr, attrIndex = storetest.AttrStr, storetest.AttrIndex
)

// withAttrs returns an entity of kind k holding the string attributes
// given as name, value pairs (the values of a job element).
func withAttrs(k store.EntityKind, nameValues ...string) store.Entity {
	e := store.NewEntity(k, "")
	for i := 0; i+1 < len(nameValues); i += 2 {
		e.Set(attrIndex(k, nameValues[i]), store.StrPtr(nameValues[i+1]))
	}
	return *e
}

// numIs reports whether e's number attribute named name is set to want.
func numIs(e *store.Entity, name string, want float64) bool {
	n, ok := e.Num(attrIndex(e.Kind, name))
	return ok && n == want
}
