package apierror_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// TestAppend_HintIsMetaHintWhereTheStyleCarriesMeta: the way to fix an error
// is meta.hint at revisions whose error objects carry meta (2024-05-15 and
// later) and on errors of a kind that carries it; the detail is untouched,
// and where there is no meta there is no member for it (the log has it).
func TestAppend_HintIsMetaHintWhereTheStyleCarriesMeta(t *testing.T) {
	const hint = `Use "page[cursor]".`
	modern, old := apierror.Style{Modern: true}, apierror.Style{}
	tests := []struct {
		name  string
		e     *apierror.Error
		style apierror.Style
		meta  map[string]any // nil: no meta member
	}{
		{"query parameter, modern", apierror.Invalid("page[size]", "d").WithHint(hint), modern, map[string]any{"hint": hint}},
		{"body, modern", apierror.ParseError("x").WithHint(hint), modern, map[string]any{"hint": hint}},
		{"query parameter, before 2024-05-15", apierror.Invalid("page[size]", "d").WithHint(hint), old, nil},
		{"404 carries no meta", apierror.ResourceNotFound("catalog-item", "X").WithHint(hint), modern, nil},
		{"401 carries no meta", apierror.AuthenticationFailed().WithHint(hint), modern, nil},
		{"no hint, modern", apierror.Invalid("page[size]", "d"), modern, map[string]any{}},
	}
	for _, tt := range tests {
		objs := decode(t, apierror.Append(nil, errID, tt.style, tt.e))
		meta, has := objs[0]["meta"]
		switch {
		case tt.meta == nil && has:
			t.Errorf("%s: meta %v, want none", tt.name, meta)
		case tt.meta != nil && (!has || len(meta.(map[string]any)) != len(tt.meta) || meta.(map[string]any)["hint"] != tt.meta["hint"]):
			t.Errorf("%s: meta %v, want %v", tt.name, meta, tt.meta)
		}
		if objs[0]["detail"] != tt.e.Detail {
			t.Errorf("%s: detail %v, want %q", tt.name, objs[0]["detail"], tt.e.Detail)
		}
	}
}

// TestUndecodable_HintGivesThePosition: a body that is not JSON keeps the
// detail Klaviyo's framework writes, and its hint says where it broke.
func TestUndecodable_HintGivesThePosition(t *testing.T) {
	for body, want := range map[string]string{
		"{\"data\":\n  {\"type\": x}}": "line 2, column 12 (byte offset 20)",
		`{"data": {}`:                  "line 1, column 12 (byte offset 11)",
		`{"a":1} {"b":2}`:              "line 1, column 9 (byte offset 8)",
	} {
		_, err := jsonw.Decode([]byte(body))
		e := apierror.Undecodable(err)
		if e.Code != apierror.CodeParseError || e.Title != apierror.TitleParseError {
			t.Fatalf("%q: %+v", body, e)
		}
		var se *jsonw.SyntaxError
		if !errors.As(err, &se) || e.Detail != "JSON parse error - "+err.Error() {
			t.Errorf("%q: detail %q from %v", body, e.Detail, err)
		}
		if !strings.Contains(e.Hint, want) {
			t.Errorf("%q: hint %q, want the position %q", body, e.Hint, want)
		}
	}
}
