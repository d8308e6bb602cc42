package persist

import "github.com/klaviyo-mock/mockserver/internal/store/storetest"

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var (
	itemKind, variantKind, categoryKind = storetest.ItemKind, storetest.VariantKind, storetest.CategoryKind
	jobItemUpdate, collItems            = storetest.JobItemUpdate, storetest.CollItems
)
