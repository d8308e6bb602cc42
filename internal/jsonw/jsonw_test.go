package jsonw_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

func TestString_Escaping(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", `""`},
		{"plain", "queued", `"queued"`},
		{"quote", `a"b`, `"a\"b"`},
		{"backslash", `a\b`, `"a\\b"`},
		{"quote and backslash", `\"`, `"\\\""`},
		{"newline", "a\nb", `"a\nb"`},
		{"carriage return", "a\rb", `"a\rb"`},
		{"tab", "a\tb", `"a\tb"`},
		{"backspace", "a\bb", `"a\bb"`},
		{"form feed", "a\fb", `"a\fb"`},
		{"nul", "\x00", `"\u0000"`},
		{"other control", "\x01\x1f", `"\u0001\u001f"`},
		{"escape char", "\x1b[0m", `"\u001b[0m"`},
		{"DEL kept", "\x7f", "\"\x7f\""},
		{"slash kept", "a/b", `"a/b"`},
		{"html kept", "<a href='x'>&amp;</a>", `"<a href='x'>&amp;</a>"`},
		{"UTF-8 kept", "Tony's ✓ café 日本 🎉", `"Tony's ✓ café 日本 🎉"`},
		{"U+2028", "a\u2028b", `"a\u2028b"`},
		{"U+2029", "a\u2029b", `"a\u2029b"`},
		{"U+2027 kept", "\u2027", "\"\u2027\""},
		{"U+202A kept", "\u202a", "\"\u202a\""},
		{"literal U+FFFD kept", "\ufffd", "\"\ufffd\""},
		{"invalid byte", "a\xffb", `"a\ufffdb"`},
		{"truncated sequence", "a\xc3", `"a\ufffd"`},
		{"each invalid byte replaced", "\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`},
		{"overlong slash", "\xc0\xaf", `"\ufffd\ufffd"`},
		{"lone continuation", "\x80x", `"\ufffdx"`},
		{"mixed", "\"\n\u2028\xff\\", `"\"\n\u2028\ufffd\\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(jsonw.String(nil, tt.in))
			if got != tt.want {
				t.Errorf("String(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("String(%q) = %s is not valid JSON", tt.in, got)
			}
		})
	}
}

func TestString_AppendsToBuffer(t *testing.T) {
	got := string(jsonw.String([]byte(`{"a":`), "b"))
	if got != `{"a":"b"` {
		t.Errorf("got %s", got)
	}
}

func TestKey(t *testing.T) {
	b := jsonw.Key([]byte("{"), "a", true)
	b = jsonw.Int(b, 1)
	b = jsonw.Key(b, "b\"", false)
	b = jsonw.Null(b)
	b = append(b, '}')
	if got, want := string(b), `{"a":1,"b\"":null}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestIntBoolNull(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{string(jsonw.Int(nil, 0)), "0"},
		{string(jsonw.Int(nil, -42)), "-42"},
		{string(jsonw.Int(nil, math.MaxInt64)), "9223372036854775807"},
		{string(jsonw.Bool(nil, true)), "true"},
		{string(jsonw.Bool(nil, false)), "false"},
		{string(jsonw.Null(nil)), "null"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

// floatCase is a float and the JSON Float must write for it.
type floatCase struct {
	in   float64
	want string
}

// wantFloats checks that Float writes each case's JSON, and that it is
// valid JSON.
func wantFloats(t *testing.T, tests []floatCase) {
	t.Helper()
	for _, tt := range tests {
		got := string(jsonw.Float(nil, tt.in))
		if got != tt.want {
			t.Errorf("Float(%v) = %s, want %s", tt.in, got, tt.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("Float(%v) = %s is not valid JSON", tt.in, got)
		}
	}
}

func TestFloat_ShortestFormKeepsPointZero(t *testing.T) {
	wantFloats(t, []floatCase{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{-3, "-3.0"},
		{19.99, "19.99"},
		{0.1, "0.1"},
		{1.5, "1.5"},
		{100, "100.0"},
		{123456, "123456.0"},
		{0.0001, "0.0001"},
		{1e-05, "1e-05"},
		{1.5e-07, "1.5e-07"},
		{1e16, "1e+16"},
		{1.5e300, "1.5e+300"},
		{0.30000000000000004, "0.30000000000000004"},
	})
}

// Python's float repr (which Klaviyo's renderer uses for prices) writes
// positional notation for magnitudes in [1e-4, 1e16); strconv's shortest 'g'
// switches to exponent form from 1e6 (exponent >= 6), so a price of
// 1500000 (common in IDR, VND, KRW catalogs) renders as 1.5e+06.
func TestFloat_LargeValuesMatchPythonRepr(t *testing.T) {
	wantFloats(t, []floatCase{
		{1e6, "1000000.0"},
		{1234567, "1234567.0"},
		{2500000.5, "2500000.5"},
		{1e15, "1000000000000000.0"},
		{123456789.25, "123456789.25"},
	})
}

func TestTime_Format(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero is null", time.Time{}, "null"},
		{"whole second", time.Date(2024, 11, 14, 23, 18, 34, 0, time.UTC), `"2024-11-14T23:18:34+00:00"`},
		{"microseconds", time.Date(2024, 11, 14, 23, 18, 34, 827140000, time.UTC), `"2024-11-14T23:18:34.827140+00:00"`},
		{"one microsecond", time.Date(2024, 1, 2, 3, 4, 5, 1000, time.UTC), `"2024-01-02T03:04:05.000001+00:00"`},
		{"nanoseconds truncated", time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC), `"2024-01-02T03:04:05.123456+00:00"`},
		{"sub-microsecond only is whole", time.Date(2024, 1, 2, 3, 4, 5, 999, time.UTC), `"2024-01-02T03:04:05+00:00"`},
		{"other zone converted to UTC", time.Date(2024, 1, 1, 19, 0, 0, 0, est), `"2024-01-02T00:00:00+00:00"`},
		{"unix epoch is not zero", time.Unix(0, 0), `"1970-01-01T00:00:00+00:00"`},
		{"midnight", time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), `"2026-07-15T00:00:00+00:00"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(jsonw.Time(nil, tt.in)); got != tt.want {
				t.Errorf("Time(%v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestAppendTimeRaw_IsTimeWithoutQuotes(t *testing.T) {
	in := time.Date(2024, 11, 14, 23, 18, 34, 827140000, time.UTC)
	if got, want := string(jsonw.AppendTimeRaw(nil, in)), "2024-11-14T23:18:34.827140+00:00"; got != want {
		t.Errorf("AppendTimeRaw = %s, want %s", got, want)
	}
	// The output parses back as RFC 3339 to the same microsecond.
	p, err := time.Parse(time.RFC3339Nano, string(jsonw.AppendTimeRaw(nil, in)))
	if err != nil || !p.Equal(in) {
		t.Errorf("parse back = %v, %v; want %v", p, err, in)
	}
}

// wantDecoded is what a JSON decoder reads back from String(s): s with every
// invalid UTF-8 byte replaced by U+FFFD.
func wantDecoded(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "queued", "a\"b\\c", "\x00\x1f\n", "\u2028\u2029", "\xff\xfe", "é\xc3", "🎉"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := jsonw.String(nil, s)
		if !json.Valid(out) {
			t.Fatalf("String(%q) = %s is not valid JSON", s, out)
		}
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", out, err)
		}
		if want := wantDecoded(s); got != want {
			t.Errorf("String(%q) decodes to %q, want %q", s, got, want)
		}
		if strings.ContainsRune(string(out), '\u2028') || strings.ContainsRune(string(out), '\u2029') {
			t.Errorf("String(%q) = %s leaves U+2028/U+2029 unescaped", s, out)
		}
	})
}

func TestReencode_KeepsOrderUnescapesHTMLAndCompacts(t *testing.T) {
	in := `{ "z": "\u003cb\u003e & \"q\"", "a": [1, 2.50, -3e2, true, null, {"y": {}}], "m": "\u2028"}`
	got, err := jsonw.Reencode(nil, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"z":"<b> & \"q\"","a":[1,2.50,-3e2,true,null,{"y":{}}],"m":"\u2028"}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []string{`{"a":`, `{} {}`, `[1,]`, ``} {
		if _, err := jsonw.Reencode(nil, []byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestAppendTimeRaw_MatchesTimeFormat compares the hand-written formatter
// with time.Format over random instants (whole seconds, microseconds,
// nanoseconds that truncate, offsets other than UTC) and the edges.
func TestAppendTimeRaw_MatchesTimeFormat(t *testing.T) {
	ref := func(t time.Time) string {
		t = t.UTC()
		if t.Nanosecond()/1000 == 0 {
			return t.Format("2006-01-02T15:04:05+00:00")
		}
		return t.Format("2006-01-02T15:04:05.000000+00:00")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	zone := time.FixedZone("x", -7*3600-30*60)
	cases := []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 7, 2, 4, 48, 48, 762000000, time.UTC), time.Date(2024, 2, 29, 12, 0, 0, 1000, zone),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 5000, time.UTC),
	}
	for i := 0; i < 100000; i++ {
		sec := rng.Int64N(253402300800) // years 1970..9999
		ns := int64(0)
		switch i % 3 {
		case 1:
			ns = rng.Int64N(1e6) * 1000
		case 2:
			ns = rng.Int64N(1e9)
		}
		tm := time.Unix(sec, ns)
		if i%4 == 0 {
			tm = tm.In(zone)
		}
		cases = append(cases, tm)
	}
	for _, tm := range cases {
		if got, want := string(jsonw.AppendTimeRaw(nil, tm)), ref(tm); got != want {
			t.Fatalf("%v: got %s, want %s", tm, got, want)
		}
	}
}
