package query_test

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
)

func TestEncodeCursor_IsUnpaddedStdBase64OfDirectionAndID(t *testing.T) {
	tests := []struct {
		name string
		c    query.Cursor
		want string
	}{
		// Cursor quoted in Klaviyo's API overview (docs/klaviyo-behaviour.md §5.3).
		{"observed next", query.Cursor{Dir: query.Next, ID: "N7umbW"}, "bmV4dDo6aWQ6Ok43dW1iVw"},
		{"ulid next", query.Cursor{Dir: query.Next, ID: "01HSXWNWF52J5PJG45BW383RMV"},
			"bmV4dDo6aWQ6OjAxSFNYV05XRjUySjVQSkc0NUJXMzgzUk1W"},
		{"ulid prev", query.Cursor{Dir: query.Prev, ID: "01HSXWNWF52J5PJG45BW383RMV"},
			"cHJldjo6aWQ6OjAxSFNYV05XRjUySjVQSkc0NUJXMzgzUk1W"},
		{"one char", query.Cursor{Dir: query.Next, ID: "a"}, "bmV4dDo6aWQ6OmE"},
		{"prev two chars", query.Cursor{Dir: query.Prev, ID: "ab"}, "cHJldjo6aWQ6OmFi"},
		{"standard alphabet plus", query.Cursor{Dir: query.Next, ID: "~~~"}, "bmV4dDo6aWQ6On5+fg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := query.EncodeCursor(tt.c); got != tt.want {
				t.Errorf("EncodeCursor(%+v) = %q, want %q", tt.c, got, tt.want)
			}
		})
	}
}

func TestEncodeCursor_NeverPads(t *testing.T) {
	id := ""
	for n := 1; n <= 12; n++ {
		id += "x"
		for _, dir := range []query.Direction{query.Next, query.Prev} {
			s := query.EncodeCursor(query.Cursor{Dir: dir, ID: id})
			if strings.Contains(s, "=") {
				t.Errorf("EncodeCursor(%d, %q) = %q, contains padding", dir, id, s)
			}
		}
	}
}

func TestDecodeCursor_RoundTrips(t *testing.T) {
	ids := []string{
		"a", "N7umbW", "01HSXWNWF52J5PJG45BW383RMV", "01F3ZZNHNTX1KETHP32SS4A7FX",
		"~~~", "a-b_c.d", "!$&'()*+,;=:@", strings.Repeat("Z", 128),
	}
	for _, id := range ids {
		for _, dir := range []query.Direction{query.Next, query.Prev} {
			c := query.Cursor{Dir: dir, ID: id}
			s := query.EncodeCursor(c)
			got, err := query.DecodeCursor(s)
			if err != nil {
				t.Errorf("DecodeCursor(EncodeCursor(%+v) = %q) error: %v", c, s, err)
				continue
			}
			if got != c {
				t.Errorf("DecodeCursor(%q) = %+v, want %+v", s, got, c)
			}
		}
	}
}

func TestDecodeCursor_AcceptsPaddedAndURLSafeVariants(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want query.Cursor
	}{
		{"unpadded standard", "bmV4dDo6aWQ6Ok43dW1iVw", query.Cursor{Dir: query.Next, ID: "N7umbW"}},
		{"padded standard", "bmV4dDo6aWQ6Ok43dW1iVw==", query.Cursor{Dir: query.Next, ID: "N7umbW"}},
		{"padded one", "bmV4dDo6aWQ6OmE=", query.Cursor{Dir: query.Next, ID: "a"}},
		{"unpadded standard with plus", "bmV4dDo6aWQ6On5+fg", query.Cursor{Dir: query.Next, ID: "~~~"}},
		{"padded standard with plus", "bmV4dDo6aWQ6On5+fg==", query.Cursor{Dir: query.Next, ID: "~~~"}},
		{"unpadded url-safe", "bmV4dDo6aWQ6On5-fg", query.Cursor{Dir: query.Next, ID: "~~~"}},
		{"padded url-safe", "bmV4dDo6aWQ6On5-fg==", query.Cursor{Dir: query.Next, ID: "~~~"}},
		{"prev", "cHJldjo6aWQ6OmFi", query.Cursor{Dir: query.Prev, ID: "ab"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.DecodeCursor(tt.in)
			if err != nil {
				t.Fatalf("DecodeCursor(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("DecodeCursor(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func b64(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }

func wantInvalidCursor(t *testing.T, err *apierror.Error) {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want Invalid cursor provided.")
	}
	if err.Status != 400 || err.Code != apierror.CodeInvalid || err.Title != apierror.TitleInvalid ||
		err.Detail != "Invalid cursor provided." {
		t.Errorf("got %d %q %q %q, want 400 invalid %q %q", err.Status, err.Code, err.Title, err.Detail,
			apierror.TitleInvalid, "Invalid cursor provided.")
	}
	if err.Source == nil || err.Source.Pointer != "/data/" || err.Source.Parameter != "" {
		t.Errorf("got source %+v, want pointer /data/ (as observed)", err.Source)
	}
}

func TestDecodeCursor_RejectsInvalidCursors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"not base64", "!!!!"},
		{"spaces", "bmV4 dDo6"},
		{"percent-encoded padding left in", "bmV4dDo6aWQ6OmE%3D"},
		{"single base64 char", "b"},
		{"trailing newline", "bmV4dDo6aWQ6Ok43dW1iVw\n"},
		{"too much padding", "bmV4dDo6aWQ6Ok43dW1iVw====="},
		{"non-zero trailing bits", "bmV4dDo6aWQ6Ok43dW1iVx"},
		{"mixed alphabets", "bmV4dDo6aWQ6On5+fg-_"},
		{"plain id", "01HSXWNWF52J5PJG45BW383RMV"},
		{"prefix only", b64("next::id::")},
		{"prev prefix only", b64("prev::id::")},
		{"no id marker", b64("next::01HSXWNWF52J5PJG45BW383RMV")},
		{"wrong direction", b64("last::id::abc")},
		{"upper case prefix", b64("NEXT::id::abc")},
		{"single colons", b64("next:id:abc")},
		{"leading space", b64(" next::id::abc")},
		{"json array of two", b64(`[1707523213, "4XUcxr2WJUR"]`)},
		{"json array with a string time", b64(`["1707523213", "4XUcxr2WJUR", true]`)},
		{"json array with an empty id", b64(`[1707523213, "", true]`)},
		{"json array with a fractional time", b64(`[1707523213.5, "a", true]`)},
		{"json array then garbage", b64(`[1707523213, "a", true]x`)},
		{"slash in id", b64("next::id::a/b")},
		{"percent in id", b64("next::id::a%2Fb")},
		{"space in id", b64("next::id::a b")},
		{"question mark in id", b64("next::id::a?b")},
		{"hash in id", b64("next::id::a#b")},
		{"newline in id", b64("next::id::a\nb")},
		{"nul in id", b64("next::id::a\x00b")},
		{"del in id", b64("next::id::a\x7fb")},
		{"non-ASCII id", b64("next::id::é")},
		{"invalid UTF-8 id", b64("next::id::\xff")},
		{"id of 129 characters", b64("next::id::" + strings.Repeat("a", 129))},
		{"very long input", strings.Repeat("A", 4096)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.DecodeCursor(tt.in)
			if got != (query.Cursor{}) {
				t.Errorf("DecodeCursor(%q) = %+v, want the zero Cursor", tt.in, got)
			}
			wantInvalidCursor(t, err)
		})
	}
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"01GSQPBF74KQ5YTDEPP41T1BZH", true},
		{"a", true},
		{"~", true},
		{"!", true},
		{"a-b_c.d~e", true},
		{strings.Repeat("x", 128), true},
		{strings.Repeat("x", 129), false},
		{"", false},
		{" ", false},
		{"a b", false},
		{"a/b", false},
		{"a?b", false},
		{"a#b", false},
		{"a%b", false},
		{"a\tb", false},
		{"a\x00", false},
		{"a\x7f", false},
		{"é", false},
	}
	for _, tt := range tests {
		if got := query.ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{
		"bmV4dDo6aWQ6Ok43dW1iVw",
		"bmV4dDo6aWQ6Ok43dW1iVw==",
		"bmV4dDo6aWQ6On5-fg",
		"cHJldjo6aWQ6OmFi",
		"bmV4dDo6aWQ6OjAxSFNYV05XRjUySjVQSkc0NUJXMzgzUk1W",
		"",
		"!!!!",
		b64("next::id::"),
		b64("next::id::a/b"),
		b64("last::id::abc"),
		"bmV4dDo6aWQ6Ok43dW1iVw\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := query.DecodeCursor(s)
		if err != nil {
			if c != (query.Cursor{}) {
				t.Errorf("DecodeCursor(%q) = %+v with an error", s, c)
			}
			wantInvalidCursor(t, err)
			return
		}
		if c.Dir != query.Next && c.Dir != query.Prev {
			t.Errorf("DecodeCursor(%q) direction %d", s, c.Dir)
		}
		if !query.ValidID(c.ID) {
			t.Errorf("DecodeCursor(%q) = %+v, id not valid", s, c)
		}
		enc := query.EncodeCursor(c)
		if strings.Contains(enc, "=") {
			t.Errorf("EncodeCursor(%+v) = %q is padded", c, enc)
		}
		again, err := query.DecodeCursor(enc)
		if err != nil {
			t.Fatalf("DecodeCursor(EncodeCursor(%+v) = %q) error: %v", c, enc, err)
		}
		if again != c {
			t.Errorf("DecodeCursor(%q) = %+v, want %+v", enc, again, c)
		}
	})
}

func TestParseCursorParam_TakesTheCursorOutOfALinkThisServerIssued(t *testing.T) {
	want := query.Cursor{Dir: query.Next, ID: "01HSXWNWF52J5PJG45BW383RMV"}
	c := query.EncodeCursor(want)
	prev := query.Cursor{Dir: query.Prev, ID: "N7umbW"}
	for _, tt := range []struct {
		name, in string
		want     query.Cursor
	}{
		{"bare cursor", c, want},
		{"http link, encoded brackets", "http://127.0.0.1:41234/api/catalog-item-bulk-update-jobs?page%5Bcursor%5D=" + c, want},
		{"https link", "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs/?page%5Bcursor%5D=" + c, want},
		{"raw brackets", "http://localhost:8080/api/catalog-items?page[cursor]=" + c, want},
		{"other params kept before it", "http://klaviyo:8080/api/x?filter=equals%28status%2C%27queued%27%29&page%5Bcursor%5D=" + c, want},
		{"path and query only", "/api/catalog-item-bulk-update-jobs?page%5Bcursor%5D=" + c, want},
		{"prev link", "http://h/api/x?page%5Bcursor%5D=" + query.EncodeCursor(prev), prev},
		{"padded cursor percent-encoded in the link", "http://h/api/x?page%5Bcursor%5D=" + url.QueryEscape(query.EncodeCursor(want)+"=="), want},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.ParseCursorParam(tt.in)
			if err != nil {
				t.Fatalf("ParseCursorParam(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseCursorParam(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCursorParam_RefusesAnythingElse(t *testing.T) {
	c := query.EncodeCursor(query.Cursor{Dir: query.Next, ID: "abc"})
	for _, tt := range []struct{ name, in string }{
		{"link without a cursor", "http://127.0.0.1:8080/api/catalog-item-bulk-update-jobs"},
		{"link with an empty cursor", "http://127.0.0.1:8080/api/x?page%5Bcursor%5D="},
		{"link outside /api", "http://127.0.0.1:8080/__admin/requests?page%5Bcursor%5D=" + c},
		{"other scheme", "ftp://h/api/x?page%5Bcursor%5D=" + c},
		{"link inside a link", "http://h/api/x?page%5Bcursor%5D=" + url.QueryEscape("http://h/api/x?page%5Bcursor%5D="+c)},
		{"link with a bad cursor", "http://h/api/x?page%5Bcursor%5D=%21%21"},
		{"scheme without host", "http:/api/x?page%5Bcursor%5D=" + c},
		{"credentials in the link", "http://u:p@h/api/x?page%5Bcursor%5D=" + c},
		{"fragment", "http://h/api/x?page%5Bcursor%5D=" + c + "#top"},
		{"bad query escape", "http://h/api/x?page%5Bcursor%5D=%zz"},
		{"not a url", "://"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.ParseCursorParam(tt.in)
			if got != (query.Cursor{}) {
				t.Errorf("ParseCursorParam(%q) = %+v, want the zero Cursor", tt.in, got)
			}
			wantInvalidCursor(t, err)
		})
	}
}

func FuzzParseCursorParam(f *testing.F) {
	c := query.EncodeCursor(query.Cursor{Dir: query.Next, ID: "01HSXWNWF52J5PJG45BW383RMV"})
	for _, s := range []string{c, "http://127.0.0.1:1/api/x?page%5Bcursor%5D=" + c, "/api/x?page[cursor]=" + c, "://", "http://h/api/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := query.ParseCursorParam(s)
		if err != nil {
			if got != (query.Cursor{}) {
				t.Errorf("ParseCursorParam(%q) = %+v with an error", s, got)
			}
			wantInvalidCursor(t, err)
			return
		}
		if !query.ValidID(got.ID) {
			t.Errorf("ParseCursorParam(%q) = %+v, id not valid", s, got)
		}
	})
}

// TestCursor_KeyedRoundTrip: cursors of lists ordered by time carry the
// time and the id as the JSON array Klaviyo's own time-ordered cursors
// use ([1707523213, "4XUcxr2WJUR", true], docs/klaviyo-behaviour.md §5.3).
func TestCursor_KeyedRoundTrip(t *testing.T) {
	for _, c := range []query.Cursor{
		{Dir: query.Next, ID: "$custom:::$default:::A/B", Keyed: true, At: 1751431728762000},
		{Dir: query.Prev, ID: "$custom:::$default:::ü \"x\"", Keyed: true, At: -5},
	} {
		s := query.EncodeCursor(c)
		got, err := query.DecodeCursor(s)
		if err != nil || got != c {
			t.Errorf("%+v -> %s -> %+v %v", c, s, got, err)
		}
	}
	got, err := query.DecodeCursor(b64(`[1707523213, "4XUcxr2WJUR", true]`))
	if err != nil || got != (query.Cursor{Dir: query.Next, ID: "4XUcxr2WJUR", Keyed: true, At: 1707523213}) {
		t.Errorf("observed form: %+v %v", got, err)
	}
}
