// Package jsonw appends JSON tokens to byte slices. It is the low-level half
// of the project's own encoder: no reflection, no intermediate maps, so a page
// of 100 jobs renders with a handful of allocations.
//
// Strings are escaped the way Klaviyo's Django REST Framework renderer does
// (UTF-8 kept as is, control characters escaped, U+2028/U+2029 escaped).
package jsonw

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

const hex = "0123456789abcdef"

// String appends s as a JSON string. Runs of printable ASCII (most of
// what the catalog's texts hold) are passed eight bytes at a time.
func String(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i = plainRunString(s, i); i >= len(s) {
			break
		}
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

// plainRunString returns the offset of the first byte of s at or after i
// that String does not copy as it is (see plain), or len(s): eight bytes
// at a time while it can.
//
// It is plainRun for a string, kept apart on purpose: one body generic over
// string | []byte cost String about 4% more CPU (BenchmarkString, process
// CPU of old and new test binaries run alternately 30-40 times in either
// order: paired median ratios 1.04 and 1.05, an A/A pair 1.01), and
// reading the string as bytes through unsafe cost 20% more.
// TestPlainRun_StringsAndBytesEndWhereTheBytewiseReadingEnds keeps the two
// in step.
func plainRunString(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if special(x) != 0 {
			break
		}
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// Key appends "k": (with a leading comma unless first).
func Key(b []byte, k string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = String(b, k)
	return append(b, ':')
}

// Int appends n.
func Int(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

// Float appends f as Python's repr does: the shortest form that round-trips,
// positional from 1e-4 up to 1e16 (integral values keep a ".0"), with an
// exponent outside that range.
func Float(b []byte, f float64) []byte {
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	n := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	for _, c := range b[n:] {
		if c == '.' {
			return b
		}
	}
	return append(b, '.', '0')
}

// Bool appends true or false.
func Bool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// Null appends null.
func Null(b []byte) []byte { return append(b, "null"...) }

// Time appends t as Klaviyo writes datetimes: a quoted ISO 8601 string in
// UTC with microseconds when they are not zero and a "+00:00" offset
// (Python's isoformat), or null for the zero time.
func Time(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return Null(b)
	}
	b = append(b, '"')
	b = AppendTimeRaw(b, t)
	return append(b, '"')
}

// AppendTimeRaw appends t formatted like Time, without quotes. It formats
// the digits itself (time.Format parses its layout on every call, which was
// a third of rendering a page of jobs); years outside 0000-9999 fall back to
// time.Format.
func AppendTimeRaw(b []byte, t time.Time) []byte {
	t = t.UTC()
	micro := t.Nanosecond() / 1000
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		if micro == 0 {
			return t.AppendFormat(b, "2006-01-02T15:04:05+00:00")
		}
		return t.AppendFormat(b, "2006-01-02T15:04:05.000000+00:00")
	}
	hour, minute, sec := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10))
	if micro != 0 {
		b = append(b, '.', byte('0'+micro/100000), byte('0'+micro/10000%10), byte('0'+micro/1000%10),
			byte('0'+micro/100%10), byte('0'+micro/10%10), byte('0'+micro%10))
	}
	return append(b, "+00:00"...)
}
