package query

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"testing"
)

// keyedOracle is a keyed cursor as first written: json.Marshal of
// [at, id, next?], then unpadded standard base64.
func keyedOracle(c Cursor) string {
	b, _ := json.Marshal([]any{c.At, c.ID, c.Dir == Next})
	return base64.RawStdEncoding.EncodeToString(b)
}

// A keyed cursor is byte for byte what json.Marshal wrote (HTML
// characters, quotes, controls and non-ASCII escaped its way), at every
// time and for ids of every kind, in both directions; and it costs one
// allocation (every list page writes two cursors).
func TestEncodeCursor_KeyedIsTheJSONArrayAsMarshalWroteIt(t *testing.T) {
	ids := []string{"", "$custom:::$default:::GKA-00001", "a<b>&c", `q"b\s`, "tab\tnl\n", "é", "\u2028\u2029", "\x7f", "\xff", "x/y?z=1"}
	for _, at := range []int64{0, 1, -1, 1_700_000_000_000_000, math.MaxInt64, math.MinInt64} {
		for _, id := range ids {
			for _, dir := range []Direction{Next, Prev} {
				c := Cursor{Dir: dir, ID: id, Keyed: true, At: at}
				if got, want := EncodeCursor(c), keyedOracle(c); got != want {
					t.Errorf("EncodeCursor(%+v) = %q, want %q", c, got, want)
				}
			}
		}
	}
	c := Cursor{Dir: Next, ID: "$custom:::$default:::GKA-00001", Keyed: true, At: 1_700_000_000_000_000}
	if n := testing.AllocsPerRun(50, func() { _ = EncodeCursor(c) }); n > 1 {
		t.Errorf("a keyed cursor costs %v allocations, want 1", n)
	}
}
