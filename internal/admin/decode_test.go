package admin_test

import (
	"strings"
	"testing"
)

// TestAdminDecode_ACollectionNamedTwiceIsRefusedAtTheSecondName: a document
// naming one collection twice ("jobs" is the old name of the item update
// jobs) is refused with a pointer at the second name and a detail saying
// which collection; the pointer was the whole message.
func TestAdminDecode_ACollectionNamedTwiceIsRefusedAtTheSecondName(t *testing.T) {
	e := newEnv(t)
	for body, pointer := range map[string]string{
		`{"jobs":[],"item-bulk-update-jobs":[]}`: "/item-bulk-update-jobs",
		`{"item-bulk-update-jobs":[],"jobs":[]}`: "/jobs",
	} {
		r := e.adminReq("PUT", "/accounts/pk_twice", "", body)
		er := wantError(t, r, 400, "invalid", map[string]any{"pointer": pointer})
		if d := er["detail"].(string); !strings.Contains(d, "item-bulk-update-jobs twice") {
			t.Errorf("%s: detail %q does not name the collection named twice", body, d)
		}
	}
}
