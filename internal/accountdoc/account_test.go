package accountdoc

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/store"
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

// TestAccountState_CheckJSONFindsWhatUnmarshalJSONFinds: the state file's
// checking pass (CheckJSON, which does not set entity documents aside)
// refuses a document with the error UnmarshalJSON gives, and reads the
// key and the collections present alike.
func TestAccountState_CheckJSONFindsWhatUnmarshalJSONFinds(t *testing.T) {
	for _, doc := range []string{
		`{"account":"k","items":[{"external_id":"A"},{}],"categories":null,"variants":[]}`,
		`{"account":"k","items":{"external_id":"A"}}`, `{"account":"k","items":"A"}`, `{"account":7}`, `[]`, `null`,
		`{"zz":[],"aa":[],"mm":[]}`, `{"jobs":[],"item-bulk-update-jobs":[]}`, `{"items":[],"catalog-items":[]}`,
		`{"account":"k","jobs":[{"id":"x","bogus":1}]}`, `{"seeded_jobs":{"zz":{}}}`, `{"public_key":1}`,
	} {
		var full, checked AccountState
		ferr, cerr := full.UnmarshalJSON([]byte(doc)), checked.CheckJSON([]byte(doc))
		if fmt.Sprint(ferr) != fmt.Sprint(cerr) {
			t.Errorf("%s: CheckJSON says %v, UnmarshalJSON %v", doc, cerr, ferr)
			continue
		}
		if ferr != nil {
			continue
		}
		for _, c := range store.AllCollections() {
			if full.Has(c) != checked.Has(c) {
				t.Errorf("%s: %s present %v, CheckJSON %v", doc, c.Name(), full.Has(c), checked.Has(c))
			}
		}
		if full.Account != checked.Account {
			t.Errorf("%s: account %q, CheckJSON %q", doc, full.Account, checked.Account)
		}
	}
}
