package accountdoc

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// An entity document (the state file's, or the Go package's) holding a
// number too large for a float64 is refused at that number, not as a
// whole.
func TestEntitiesFromState_ANumberThatDoesNotFitAFloat64IsAProblemAtItsMember(t *testing.T) {
	raws := []json.RawMessage{[]byte(`{"external_id":"A"}`), []byte(`{"external_id":"B","custom_metadata":{"a":{"b":[1e999]}}}`)}
	_, _, probs := EntitiesFromState(itemKind, raws, "/items", Whole)
	want := Problem{"/items/1/custom_metadata/a/b/0", "'1e999' is not a valid number."}
	if len(probs) != 1 || probs[0] != want {
		t.Fatalf("problems %v, want %v", probs, want)
	}
}

// TestEntityFromState_MemberNamesAreEscapedInPointers: a problem with a
// member whose name holds '/' or '~' points at it as RFC 6901 says.
func TestEntityFromState_MemberNamesAreEscapedInPointers(t *testing.T) {
	for name, want := range map[string]string{"a/b~c": "/items/0/a~1b~0c", "~1": "/items/0/~01", "plain": "/items/0/plain"} {
		raw := []byte(`{"external_id":"A",` + strconv.Quote(name) + `:1}`)
		_, _, _, probs := EntityFromState(itemKind, raw, "/items/0", Whole)
		if len(probs) != 1 || probs[0].Pointer != want {
			t.Errorf("%q: problems %+v, want one at %s", name, probs, want)
		}
	}
}

// TestEntitiesFromState_AReferenceNamesAnyIntegrationsID: a subscription's
// variant may be another integration's (it need not be in the catalog),
// but it must have the three parts of a catalog id; one sent without an
// id is given one by the store, so several may be.
func TestEntitiesFromState_AReferenceNamesAnyIntegrationsID(t *testing.T) {
	sub := storetest.SubscriptionKind
	raws := []json.RawMessage{
		[]byte(`{"channels":["EMAIL"],"email":"a@example.com","variant":"$shopify:::$default:::33001893429341"}`),
		[]byte(`{"channels":["SMS"],"phone_number":"+15005550006","variant":"$custom:::$default:::V1"}`),
		[]byte(`{"channels":["SMS"],"phone_number":"+15005550006","variant":"V1"}`),
	}
	es, _, probs := EntitiesFromState(sub, raws, "/back-in-stock-subscriptions", Whole)
	if len(probs) != 1 || probs[0].Pointer != "/back-in-stock-subscriptions/2/variant" {
		t.Fatalf("problems %+v, want one at the third's variant", probs)
	}
	if len(es) != 2 || es[0].ID != "" || es[1].ID != "" {
		t.Fatalf("entities %+v, want the first two, without ids", es)
	}
}

// TestEntityFromState_CustomMetadataIsTheSameHoweverItIsWritten: metadata
// written compactly (kept as its bytes) and with spaces, escapes or a key
// twice (decoded) are stored alike, and too large is refused alike.
func TestEntityFromState_CustomMetadataIsTheSameHoweverItIsWritten(t *testing.T) {
	read := func(meta string) (string, []Problem) {
		raw := []byte(`{"external_id":"A","custom_metadata":` + meta + `}`)
		e, _, _, probs := EntityFromState(itemKind, raw, "/items/0", Whole)
		if e == nil {
			return "", probs
		}
		return string(AppendEntityState(nil, e, 0)), probs
	}
	compact, _ := read(`{"a":"x","n":[1,2.5]}`)
	for _, meta := range []string{`{ "a" : "x", "n":[1, 2.5] }`, `{"a":"\u0078","n":[1,2.5]}`, `{"a":"y","n":[1,2.5],"a":"x"}`} {
		if got, probs := read(meta); got != compact || len(probs) > 0 {
			t.Errorf("%s read as %s %v, the compact form as %s", meta, got, probs, compact)
		}
	}
	big := `"` + strings.Repeat("x", 100*1024) + `"`
	_, compactProbs := read(`{"a":` + big + `}`)
	_, spacedProbs := read(`{ "a":` + big + `}`)
	if len(compactProbs) != 1 || fmt.Sprint(compactProbs) != fmt.Sprint(spacedProbs) {
		t.Errorf("too large: compact %v, spaced %v", compactProbs, spacedProbs)
	}
}
