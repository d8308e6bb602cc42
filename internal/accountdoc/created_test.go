package accountdoc

import (
	"strings"
	"testing"
	"time"
)

// TestEntityFromState_AHiddenCreatedTimeIsTheStateFilesOnly: a category's
// document shows no created time; the state file keeps it (Whole), the
// control API's documents may not name it (AsCreated), and a value that is
// not a datetime is refused at its pointer.
func TestEntityFromState_AHiddenCreatedTimeIsTheStateFilesOnly(t *testing.T) {
	doc := `{"external_id":"C","name":"C","created":"2026-01-02T03:04:05.000006+00:00"}`
	e, _, _, probs := EntityFromState(categoryKind, []byte(doc), "/categories/0", Whole)
	if len(probs) > 0 || !e.Created.Equal(time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)) {
		t.Fatalf("Whole: %v %v", e, probs)
	}
	if _, _, _, probs := EntityFromState(categoryKind, []byte(doc), "/categories/0", AsCreated); len(probs) != 1 ||
		probs[0].Pointer != "/categories/0/created" || !strings.Contains(probs[0].Detail, "is not a member") {
		t.Fatalf("AsCreated: %v", probs)
	}
	bad := `{"external_id":"C","name":"C","created":"yesterday"}`
	if _, _, _, probs := EntityFromState(categoryKind, []byte(bad), "/categories/0", Whole); len(probs) != 1 ||
		probs[0].Pointer != "/categories/0/created" {
		t.Fatalf("a bad created: %v", probs)
	}
	if got := string(appendHiddenCreated([]byte(`{"id":"x"}`), e)); got != `{"id":"x","created":"2026-01-02T03:04:05.000006+00:00"}` {
		t.Fatalf("written as %s", got)
	}
}
