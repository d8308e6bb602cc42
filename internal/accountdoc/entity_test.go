package accountdoc

import (
	"encoding/json"
	"strconv"
	"testing"
)

// An entity document (the state file's, or the Go package's) holding a
// number too large for a float64 is refused at that number, not as a
// whole.
func TestEntitiesFromState_ANumberThatDoesNotFitAFloat64IsAProblemAtItsMember(t *testing.T) {
	raws := []json.RawMessage{[]byte(`{"external_id":"A"}`), []byte(`{"external_id":"B","custom_metadata":{"a":{"b":[1e999]}}}`)}
	_, _, probs := EntitiesFromState(itemKind, raws, "/items")
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
		_, _, _, probs := EntityFromState(itemKind, raw, "/items/0", true)
		if len(probs) != 1 || probs[0].Pointer != want {
			t.Errorf("%q: problems %+v, want one at %s", name, probs, want)
		}
	}
}
