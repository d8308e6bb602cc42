package codec

import (
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var itemKind, variantKind = storetest.ItemKind, storetest.VariantKind

// node decodes a JSON value as request bodies and documents are decoded.
func node(t *testing.T, s string) any {
	t.Helper()
	n, err := jsonw.Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAttr_AValueSetIsWrittenAsKlaviyoWritesIt: what SetAttr accepts for
// an attribute, AppendAttr writes back as Klaviyo does (numbers as
// Python's floats, times as Python's isoformat, objects compact in member
// order), and a null clears the value.
func TestAttr_AValueSetIsWrittenAsKlaviyoWritesIt(t *testing.T) {
	for _, tc := range []struct {
		kind     store.EntityKind
		attr, in string
		want     string
	}{
		{itemKind, "title", `"Caf\u00e9"`, `"Café"`},
		{itemKind, "price", `2`, `2.0`},
		{itemKind, "price", `null`, `null`},
		{itemKind, "images", `["a","b"]`, `["a","b"]`},
		{itemKind, "custom_metadata", `{ "z": 1, "a": [2.50, "x"] }`, `{"z":1,"a":[2.50,"x"]}`},
		{itemKind, "published", `false`, `false`},
		{itemKind, "external_id", `"X"`, `"X"`},
		{itemKind, "created", `"2026-01-01T01:00:00.5+01:00"`, `"2026-01-01T00:00:00.500000+00:00"`},
		{variantKind, "inventory_policy", `2`, `2`},
	} {
		e := store.NewEntity(tc.kind, "")
		i, _, ok := tc.kind.Attr(tc.attr)
		if !ok {
			t.Fatalf("%s has no %s", tc.kind, tc.attr)
		}
		if probs := SetAttr(e, i, node(t, tc.in)); len(probs) > 0 {
			t.Errorf("%s %s: %v", tc.attr, tc.in, probs)
			continue
		}
		if got := string(AppendAttr(nil, e, i)); got != tc.want {
			t.Errorf("%s %s: written as %s, want %s", tc.attr, tc.in, got, tc.want)
		}
	}
}

// TestAttr_AValueOfTheWrongShapeIsRefusedAtItsPointer: a value an
// attribute cannot take is refused, saying what it got, at the element at
// fault inside it; nothing is set.
func TestAttr_AValueOfTheWrongShapeIsRefusedAtItsPointer(t *testing.T) {
	big := `{"pad":"` + strings.Repeat("x", 100*1024) + `"}`
	for _, tc := range []struct {
		kind     store.EntityKind
		attr, in string
		want     []Problem
	}{
		{itemKind, "title", `7`, []Problem{{"", "Must be a string, got a number."}}},
		{itemKind, "images", `[1,"a",true]`, []Problem{{"/0", "Must be a string, got a number."}, {"/2", "Must be a string, got a boolean."}}},
		{itemKind, "images", `"a"`, []Problem{{"", "Must be an array of strings, got a string."}}},
		{itemKind, "price", `"2"`, []Problem{{"", "Must be a number, got a string."}}},
		{itemKind, "custom_metadata", `[]`, []Problem{{"", "Must be an object, got an array."}}},
		{itemKind, "custom_metadata", big, []Problem{{"", "May not exceed 100kb; got 102410 bytes."}}},
		{itemKind, "published", `"yes"`, []Problem{{"", "Must be a boolean, got a string."}}},
		{itemKind, "external_id", `null`, []Problem{{"", "Must be a string, got null."}}},
		{itemKind, "updated", `null`, []Problem{{"", "Must be a datetime, got null."}}},
		{itemKind, "created", `"yesterday"`, []Problem{{"", "Must be an RFC 3339 datetime such as 2026-01-01T00:00:00Z."}}},
		{variantKind, "inventory_policy", `3`, []Problem{{"", "'3' is not a valid choice for inventory_policy: use 0, 1 or 2."}}},
		{variantKind, "inventory_policy", `1.5`, []Problem{{"", "'1.5' is not a valid choice for inventory_policy: use 0, 1 or 2."}}},
	} {
		e := store.NewEntity(tc.kind, "")
		i, _, _ := tc.kind.Attr(tc.attr)
		got := SetAttr(e, i, node(t, tc.in))
		if len(got) != len(tc.want) {
			t.Errorf("%s %.40s: problems %v, want %v", tc.attr, tc.in, got, tc.want)
			continue
		}
		for k := range got {
			if got[k] != tc.want[k] {
				t.Errorf("%s %.40s: problem %v, want %v", tc.attr, tc.in, got[k], tc.want[k])
			}
		}
		if e.IsSet(i) {
			t.Errorf("%s %.40s: refused, yet set", tc.attr, tc.in)
		}
	}
}

// TestSetCompactObject_StoresWhatSetAttrStores: an object whose bytes are
// already its encoding (a state file's custom metadata) is stored as
// SetAttr stores its decoded value, and refused for its size alike; an
// attribute that is not an object is left to SetAttr.
func TestSetCompactObject_StoresWhatSetAttrStores(t *testing.T) {
	i, _, _ := itemKind.Attr("custom_metadata")
	big := `{"k":"` + strings.Repeat("x", 100*1024) + `"}`
	for _, raw := range []string{`{}`, `{"category":"Shoes","n":[1,2.5e3],"f":false}`, big} {
		want, got := store.NewEntity(itemKind, "x"), store.NewEntity(itemKind, "x")
		wantProbs := SetAttr(want, i, node(t, raw))
		gotProbs, ok := SetCompactObject(got, i, []byte(raw))
		if !ok || fmt.Sprint(gotProbs) != fmt.Sprint(wantProbs) ||
			string(AppendAttr(nil, got, i)) != string(AppendAttr(nil, want, i)) {
			t.Errorf("%.40s: %v %v %s, SetAttr %v %s", raw, ok, gotProbs, AppendAttr(nil, got, i), wantProbs, AppendAttr(nil, want, i))
		}
	}
	title, _, _ := itemKind.Attr("title")
	if _, ok := SetCompactObject(store.NewEntity(itemKind, "x"), title, []byte(`{}`)); ok {
		t.Error("an object was taken for a title")
	}
}
