// Package storetest holds what the tests of several packages name in the
// store's declared catalog: the three catalog entity kinds, their bulk job
// kinds and their collections, the back-in-stock subscription and
// notification kinds and their collections, found by JSON:API type in the declaration,
// and reading an entity's attribute by name. The code under test knows no
// kind by name; its tests name these, declared here once. Only test files
// import this package; package store's own tests cannot (it imports store),
// so they keep their own names for the same kinds.
package storetest

import "github.com/klaviyo-mock/mockserver/internal/store"

var (
	// ItemKind is the declared catalog item entity kind.
	ItemKind = store.MustKind("catalog-item")
	// VariantKind is the declared catalog variant entity kind.
	VariantKind = store.MustKind("catalog-variant")
	// CategoryKind is the declared catalog category entity kind.
	CategoryKind = store.MustKind("catalog-category")

	// JobItemCreate, JobItemUpdate and JobItemDelete are the bulk job
	// kinds that create, update and delete catalog items.
	JobItemCreate, JobItemUpdate, JobItemDelete = jobKinds(ItemKind)
	// JobVariantCreate, JobVariantUpdate and JobVariantDelete are the bulk
	// job kinds that create, update and delete catalog variants.
	JobVariantCreate, JobVariantUpdate, JobVariantDelete = jobKinds(VariantKind)
	// JobCategoryCreate, JobCategoryUpdate and JobCategoryDelete are the
	// bulk job kinds that create, update and delete catalog categories.
	JobCategoryCreate, JobCategoryUpdate, JobCategoryDelete = jobKinds(CategoryKind)

	// CollItems, CollVariants and CollCategories are the collections of
	// catalog items, variants and categories.
	CollItems, CollVariants, CollCategories = store.EntityCollection(ItemKind), store.EntityCollection(VariantKind),
		store.EntityCollection(CategoryKind)

	// SubscriptionKind is the declared back-in-stock subscription kind.
	SubscriptionKind = store.MustKind("back-in-stock-subscription")
	// NotificationKind is the declared back-in-stock notification kind
	// (the emulator's record of what a restock would have sent).
	NotificationKind = store.MustKind("back-in-stock-notification")
	// CollSubscriptions and CollNotifications are the collections of
	// back-in-stock subscriptions and notifications.
	CollSubscriptions, CollNotifications = store.EntityCollection(SubscriptionKind), store.EntityCollection(NotificationKind)
)

// jobKinds returns the declared create, update and delete job kinds of k.
func jobKinds(k store.EntityKind) (create, update, del store.JobKind) {
	return store.MustJobKind(k.Type(), store.Create), store.MustJobKind(k.Type(), store.Update),
		store.MustJobKind(k.Type(), store.Delete)
}

// AttrIndex returns the index of k's attribute named name, and panics when
// k declares none: a test that names an attribute its kind lacks is wrong.
func AttrIndex(k store.EntityKind, name string) int {
	i, _, ok := k.Attr(name)
	if !ok {
		panic(k.Type() + " has no attribute " + name)
	}
	return i
}

// AttrStr returns e's string attribute named name ("" when unset).
func AttrStr(e *store.Entity, name string) string {
	s, _ := e.Str(AttrIndex(e.Kind, name))
	return s
}
