package store

// The declared kinds these tests name: the code under test knows none by
// name, it reads them from the declaration.
var (
	itemKind     = MustKind("catalog-item")
	variantKind  = MustKind("catalog-variant")
	categoryKind = MustKind("catalog-category")

	jobItemCreate     = MustJobKind("catalog-item", Create)
	jobItemUpdate     = MustJobKind("catalog-item", Update)
	jobItemDelete     = MustJobKind("catalog-item", Delete)
	jobVariantCreate  = MustJobKind("catalog-variant", Create)
	jobVariantUpdate  = MustJobKind("catalog-variant", Update)
	jobVariantDelete  = MustJobKind("catalog-variant", Delete)
	jobCategoryCreate = MustJobKind("catalog-category", Create)
	jobCategoryUpdate = MustJobKind("catalog-category", Update)
	jobCategoryDelete = MustJobKind("catalog-category", Delete)

	collItems      = EntityCollection(itemKind)
	collVariants   = EntityCollection(variantKind)
	collCategories = EntityCollection(categoryKind)
)
