package admin_test

import (
	"strings"
	"testing"
)

// TestAdminCollection_AnUnknownNameIsRefusedOnReadAndOnReplace: reading or
// replacing a collection the store has not is a 404 that lists the
// collections there are, the same for both.
func TestAdminCollection_AnUnknownNameIsRefusedOnReadAndOnReplace(t *testing.T) {
	e := newEnv(t)
	for _, method := range []string{"GET", "PUT"} {
		r := e.adminReq(method, "/accounts/pk_colours/colours", "", `{"colours":[]}`)
		er := wantError(t, r, 404, "not_found", nil)
		d := er["detail"].(string)
		if !strings.HasPrefix(d, "There is no collection 'colours'; the collections are ") || !strings.Contains(d, "items") ||
			!strings.HasSuffix(d, " (and jobs, the original name of item-bulk-update-jobs).") {
			t.Errorf("%s: detail %q", method, d)
		}
	}
}
