package storetest

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

func TestKinds_AreTheDeclaredKindsTheirNamesSay(t *testing.T) {
	for _, c := range []struct {
		kind                   store.EntityKind
		typ                    string
		create, update, delete store.JobKind
		coll                   store.Collection
	}{
		{ItemKind, "catalog-item", JobItemCreate, JobItemUpdate, JobItemDelete, CollItems},
		{VariantKind, "catalog-variant", JobVariantCreate, JobVariantUpdate, JobVariantDelete, CollVariants},
		{CategoryKind, "catalog-category", JobCategoryCreate, JobCategoryUpdate, JobCategoryDelete, CollCategories},
	} {
		if c.kind.Type() != c.typ {
			t.Errorf("kind %d is %q, want %q", c.kind, c.kind.Type(), c.typ)
		}
		for a, jk := range map[store.Action]store.JobKind{store.Create: c.create, store.Update: c.update, store.Delete: c.delete} {
			if jk.Entity() != c.kind || jk.Action() != a {
				t.Errorf("%s job kind %s is %s's action %v, want %s's %v", c.typ, jk, jk.Entity(), jk.Action(), c.kind, a)
			}
		}
		if k, ok := c.coll.Entity(); !ok || k != c.kind {
			t.Errorf("%s collection %s holds %v (entities: %v)", c.typ, c.coll.Name(), k, ok)
		}
	}
}

func TestKinds_BackInStockKindsAreTheDeclaredKindsTheirNamesSay(t *testing.T) {
	for _, c := range []struct {
		kind store.EntityKind
		typ  string
		coll store.Collection
	}{
		{SubscriptionKind, "back-in-stock-subscription", CollSubscriptions},
		{NotificationKind, "back-in-stock-notification", CollNotifications},
	} {
		if c.kind.Type() != c.typ {
			t.Errorf("kind %d is %q, want %q", c.kind, c.kind.Type(), c.typ)
		}
		if k, ok := c.coll.Entity(); !ok || k != c.kind {
			t.Errorf("%s collection %s holds %v (entities: %v)", c.typ, c.coll.Name(), k, ok)
		}
	}
}

func TestAttrStr_ReadsTheAttributeByName(t *testing.T) {
	e := store.NewEntity(ItemKind, "")
	if got := AttrStr(e, "title"); got != "" {
		t.Errorf("unset title = %q", got)
	}
	e.Set(AttrIndex(ItemKind, "title"), store.StrPtr("Shoe"))
	if got := AttrStr(e, "title"); got != "Shoe" {
		t.Errorf("title = %q, want Shoe", got)
	}
}

func TestAttrIndex_PanicsOnAnAttributeTheKindLacks(t *testing.T) {
	defer func() {
		if r := recover(); r != "catalog-item has no attribute no_such" {
			t.Errorf("recovered %v", r)
		}
	}()
	AttrIndex(ItemKind, "no_such")
	t.Error("no panic")
}
