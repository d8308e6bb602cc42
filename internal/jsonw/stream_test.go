package jsonw

import (
	"strings"
	"testing"
)

func TestPlainString_OnlyStringsWhoseTextIsTheirBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		text string
		ok   bool
	}{
		{`"abc",`, "abc", true},
		{`""`, "", true},
		{`"$custom:::$default:::A-1"`, "$custom:::$default:::A-1", true},
		{`"a\"b"`, "", false},
		{`"a\u0041"`, "", false},
		{"\"caf\xc3\xa9\"", "", false},
		{"\"a\x01\"", "", false},
		{`"abc`, "", false},
		{`abc"`, "", false},
		{``, "", false},
	} {
		text, end, ok := PlainString([]byte(c.in), 0)
		if ok != c.ok || string(text) != c.text || ok && end != len(c.text)+2 {
			t.Errorf("PlainString(%q) = %q, %d, %v; want %q, %v", c.in, text, end, ok, c.text, c.ok)
		}
	}
}

// ValueAt accepts a value exactly when Decode accepts the document that
// holds it at that depth, and ends where the value ends.
func TestValueAt_AgreesWithDecodeWhereTheValueStands(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth-2) + strings.Repeat("]", MaxDepth-2)
	for _, v := range []string{
		`1`, `-1.5e3`, `1e999`, `-1e400`, `"x"`, `"a\u0041"`, "\"\xff\"", `null`, `true`, `nul`,
		`{"a":[1,{"b":null}]}`, `{"a":1e999}`, `{"a" 1}`, `[1,]`, `{`, ` [ ] `,
		deep, "[" + deep + "]", "[[" + deep + "]]",
	} {
		for _, depth := range []int{0, 1, 3} {
			doc := strings.Repeat("[", depth) + v + strings.Repeat("]", depth)
			_, err := Decode([]byte(doc))
			end, ok := ValueAt([]byte(doc), depth, depth)
			if ok != (err == nil) {
				t.Errorf("ValueAt(%.40q at depth %d) = %v; Decode says %v", v, depth, ok, err)
			}
			if want := depth + len(strings.TrimRight(v, " ")); ok && end != want {
				t.Errorf("ValueAt(%.40q at depth %d) ends at %d, want %d", v, depth, end, want)
			}
		}
	}
}
