package accountdoc

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// TestFilter_MembersEqualOneOfTheirValues: a filter keeps an object when
// every member it names equals one of its values: a string as written, a
// number by value, booleans and null by their spelling, an array by one of
// its elements; a member the object lacks equals only null.
func TestFilter_MembersEqualOneOfTheirValues(t *testing.T) {
	doc := []byte(`{"id":"S1","channels":["EMAIL","SMS"],"price":2.0,"published":true,"email":null,"variant":"$custom:::$default:::V"}`)
	for _, c := range []struct {
		f    Filter
		keep bool
	}{
		{nil, true},
		{Filter{"id": {"S1"}}, true},
		{Filter{"id": {"S2", "S1"}}, true},
		{Filter{"id": {"s1"}}, false},
		{Filter{"channels": {"SMS"}}, true},
		{Filter{"channels": {"PUSH"}}, false},
		{Filter{"price": {"2"}}, true},
		{Filter{"price": {"2.5"}}, false},
		{Filter{"published": {"true"}}, true},
		{Filter{"published": {"1"}}, false},
		{Filter{"email": {"null"}}, true},
		{Filter{"missing": {"null"}}, true},
		{Filter{"variant": {"$custom:::$default:::V"}, "id": {"S1"}}, true},
		{Filter{"variant": {"$custom:::$default:::V"}, "id": {"S2"}}, false},
	} {
		if got := c.f.keeps(doc); got != c.keep {
			t.Errorf("%v keeps it: %v, want %v", c.f, got, c.keep)
		}
	}
}

// TestFilter_CheckNamesTheFirstUnknownMember: a filter may name what the
// collection's objects have (an entity's attributes and own relations, a
// job's members), nothing else.
func TestFilter_CheckNamesTheFirstUnknownMember(t *testing.T) {
	subs, _ := store.CollectionNamed("back-in-stock-subscriptions")
	jobs, _ := store.CollectionNamed("item-bulk-update-jobs")
	if m, _ := (Filter{"variant": nil, "email": nil, "id": nil}).Check(subs); m != "" {
		t.Fatalf("a subscription's members refused: %s", m)
	}
	if m, _ := (Filter{"status": nil, "items": nil}).Check(jobs); m != "" {
		t.Fatalf("a job's members refused: %s", m)
	}
	m, detail := (Filter{"zz": nil, "emial": nil}).Check(subs)
	if m != "emial" || !strings.Contains(detail, "channels, email") {
		t.Fatalf("Check: %q %q", m, detail)
	}
}
