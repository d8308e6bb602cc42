package store

import "github.com/klaviyo-mock/mockserver/internal/schema"

// The declared kinds these tests name: the code under test knows none by
// name, it reads them from the declaration. They are storetest's names,
// spelled again because this package's tests cannot import storetest (it
// imports store); TestKinds_ThisPackageNamesWhatStoretestNames checks the
// two lists name the same kinds (OwnKinds in export_test.go).
var (
	itemKind         = MustKind("catalog-item")
	variantKind      = MustKind("catalog-variant")
	categoryKind     = MustKind("catalog-category")
	subscriptionKind = MustKind("back-in-stock-subscription")
	notificationKind = MustKind("back-in-stock-notification")

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

	collSubscriptions = EntityCollection(subscriptionKind)
	collNotifications = EntityCollection(notificationKind)
)

// ent returns an entity of kind with external id ext, its id derived, and
// the attributes named in kv (name, value pairs; values as Entity.Set takes
// them, or plain strings, floats, ints and bools).
func ent(kind EntityKind, ext string, kv ...any) *Entity {
	e := NewEntity(kind, EntityID(ext))
	e.ExternalID = ext
	for i := 0; i+1 < len(kv); i += 2 {
		setAttr(e, kv[i].(string), kv[i+1])
	}
	return e
}

// setAttr sets e's attribute named name, taking plain values for pointers.
func setAttr(e *Entity, name string, v any) {
	i, _, ok := e.Kind.Attr(name)
	if !ok {
		panic("no attribute " + name)
	}
	switch x := v.(type) {
	case string:
		v = &x
	case float64:
		v = &x
	case int:
		v = &x
	case bool:
		v = &x
	case []string:
		v = &x
	}
	e.Set(i, v)
}

// attrStr returns e's string attribute named name ("" when null).
func attrStr(e *Entity, name string) string {
	i, _, _ := e.Kind.Attr(name)
	s, _ := e.Str(i)
	return s
}

// attrIndex is the index of kind's attribute named name.
func attrIndex(kind EntityKind, name string) int {
	i, _, ok := kind.Attr(name)
	if !ok {
		panic("no attribute " + name)
	}
	return i
}

// rel returns kind's relation named name.
func rel(kind EntityKind, name string) *schema.Relation {
	r, ok := kind.Decl().Relation(name)
	if !ok {
		panic("no relation " + name)
	}
	return r
}

// relatedIDs are the ids kind's entity id relates to through the relation
// named name.
func (a *Account) relatedIDs(kind EntityKind, id, name string) []string {
	return positionIDs(a.cat.related(kind, id, rel(kind, name)))
}

// must returns v, for accessors whose second result a test has checked by
// what it compares.
func must[T any](v T, _ bool) T { return v }
