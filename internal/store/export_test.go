package store

// Helpers of this package's tests, for its tests that read and write
// accounts through the account document: internal/accountdoc imports
// store, so they are in package store_test.
var (
	T0             = t0
	BudgetStore    = budgetStore
	Touch          = touch
	LifecycleStore = lifecycleStore
	CreateReq      = createReq
)

// OwnKinds are the kinds this package's tests name (kinds_test.go), by
// the name storetest gives each.
var OwnKinds = map[string]any{
	"ItemKind": itemKind, "VariantKind": variantKind, "CategoryKind": categoryKind,
	"SubscriptionKind": subscriptionKind, "NotificationKind": notificationKind,
	"JobItemCreate": jobItemCreate, "JobItemUpdate": jobItemUpdate, "JobItemDelete": jobItemDelete,
	"JobVariantCreate": jobVariantCreate, "JobVariantUpdate": jobVariantUpdate, "JobVariantDelete": jobVariantDelete,
	"JobCategoryCreate": jobCategoryCreate, "JobCategoryUpdate": jobCategoryUpdate, "JobCategoryDelete": jobCategoryDelete,
	"CollItems": collItems, "CollVariants": collVariants, "CollCategories": collCategories,
	"CollSubscriptions": collSubscriptions, "CollNotifications": collNotifications,
}

// ULIDHistory returns a history of n jobs with ULID ids, whose statuses
// cycle as testHistory's do.
func ULIDHistory(n int) History { return ulidHistory{testHistory{n}} }
