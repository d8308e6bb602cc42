package render

import "testing"

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
