package codec

import (
	"bytes"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// joinedLocal is what AppendLocal wrote when it joined base to a path
// before escaping: the reference its answers are compared with.
func joinedLocal(b []byte, s, base string) []byte {
	if len(s) > 0 && s[0] == '/' && (len(s) == 1 || s[1] != '/') {
		s = base + s
	}
	return jsonw.String(b, s)
}

// localCases are the bases and URLs the AppendLocal tests write.
var localCases = struct{ bases, urls []string }{
	bases: []string{"http://127.0.0.1:8080", "", "http://h\"q\\", "http://h\xc3", "http://caf\u00e9\u2028"},
	urls: []string{"/images/a.png", "/", "/x\"y\\z\n\t", "/caf\xe9", "/\xa9x", "/\u2028", "//cdn/x",
		"https://x/y", "", "rel/x"},
}

// TestAppendLocal_APathIsWrittenAsTheJoinedURL: a local URL (a single
// value or in a list) is written as the base and the path joined, then
// escaped, byte for byte; other values as sent.
func TestAppendLocal_APathIsWrittenAsTheJoinedURL(t *testing.T) {
	one, _, _ := itemKind.Attr("image_full_url")
	list, _, _ := itemKind.Attr("images")
	for _, base := range localCases.bases {
		for _, u := range localCases.urls {
			e := store.NewEntity(itemKind, "")
			SetAttr(e, one, u)
			SetAttr(e, list, []any{u, "/b", u})
			want := joinedLocal([]byte("x"), u, base)
			if got := AppendLocal([]byte("x"), e, one, base); !bytes.Equal(got, want) {
				t.Errorf("base %q, url %q: %s, want %s", base, u, got, want)
			}
			wantList := append(joinedLocal(append(joinedLocal([]byte("["), u, base), ','), "/b", base), ',')
			wantList = append(joinedLocal(wantList, u, base), ']')
			if got := AppendLocal(nil, e, list, base); !bytes.Equal(got, wantList) {
				t.Errorf("base %q, list of %q: %s, want %s", base, u, got, wantList)
			}
		}
	}
}

// TestAppendLocal_APathIsNotJoinedFirst: writing a local URL into a
// buffer with room allocates nothing (the PATCH answer writes one per
// item; joining first allocated the joined URL).
func TestAppendLocal_APathIsNotJoinedFirst(t *testing.T) {
	one, _, _ := itemKind.Attr("image_full_url")
	e := store.NewEntity(itemKind, "")
	SetAttr(e, one, "/images/item-1.png")
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { buf = AppendLocal(buf[:0], e, one, "http://127.0.0.1:8080") }); n != 0 {
		t.Fatalf("%v allocations writing a local URL, want 0", n)
	}
}

// FuzzAppendLocal_AsTheJoinedURL: for any base and value, AppendLocal
// writes what joining then escaping wrote.
func FuzzAppendLocal_AsTheJoinedURL(f *testing.F) {
	for _, base := range localCases.bases {
		for _, u := range localCases.urls {
			f.Add(base, u)
		}
	}
	one, _, _ := itemKind.Attr("image_full_url")
	f.Fuzz(func(t *testing.T, base, u string) {
		e := store.NewEntity(itemKind, "")
		SetAttr(e, one, u)
		if got, want := AppendLocal(nil, e, one, base), joinedLocal(nil, u, base); !bytes.Equal(got, want) {
			t.Fatalf("base %q, url %q: %s, want %s", base, u, got, want)
		}
	})
}
