package accountdoc

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// keptSamples are members naming kept collections: as a server writes
// them, and in the forms a hand may write them.
var keptSamples = []string{
	`{"item-bulk-create-jobs":{"count":250,"first":"01K6FYH7ED00000034WW84BJJS","hidden":[]},"items":{"count":200,"first":"$custom:::$default:::LVR-00001","hidden":["a","b"]}}`,
	`{}`, `null`, `[]`, `{"items":null}`, `{"items":{}}`, `{"items":{"count":null}}`, `{"items":{"hidden":null}}`,
	`{"items":{"Count":3}}`, `{"items":{"count":1,"Count":2}}`, `{"items":{"count":1,"count":2}}`, `{"items":{"bogus":1}}`,
	`{"items":{"count":1.0}}`, `{"items":{"count":1e2}}`, `{"items":{"count":-3}}`, `{"items":{"count":99999999999999999999}}`,
	`{"items":{"first":"caf\u00e9"}}`, `{"items":{"first":"café"}}`, `{"items":{"first":7}}`, `{"items":{"hidden":"a"}}`,
	`{"items":{"hidden":[1]}}`, `{"items":{"hidden":[ "a" , "b" ]}}`, `{"items":{"hidden":["a"]},"items":{"count":2}}`,
	`{"a":{},"b":{},"a":{"count":1}}`, ` { "items" : { "count" : 1 } } `, `{"it\u0065ms":{"count":1}}`,
}

// TestKeptMembers_ReadsWhatEncodingJSONReads: a member naming kept
// collections, read in place when written plainly, gives the names, the
// values and the error encoding/json gives.
func TestKeptMembers_ReadsWhatEncodingJSONReads(t *testing.T) {
	for _, doc := range keptSamples {
		checkKeptAgrees(t, doc)
	}
}

// FuzzKeptMembers_ReadsWhatEncodingJSONReads is
// TestKeptMembers_ReadsWhatEncodingJSONReads on any text encoding/json
// takes as one value.
func FuzzKeptMembers_ReadsWhatEncodingJSONReads(f *testing.F) {
	for _, doc := range keptSamples {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if end, err := jsonw.ValueEnd([]byte(doc), 0); err != nil || jsonw.SkipSpace([]byte(doc), end) != len(doc) {
			return
		}
		checkKeptAgrees(t, doc)
	})
}

func checkKeptAgrees(t *testing.T, doc string) {
	t.Helper()
	kept, err := keptMembers("seeded_jobs", []byte(doc), nil)
	wkept, werr := keptMembersJSON("seeded_jobs", []byte(doc))
	if fmt.Sprint(err) != fmt.Sprint(werr) {
		t.Fatalf("%s: error %v, encoding/json %v", doc, err, werr)
	}
	if werr != nil {
		return
	}
	if len(kept) != len(wkept) {
		t.Fatalf("%s: %d names, encoding/json %d", doc, len(kept), len(wkept))
	}
	for i := range wkept {
		if !reflect.DeepEqual(kept[i], wkept[i]) {
			t.Fatalf("%s: %s is %#v, encoding/json %s %#v", doc, kept[i].name, kept[i].kept, wkept[i].name, wkept[i].kept)
		}
	}
}
