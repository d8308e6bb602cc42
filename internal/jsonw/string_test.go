package jsonw

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// stringBytewise is String as it was written before runs of plain bytes
// were passed eight at a time: one byte a step. String must append the
// same bytes for every input.
func stringBytewise(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Every byte that is not plain, at every offset of a word and around its
// edges, in texts of every length up to three words: String writes what
// the bytewise escaper writes.
func TestString_AsTheBytewiseEscaper(t *testing.T) {
	var odd []string
	for c := range 0x20 {
		odd = append(odd, string(rune(c)))
	}
	odd = append(odd, `"`, `\`, "\x7f", "\x80", "\xff", "\xc3", "é", "\u2028", "\u2029", "\u2027", "🎉", "\xed\xa0\x80")
	for n := range 25 {
		for at := range n + 1 {
			for _, o := range odd {
				s := strings.Repeat("a", at) + o + strings.Repeat("b", n-at)
				if got, want := String([]byte("x"), s), stringBytewise([]byte("x"), s); string(got) != string(want) {
					t.Fatalf("String(%q) = %s, want %s", s, got, want)
				}
			}
		}
	}
}

func FuzzString_AsTheBytewiseEscaper(f *testing.F) {
	for _, s := range []string{"", "queued", "a\"b\\c", "\x00\x1f\n", "\u2028\u2029", "\xff\xfe", "é\xc3", "🎉",
		"Lorem ipsum dolor sit amet, consectetur \"adipiscing\" elit\n", "abcdefg\x80hijklmnop\u2028qrstuvwx\\yz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := String(nil, s), stringBytewise(nil, s); string(got) != string(want) {
			t.Fatalf("String(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkString escapes a catalog text of printable ASCII (a
// description of about 300 bytes) with one quote in it.
func BenchmarkString(b *testing.B) {
	s := strings.Repeat("Lorem ipsum dolor sit amet, ", 11) + `"quoted"` + strings.Repeat(" sed do eiusmod", 2)
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = String(buf[:0], s)
	}
}

// plainRunBytewise is plainRun one byte a step: the offset of the first
// byte at or after i that the plain table refuses, or len(s).
func plainRunBytewise(s string, i int) int {
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// The run of plain bytes ends at the same offset whether the text is read
// as a string (String) or as bytes (the scanners), and where the bytewise
// reading ends it: for every byte that is not plain, at every offset of a
// word and around its edges, from every start.
func TestPlainRun_StringsAndBytesEndWhereTheBytewiseReadingEnds(t *testing.T) {
	var odd []string
	for c := range 0x20 {
		odd = append(odd, string(rune(c)))
	}
	odd = append(odd, `"`, `\`, "\x7f", "\x80", "\xff", "é")
	for n := range 25 {
		for at := range n + 1 {
			for _, o := range odd {
				s := strings.Repeat("a", at) + o + strings.Repeat("b", n-at)
				for i := range len(s) + 1 {
					want := plainRunBytewise(s, i)
					if got := plainRunString(s, i); got != want {
						t.Fatalf("plainRun(%q, %d) of a string = %d, want %d", s, i, got, want)
					}
					if got := plainRun([]byte(s), i); got != want {
						t.Fatalf("plainRun(%q, %d) of bytes = %d, want %d", s, i, got, want)
					}
				}
			}
		}
	}
}
