package server

import "github.com/klaviyo-mock/mockserver/internal/store"

// The declared kinds these tests name: the code under test knows none by
// name, it reads them from the declaration.
var (
	itemKind     = store.MustKind("catalog-item")
	variantKind  = store.MustKind("catalog-variant")
	categoryKind = store.MustKind("catalog-category")

	jobItemCreate     = store.MustJobKind("catalog-item", store.Create)
	jobItemUpdate     = store.MustJobKind("catalog-item", store.Update)
	jobItemDelete     = store.MustJobKind("catalog-item", store.Delete)
	jobVariantCreate  = store.MustJobKind("catalog-variant", store.Create)
	jobVariantUpdate  = store.MustJobKind("catalog-variant", store.Update)
	jobVariantDelete  = store.MustJobKind("catalog-variant", store.Delete)
	jobCategoryCreate = store.MustJobKind("catalog-category", store.Create)
	jobCategoryUpdate = store.MustJobKind("catalog-category", store.Update)
	jobCategoryDelete = store.MustJobKind("catalog-category", store.Delete)

	collItems      = store.EntityCollection(itemKind)
	collVariants   = store.EntityCollection(variantKind)
	collCategories = store.EntityCollection(categoryKind)
)

// attrStr returns e's string attribute named name ("" when unset).
func attrStr(e *store.Entity, name string) string {
	s, _ := e.Str(attrIndex(e.Kind, name))
	return s
}

// withAttrs returns an entity of kind k holding the string attributes
// given as name, value pairs (the values of a job element).
func withAttrs(k store.EntityKind, nameValues ...string) store.Entity {
	e := store.NewEntity(k, "")
	for i := 0; i+1 < len(nameValues); i += 2 {
		e.Set(attrIndex(k, nameValues[i]), store.StrPtr(nameValues[i+1]))
	}
	return *e
}

// attrIndex returns the index of k's attribute named name.
func attrIndex(k store.EntityKind, name string) int {
	i, _, ok := k.Attr(name)
	if !ok {
		panic(k.Type() + " has no attribute " + name)
	}
	return i
}

// numIs reports whether e's number attribute named name is set to want.
func numIs(e *store.Entity, name string, want float64) bool {
	n, ok := e.Num(attrIndex(e.Kind, name))
	return ok && n == want
}
