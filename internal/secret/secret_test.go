package secret

import (
	"strings"
	"testing"
)

func TestFingerprint_ShowsTheKindAndAtMostHalfOfTheRest(t *testing.T) {
	cases := []struct{ key, want string }{
		{"pk_0123456789abcdef0123456789abcdef01", "pk_…ef01"},
		{"bearer:eyJhbGciOiJIUzI1NiJ9.payload.sig-wxyz", "bearer:…wxyz"},
		{"pk_changed", "pk_…ged"}, // 7 characters after the prefix: 3 shown
		{"bearer:tok", "bearer:…k"},
		{"pk_a", "pk_…"},
		{"pk_", "pk_…"},
		{"custom-account", "…ount"},
		{"ab", "…b"},
		{"", ""},
		{"pk_abcdefgh\xff", "pk_…fgh?"}, // never a byte outside printable ASCII
	}
	for _, c := range cases {
		if got := Fingerprint(c.key); got != c.want {
			t.Errorf("Fingerprint(%q) = %q, want %q", c.key, got, c.want)
		}
	}
}

func TestFingerprint_NeverRevealsMoreThanHalfOfTheSecretPart(t *testing.T) {
	for n := 0; n <= 40; n++ {
		rest := strings.Repeat("x", n)
		for _, prefix := range []string{"pk_", "bearer:", ""} {
			fp := Fingerprint(prefix + rest)
			shown := len(fp) - len(prefix) - len(Ellipsis)
			if n > 0 && (!strings.HasPrefix(fp, prefix+Ellipsis) || shown > n/2 || shown > 4) {
				t.Fatalf("Fingerprint of %q+%d characters = %q: shows %d", prefix, n, fp, shown)
			}
		}
	}
}

func TestBadByte_FindsTheFirstByteOutsidePrintableASCII(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{"pk_0123456789abcdef0123456789abcdef01", -1},
		{`pk_!"#$%&'()*+,-./:;<=>?@[\]^_{|}~`, -1},
		{"pk_\xff", 3},
		{"pk_\xfe", 3},
		{"pk_é", 3},
		{"pk_a b", 4},
		{"pk_a\tb", 4},
		{"pk_\x7f", 3},
		{"pk_\x00", 3},
		{"", 0}, // no key at all is not a key
	}
	for _, c := range cases {
		if got := BadByte(c.s); got != c.want {
			t.Errorf("BadByte(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
