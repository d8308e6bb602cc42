package handlers

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// attrIndex returns the index of e's attribute named name (see
// storetest.AttrIndex).
func attrIndex(e *store.Entity, name string) int { return storetest.AttrIndex(e.Kind, name) }

// attrStr returns e's string attribute name, or "" when it is null.
var attrStr = storetest.AttrStr

// attrNum returns e's number attribute name; a null one fails the test.
func attrNum(t *testing.T, e *store.Entity, name string) float64 {
	t.Helper()
	n, ok := e.Num(attrIndex(e, name))
	if !ok {
		t.Fatalf("%s %s has no %s", e.Kind, e.ID, name)
	}
	return n
}

// isPublished reports e's published attribute (null counts as published,
// the default).
func isPublished(e *store.Entity) bool {
	b, ok := e.Bool(attrIndex(e, "published"))
	return !ok || b
}

// parentID returns the id of e's parent (a variant's item).
func parentID(e *store.Entity) string {
	r, ok := e.Kind.Decl().Parent()
	if !ok {
		panic("test: " + e.Kind.Type() + " has no parent")
	}
	return e.Ref(r)
}
