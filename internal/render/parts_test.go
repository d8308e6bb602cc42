package render

import (
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
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

// A hint given in parts is written as one more hint after the others, as
// meta writes it made as a string: after a comma when hints come before
// it, alone when none do, and not at all when it is empty.
func TestMetaParts_WritesTheHintInPartsAsMetaWritesItsString(t *testing.T) {
	res, _ := resource.Default().Named("catalog-item-bulk-create-jobs")
	rev := revision.Default().Newest()
	if !res.At(rev).AgentHints {
		t.Fatalf("the newest revision, %s, writes no hints", rev.Date)
	}
	r := &Renderer{P: res.At(rev)}
	hint := Text{"Poll GET ", "/api/x", "/", "01J\u00e9", " until done."}
	joined := strings.Join(hint[:], "")
	for _, hints := range [][]string{nil, {"first"}, {"first", `sec"ond`}} {
		want := string(r.meta(nil, append(slices.Clone(hints), joined)))
		if got := string(r.metaParts(nil, hints, &hint)); got != want {
			t.Errorf("metaParts(%q, %q) = %s, want %s", hints, joined, got, want)
		}
		want = string(r.meta(nil, hints))
		if got := string(r.metaParts(nil, hints, &Text{})); got != want {
			t.Errorf("metaParts(%q, empty) = %s, want %s", hints, got, want)
		}
	}
}
