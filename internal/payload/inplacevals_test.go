package payload

import (
	"encoding/json"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// TestKeptValues_AreWhatCodecStores: the in-place reader stores the
// strings and numbers keptAsText and keptAsNumber name itself, without
// codec (an *string, the external id in its field, an *float64). For every
// attribute of every declared kind it takes, codec.SetAttr must accept any
// such value without a problem and store it the same way; a rule codec
// gains for one of them (a length, a format) fails here until the reader
// leaves that attribute to codec.
func TestKeptValues_AreWhatCodecStores(t *testing.T) {
	for _, k := range store.Kinds() {
		for i := range k.Attrs() {
			a := &k.Attrs()[i]
			e := store.NewEntity(k, "")
			switch {
			case keptAsText(a):
				if probs := codec.SetAttr(e, i, "any text \u2028 at all"); len(probs) != 0 {
					t.Errorf("%s.%s: codec refuses a string the in-place reader keeps: %v", k, a.Name, probs)
				}
				got, ok := e.Str(i)
				if a.Role == schema.ExternalID {
					got, ok = e.ExternalID, true
				}
				if !ok || got != "any text \u2028 at all" {
					t.Errorf("%s.%s: codec stores %q (%v), not the string the in-place reader keeps", k, a.Name, got, ok)
				}
			case keptAsNumber(a):
				if probs := codec.SetAttr(e, i, json.Number("-12.5e3")); len(probs) != 0 {
					t.Errorf("%s.%s: codec refuses a number the in-place reader keeps: %v", k, a.Name, probs)
				}
				if f, ok := e.Value(i).(*float64); !ok || *f != -12.5e3 {
					t.Errorf("%s.%s: codec stores %#v, not the *float64 the in-place reader keeps", k, a.Name, e.Value(i))
				}
			}
		}
	}
}
