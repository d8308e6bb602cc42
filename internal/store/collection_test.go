package store

import "testing"

// TestCollectionNamed_FindsEachCollectionByItsNameOnly: every collection
// is found by its name, and by no name that only starts or ends like one.
func TestCollectionNamed_FindsEachCollectionByItsNameOnly(t *testing.T) {
	for _, c := range AllCollections() {
		if got, ok := CollectionNamed(c.Name()); !ok || got != c {
			t.Errorf("%s: found %v %v", c.Name(), got, ok)
		}
		for _, name := range []string{c.Name() + "s", c.Name()[1:], c.Name()[:len(c.Name())-1], "x" + c.Name()} {
			if got, ok := CollectionNamed(name); ok && got.Name() != name {
				t.Errorf("%q: found %s", name, got.Name())
			}
		}
	}
	if got, ok := CollectionNamed("jobs"); !ok || got.Name() != "item-bulk-update-jobs" {
		t.Errorf("jobs: found %v %v", got, ok)
	}
}

// TestCollection_AppendNameAppendsItsName: what AppendName appends is the
// collection's name, for every collection.
func TestCollection_AppendNameAppendsItsName(t *testing.T) {
	for _, c := range AllCollections() {
		if got := string(c.AppendName([]byte("x/"))); got != "x/"+c.Name() {
			t.Errorf("%s: appended %q", c.Name(), got)
		}
	}
}
