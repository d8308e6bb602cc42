package store

// Helpers of this package's tests, for its tests that read and write
// accounts through the account document: internal/accountdoc imports
// store, so they are in package store_test.
var (
	T0             = t0
	ItemKind       = itemKind
	JobItemUpdate  = jobItemUpdate
	JobItemDelete  = jobItemDelete
	CollItems      = collItems
	BudgetStore    = budgetStore
	Touch          = touch
	LifecycleStore = lifecycleStore
	CreateReq      = createReq
)

// ULIDHistory returns a history of n jobs with ULID ids, whose statuses
// cycle as testHistory's do.
func ULIDHistory(n int) History { return ulidHistory{testHistory{n}} }
