package jsonw

import (
	"encoding/binary"
)

// plainRun returns the offset of the first byte at or after j that is not
// plain (see plain), or len(b): eight bytes at a time while it can.
func plainRun(b []byte, j int) int {
	for ; j+8 <= len(b); j += 8 {
		x := binary.LittleEndian.Uint64(b[j:])
		if special(x) != 0 {
			break
		}
	}
	for j < len(b) && plain[b[j]] {
		j++
	}
	return j
}

// Bytes repeated in each of a word's eight lanes.
const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
)

// hasZero is non-zero when a byte of the word v is zero.
func hasZero(v uint64) uint64 { return (v - lanes01) & ^v & lanes80 }

// special is non-zero when a byte of the word x is not plain: a control
// character, a quote, a backslash or a byte of 0x80 or more.
func special(x uint64) uint64 {
	return hasZero(x^(lanes01*'"')) | hasZero(x^(lanes01*'\\')) | (x-lanes01*0x20)&^x&lanes80 | x&lanes80
}

// StringEnd returns the offset just past the JSON string whose quote is at
// b[i], and -1; or 0 and the offset of the first byte at fault (len(b)
// when b ends first): a control character, or an escape JSON has not.
func StringEnd(b []byte, i int) (int, int) {
	for j := i + 1; ; {
		j = plainRun(b, j)
		if j >= len(b) {
			return 0, j
		}
		switch c := b[j]; {
		case c == '"':
			return j + 1, -1
		case c == '\\':
			n, at := escapeLen(b, j)
			if at >= 0 {
				return 0, at
			}
			j += n
		case c < 0x20:
			return 0, j
		default: // UTF-8, valid or not, as encoding/json takes it
			j++
		}
	}
}

// escapeLen returns the length of the escape at b[j] (a backslash), or the
// offset of the byte at fault.
func escapeLen(b []byte, j int) (int, int) {
	if j+1 >= len(b) {
		return 0, j + 1
	}
	switch b[j+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, -1
	case 'u':
		for k := 2; k < 6; k++ {
			if j+k >= len(b) {
				return 0, j + k
			}
			if c := b[j+k]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return 0, j + k
			}
		}
		return 6, -1
	}
	return 0, j + 1
}

// NumberEnd returns the offset just past the JSON number at b[i], and -1;
// or 0 and the offset of the first byte at fault. A number at the very
// end of b is complete: the caller knows whether more may follow.
func NumberEnd(b []byte, i int) (int, int) {
	j := i
	if b[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j - k
	}
	switch {
	case j >= len(b):
		return 0, j
	case b[j] == '0':
		j++
	case b[j] >= '1' && b[j] <= '9':
		digits()
	default:
		return 0, j
	}
	if j < len(b) && b[j] == '.' {
		j++
		if digits() == 0 {
			return 0, j
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if digits() == 0 {
			return 0, j
		}
	}
	return j, -1
}
