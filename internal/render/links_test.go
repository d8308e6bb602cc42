package render

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// rawString is appendRaw's text, and a plain string itself.
func TestRawString_IsAppendRawsTextAndAPlainStringItself(t *testing.T) {
	for _, s := range []string{"", "http://127.0.0.1:8080", `http://a"b`, "http://h\\x", "http://caf\u00e9", "http://a\x01"} {
		want := string(appendRaw(nil, s))
		if got := rawString(s); got != want {
			t.Errorf("rawString(%q) = %q, want %q", s, got, want)
		}
	}
	const plain = "http://127.0.0.1:8080"
	if n := testing.AllocsPerRun(50, func() { _ = rawString(plain) }); n != 0 {
		t.Errorf("rawString of a plain string allocates %v times, want 0", n)
	}
}

// A request's self link is written from its parts (base, escaped path,
// "?", query) where it was joined into a string first: the bytes must be
// jsonw.String's of the joined URL, whatever the parts hold (escapes,
// invalid UTF-8, U+2028), as long as the path begins with "/" (Text's
// rule: the part after one that may end inside a character begins with an
// ASCII byte).
func FuzzAppendText_AURLAsTheJoinedString(f *testing.F) {
	f.Add("http://127.0.0.1:8080", "/api/catalog-items", "")
	f.Add("http://h", "/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AA%20B", "fields%5Bcatalog-item%5D=title")
	f.Add("http://h\u00e9\xe2\x80", "/a\"b\\c\u2028", "q=\x01\xff<>&")
	f.Add("", "", "x")
	f.Fuzz(func(t *testing.T, base, path, query string) {
		if path != "" && path[0] != '/' {
			path = "/" + path
		}
		u, joined := Text{base, path}, base+path
		if query != "" {
			u[2], u[3], joined = "?", query, joined+"?"+query
		}
		want := string(jsonw.String(nil, joined))
		if got := string(appendText(nil, &u)); got != want {
			t.Fatalf("appendText(%q) = %s, want %s", u, got, want)
		}
	})
}
