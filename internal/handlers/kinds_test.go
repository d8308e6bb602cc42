package handlers

import "github.com/klaviyo-mock/mockserver/internal/store/storetest"

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var (
	itemKind, variantKind, categoryKind     = storetest.ItemKind, storetest.VariantKind, storetest.CategoryKind
	jobItemCreate, jobItemUpdate            = storetest.JobItemCreate, storetest.JobItemUpdate
	collItems, collVariants, collCategories = storetest.CollItems, storetest.CollVariants, storetest.CollCategories
)
