package render

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// A string in parts is written as the string they join into, whatever
// each part escapes: quotes, backslashes, control bytes, U+2028, whole
// characters beyond ASCII, and a part ending inside a character followed
// by one beginning with an ASCII byte.
func TestAppendText_WritesTheJoinedString(t *testing.T) {
	for _, parts := range []Text{
		{},
		{"http://127.0.0.1:8080", "/api/x/01J", "?", "include=items"},
		{`a"b`, `\c`, "\n", "\u2028é", "€"},
		{"", "", "x"},
		{"host\xe2\x82", "/path", "?", "\xacq"},
		{"Poll GET ", "/api/catalog-item-bulk-create-jobs", "/", "01J", " until its status is complete."},
	} {
		want := string(jsonw.String([]byte("[,"), strings.Join(parts[:], "")))
		if got := string(appendText([]byte("[,"), &parts)); got != want {
			t.Errorf("appendText(%q) = %s, want %s", parts, got, want)
		}
	}
}
