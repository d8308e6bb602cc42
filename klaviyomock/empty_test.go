package klaviyomock_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// exportedCounts returns the length of every collection of the account's
// export (GET /__admin/accounts/{key}), by member.
func exportedCounts(t *testing.T, m *klaviyomock.Server, key string) map[string]int {
	t.Helper()
	r := call(t, "GET", adminURL(m, "/accounts/"+key), nil)
	mustStatus(t, r, 200)
	out := map[string]int{}
	for name, v := range r.json(t) {
		if list, ok := v.([]any); ok {
			out[name] = len(list)
		}
	}
	if len(out) != len(store.AllCollections()) {
		t.Fatalf("the export lists %d collections (%v), the store has %d", len(out), out, len(store.AllCollections()))
	}
	return out
}

// TestControl_PutOfAnEmptyDocumentEmptiesEveryCollection: PUT
// /__admin/accounts/{key} with {} is the one request that empties an
// account (collections left out become empty).
func TestControl_PutOfAnEmptyDocumentEmptiesEveryCollection(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=5", "--items=10", "--variants=5", "--categories=2")
	if n := exportedCounts(t, m, key); n["items"] != 10 || n["item-bulk-update-jobs"] != 5 {
		t.Fatalf("seeded account: %v", n)
	}
	mustStatus(t, call(t, "PUT", adminURL(m, "/accounts/"+key), `{}`), 200)
	for name, n := range exportedCounts(t, m, key) {
		if want := keptOnEmpty(name); n != want {
			t.Errorf("after PUT {}: %s holds %d, want %d", name, n, want)
		}
	}
	if got := api(t, m.URL(), "GET", "/api/catalog-items", nil).json(t)["data"].([]any); len(got) != 0 {
		t.Errorf("GET /api/catalog-items lists %d items after PUT {}", len(got))
	}
}

// TestEmpty_EmptiesEveryCollectionInOneCall: the Go twin of PUT {}.
func TestEmpty_EmptiesEveryCollectionInOneCall(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=5", "--items=10", "--variants=5", "--categories=2")
	other := "pk_other"
	if err := m.Empty(key); err != nil {
		t.Fatal(err)
	}
	for name, n := range exportedCounts(t, m, key) {
		if want := keptOnEmpty(name); n != want {
			t.Errorf("after Empty: %s holds %d, want %d", name, n, want)
		}
	}
	if len(m.Items(key)) != 0 || len(m.Items(other)) != 10 {
		t.Errorf("after Empty(key): %d items, another account %d (want 0 and 10)", len(m.Items(key)), len(m.Items(other)))
	}
}

// TestRun_ZeroCountsSeedNothingOfThatKind: --items 0 serves no item (it
// used to serve 100), no variant (each belongs to an item), and no item
// create or update job (they would name items the catalog lacks).
func TestRun_ZeroCountsSeedNothingOfThatKind(t *testing.T) {
	m := klaviyomock.RunT(t, "--items=0", "--categories=0", "--jobs=20")
	for path, want := range map[string]int{
		"/api/catalog-items": 0, "/api/catalog-variants": 0, "/api/catalog-categories": 0,
		"/api/catalog-item-bulk-create-jobs": 0, "/api/catalog-item-bulk-update-jobs": 0,
		"/api/catalog-category-bulk-update-jobs": 0, "/api/catalog-item-bulk-delete-jobs": 20,
	} {
		r := api(t, m.URL(), "GET", path, nil)
		mustStatus(t, r, 200)
		if got := len(r.json(t)["data"].([]any)); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
}

// keptOnEmpty is what an emptied account's collection holds: nothing, but
// the account's own record (GET /api/accounts always answers one).
func keptOnEmpty(collection string) int {
	if collection == "accounts" {
		return 1
	}
	return 0
}
