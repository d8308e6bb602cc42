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
