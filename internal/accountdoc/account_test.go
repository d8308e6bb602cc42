package accountdoc

import (
	"encoding/json"
	"testing"
)

// TestAccountState_TheSameBadDocumentGetsTheSameError: of several members
// a document cannot have, the one reported is the first it writes,
// whatever the order Go iterates maps in; of two names of one collection,
// the second.
func TestAccountState_TheSameBadDocumentGetsTheSameError(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"zz":[],"aa":[],"mm":[]}`, `json: unknown field "zz"`},
		{`{"seeded_jobs":{"zz":{},"aa":{},"mm":{}}}`, `json: seeded_jobs: "zz" is not a job collection`},
		{`{"jobs":[],"item-bulk-update-jobs":[]}`, `json: item-bulk-update-jobs: The document names item-bulk-update-jobs twice (as "jobs" and "item-bulk-update-jobs"); keep one.`},
		{`{"item-bulk-update-jobs":[],"jobs":[]}`, `json: jobs: The document names item-bulk-update-jobs twice (as "item-bulk-update-jobs" and "jobs"); keep one.`},
	} {
		for range 20 {
			var st AccountState
			if err := json.Unmarshal([]byte(tc.doc), &st); err == nil || err.Error() != tc.want {
				t.Fatalf("%s: %v, want %s", tc.doc, err, tc.want)
			}
		}
	}
}
