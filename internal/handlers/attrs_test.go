package handlers

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// attrIndex returns the index of e's attribute named name; it panics on a
// name the kind does not declare (a typo in a test).
func attrIndex(e *store.Entity, name string) int {
	i, _, ok := e.Kind.Attr(name)
	if !ok {
		panic("test: " + e.Kind.Type() + " has no attribute " + name)
	}
	return i
}

// attrStr returns e's string attribute name, or "" when it is null.
func attrStr(e *store.Entity, name string) string {
	s, _ := e.Str(attrIndex(e, name))
	return s
}

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
