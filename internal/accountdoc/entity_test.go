package accountdoc

import (
	"encoding/json"
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
