package payload_test

import "github.com/klaviyo-mock/mockserver/internal/store/storetest"

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var (
	itemKind, variantKind, categoryKind                     = storetest.ItemKind, storetest.VariantKind, storetest.CategoryKind
	jobItemCreate, jobItemUpdate, jobItemDelete             = storetest.JobItemCreate, storetest.JobItemUpdate, storetest.JobItemDelete
	jobVariantCreate, jobVariantUpdate, jobVariantDelete    = storetest.JobVariantCreate, storetest.JobVariantUpdate, storetest.JobVariantDelete
	jobCategoryCreate, jobCategoryUpdate, jobCategoryDelete = storetest.JobCategoryCreate, storetest.JobCategoryUpdate, storetest.JobCategoryDelete

	attrIndex = storetest.AttrIndex
)
