package jsonw

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
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

// DecodeAt, TextAt and NumberAt read a value where it stands as Decode
// reads the document that holds it: the same value, or (TextAt, NumberAt)
// false for what they leave to it.
func TestDecodeAt_ReadsAValueAsDecodeWhereItStands(t *testing.T) {
	for _, v := range []string{
		`1`, `-1.5e3`, `1e999`, `"x"`, `"caf` + "\xc3\xa9" + `"`, `"a\u0041"`, "\"\xff\"", "\"a\x01\"", `null`, `true`,
		`{"a":[1,{"b":null}],"a":2}`, `[1,]`, `"abc`, `0.1`, `-0`, `12345678901234567890`, `1e-400`, `1.5E+2`,
	} {
		for _, depth := range []int{0, 2} {
			doc := strings.Repeat("[", depth) + v + strings.Repeat("]", depth)
			want, err := Decode([]byte(doc))
			for range depth {
				if list, ok := want.([]any); ok && len(list) == 1 {
					want = list[0]
				}
			}
			got, end, ok := DecodeAt([]byte(doc), depth, depth)
			if ok != (err == nil) || ok && (fmt.Sprint(got) != fmt.Sprint(want) || end != depth+len(v)) {
				t.Errorf("DecodeAt(%q) = %v, %d, %v; Decode: %v, %v", doc, got, end, ok, want, err)
			}
			if s, end, ok := TextBytesAt([]byte(doc), depth); ok && (err != nil || string(s) != want || end != depth+len(v)) {
				t.Errorf("TextBytesAt(%q) = %q, %d; Decode: %v, %v", doc, s, end, want, err)
			} else if !ok && err == nil && strings.HasPrefix(v, `"`) && !strings.Contains(v, `\`) && utf8.ValidString(v) {
				t.Errorf("TextBytesAt(%q) refuses a string without escapes that Decode reads", doc)
			}
			n, nEnd, nOK := NumberAt([]byte(doc), depth)
			if f, end, ok := FloatAt([]byte(doc), depth); ok != nOK || ok && (end != nEnd || fmt.Sprint(n.Float64()) != fmt.Sprint(f, nil)) {
				t.Errorf("FloatAt(%q) = %v, %d, %v; NumberAt: %q, %d, %v", doc, f, end, ok, n, nEnd, nOK)
			}
			if n, end, ok := NumberAt([]byte(doc), depth); ok && (err != nil || n != want || end != depth+len(v)) {
				t.Errorf("NumberAt(%q) = %q, %d; Decode: %v, %v", doc, n, end, want, err)
			} else if _, isNum := want.(json.Number); !ok && err == nil && isNum {
				t.Errorf("NumberAt(%q) refuses a number Decode reads", doc)
			}
		}
	}
}

// FloatAt reads a number without making a string of its text: a bulk
// create's price costs no allocation.
func TestFloatAt_AllocatesNothing(t *testing.T) {
	doc := []byte(`{"price":1234.5678e-2}`)
	if n := testing.AllocsPerRun(50, func() {
		if f, _, ok := FloatAt(doc, 9); !ok || f != 12.345678 {
			t.Fatalf("FloatAt = %v, %v", f, ok)
		}
	}); n != 0 {
		t.Errorf("FloatAt allocates %.0f times, want 0", n)
	}
}
