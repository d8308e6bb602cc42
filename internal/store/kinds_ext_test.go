package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// TestKinds_ThisPackageNamesWhatStoretestNames: this package's tests keep
// their own names for the kinds storetest names (they cannot import it);
// each must be the kind storetest's name of it is, and neither list may
// name a kind the other does not.
func TestKinds_ThisPackageNamesWhatStoretestNames(t *testing.T) {
	shared := map[string]any{
		"ItemKind": storetest.ItemKind, "VariantKind": storetest.VariantKind, "CategoryKind": storetest.CategoryKind,
		"SubscriptionKind": storetest.SubscriptionKind, "NotificationKind": storetest.NotificationKind,
		"JobItemCreate": storetest.JobItemCreate, "JobItemUpdate": storetest.JobItemUpdate, "JobItemDelete": storetest.JobItemDelete,
		"JobVariantCreate": storetest.JobVariantCreate, "JobVariantUpdate": storetest.JobVariantUpdate,
		"JobVariantDelete": storetest.JobVariantDelete, "JobCategoryCreate": storetest.JobCategoryCreate,
		"JobCategoryUpdate": storetest.JobCategoryUpdate, "JobCategoryDelete": storetest.JobCategoryDelete,
		"CollItems": storetest.CollItems, "CollVariants": storetest.CollVariants, "CollCategories": storetest.CollCategories,
		"CollSubscriptions": storetest.CollSubscriptions, "CollNotifications": storetest.CollNotifications,
	}
	for name, own := range store.OwnKinds {
		if s, ok := shared[name]; !ok || s != own {
			t.Errorf("this package's %s is %v; storetest's is %v (named: %v)", name, own, s, ok)
		}
	}
	for name := range shared {
		if _, ok := store.OwnKinds[name]; !ok {
			t.Errorf("storetest names %s; this package's tests do not", name)
		}
	}
	for _, name := range storetestVars(t) { // the list above is storetest's, whole
		if _, ok := shared[name]; !ok {
			t.Errorf("storetest declares %s; add it to this test's list (and to this package's OwnKinds)", name)
		}
	}
}

// storetestVars returns the exported package variables storetest's
// kinds.go declares, read from its source.
func storetestVars(t *testing.T) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "storetest/kinds.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, sp := range g.Specs {
				for _, n := range sp.(*ast.ValueSpec).Names {
					if n.IsExported() {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	if !slices.Contains(names, "ItemKind") {
		t.Fatalf("read no kinds from storetest/kinds.go: %v", names)
	}
	return names
}
