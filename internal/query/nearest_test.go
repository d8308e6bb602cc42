package query

import "testing"

func TestNearest_PicksTheCandidateFewestEditsAway(t *testing.T) {
	types := []string{"catalog-item", "catalog-variant"}
	for _, tt := range []struct {
		word, want string
		from       []string
	}{
		{"catalog-items", "catalog-item", types},
		{"catalog-variants", "catalog-variant", types},
		{"Catalog-Item", "catalog-item", types},
		{"variant", "catalog-variant", types},
		{"x", "catalog-item", []string{"catalog-item"}},
		{"anything", "", nil},
		{"catalog-itme", "catalog-item", types},
	} {
		if got := Nearest(tt.word, tt.from); got != tt.want {
			t.Errorf("Nearest(%q, %q) = %q, want %q", tt.word, tt.from, got, tt.want)
		}
	}
}
