package handlers

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// TestEscapedPath_IsTheURLsOwn: escapedPath answers what url.URL's
// EscapedPath does, for paths of the API, paths with bytes a path must
// escape, paths sent escaped (RawPath) and random bytes.
func TestEscapedPath_IsTheURLsOwn(t *testing.T) {
	paths := []string{"", "*", "/", "/api/catalog-items", "/api/catalog-items/$custom:::$default:::GKA-00001/relationships/categories/",
		"/api/a b", "/api/caf\u00e9", "/api/a?b", "/api/a%2Fb", "/api/a#b", "/api/~x_y.z-1,2;3=4@5&6+7!8'9(0)*", "/__admin/ui/"}
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "aZ09-_.~/$:,;=@&+!'()*% ?#\"<>[]\\^`{|}\x00\x7f\xc3\xa9"
	for range 5000 {
		var b strings.Builder
		for n := r.IntN(24); n > 0; n-- {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		paths = append(paths, "/"+b.String())
	}
	for _, p := range paths {
		u := &url.URL{Path: p}
		if got, want := escapedPath(u), u.EscapedPath(); got != want {
			t.Fatalf("path %q: escapedPath %q, EscapedPath %q", p, got, want)
		}
		if parsed, err := url.Parse("http://h" + u.EscapedPath()); err == nil && parsed.RawPath != "" {
			if got, want := escapedPath(parsed), parsed.EscapedPath(); got != want {
				t.Fatalf("raw path %q: escapedPath %q, EscapedPath %q", parsed.RawPath, got, want)
			}
		}
	}
	for _, raw := range []string{"http://h/api/a%2Fb", "http://h/api/%61", "http://h/api/a%20b?x=1"} {
		u, _ := url.Parse(raw)
		if got, want := escapedPath(u), u.EscapedPath(); got != want {
			t.Fatalf("%s: escapedPath %q, EscapedPath %q", raw, got, want)
		}
	}
}

// TestEscapedPath_ABytePathsMustEscapeIsFoundAnywhere puts each byte a
// path must escape (and each it need not) at every position of plain paths
// of every length up to 82 (the API's are 60-80 bytes), so a byte is
// checked wherever it falls among the ones checked together.
func TestEscapedPath_ABytePathsMustEscapeIsFoundAnywhere(t *testing.T) {
	const plain = "/api/catalog-items/$custom:::$default:::GKA-00001/relationships/categories/x~y_z.0"
	for n := 0; n <= len(plain); n++ {
		for i := 0; i < n; i++ {
			for c := 0; c < 256; c++ {
				p := []byte(plain[:n])
				p[i] = byte(c)
				u := &url.URL{Path: string(p)}
				if got, want := escapedPath(u), u.EscapedPath(); got != want {
					t.Fatalf("path %q: escapedPath %q, EscapedPath %q", p, got, want)
				}
			}
		}
	}
}

// BenchmarkEscapedPath is observe's check of a path of the API that needs
// no escape (scripts/bench's category items row).
func BenchmarkEscapedPath(b *testing.B) {
	u := &url.URL{Path: "/api/catalog-categories/$custom:::$default:::GKA-CAT-001/items"}
	n := 0
	for b.Loop() {
		n += len(escapedPath(u))
	}
	if n == 0 {
		b.Fatal("no path")
	}
}
