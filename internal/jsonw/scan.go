package jsonw

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The scanner reads JSON text as bytes, without reflection or tokens,
// accepting exactly what encoding/json accepts (FuzzValueEnd checks it
// against json.Valid): the state file and request bodies are read through
// it many times faster than through encoding/json's Decoder.

// ErrShort is ValueEnd's error when the text ends inside the value: a
// caller reading a stream reads more and tries again.
var ErrShort = io.ErrUnexpectedEOF

// maxNesting is how deeply ValueEnd lets arrays and objects nest: as
// encoding/json does.
const maxNesting = 10000

// plain marks the bytes a string holds as they are: printable ASCII but
// the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// SkipSpace returns the offset of the first byte at or after i that is not
// JSON whitespace (len(b) when there is none).
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// ValueEnd returns the offset just past the JSON value that starts at b[i]
// (whitespace before it skipped), checking it as encoding/json does. It
// returns ErrShort when b ends inside the value, or the error
// encoding/json gives for the value's bytes up to the first one at fault.
func ValueEnd(b []byte, i int) (int, error) {
	start := SkipSpace(b, i)
	end, at := valueEnd(b, start)
	switch {
	case at < 0:
		return end, nil
	case at >= len(b):
		return 0, ErrShort
	}
	return 0, syntaxError(b[start : at+1])
}

// syntaxError is encoding/json's error for text that ends at the first byte
// at fault.
func syntaxError(b []byte) error {
	var v json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	return fmt.Errorf("invalid character %q in JSON text", b[len(b)-1])
}

// valueEnd returns the end of the value at b[i] (no whitespace before it)
// and -1, or the offset of the first byte at fault (len(b) when b ends
// first). Arrays and objects are followed with a stack of their kinds, not
// by recursion.
func valueEnd(b []byte, i int) (int, int) {
	var stack []byte // '{' or '[' of each open container
	for {
		i = SkipSpace(b, i)
		end, at := scalarOrOpen(b, i)
		if at >= 0 {
			return 0, at
		}
		if end == i+1 && (b[i] == '{' || b[i] == '[') {
			if len(stack) == maxNesting {
				return 0, i
			}
			stack = append(stack, b[i])
			var closed bool
			if i, closed, at = afterOpen(b, end, b[i]); at >= 0 {
				return 0, at
			}
			if !closed {
				continue // a value follows
			}
			stack = stack[:len(stack)-1]
			end = i
		}
		// A value ended at end: close what it ends, or go to the next one.
		for {
			if len(stack) == 0 {
				return end, -1
			}
			j := SkipSpace(b, end)
			if j >= len(b) {
				return 0, j
			}
			top := stack[len(stack)-1]
			switch {
			case b[j] == ',' && top == '[':
				i = j + 1
			case b[j] == ',' && top == '{':
				if i, at = keyColon(b, j+1); at >= 0 {
					return 0, at
				}
			case b[j] == ']' && top == '[', b[j] == '}' && top == '{':
				stack, end = stack[:len(stack)-1], j+1
				continue
			default:
				return 0, j
			}
			break
		}
	}
}

// afterOpen reads what follows the '[' or '{' (open) ending at i: the
// container's end when it is empty (closed), or the offset of its first
// value (after an object's first key and colon).
func afterOpen(b []byte, i int, open byte) (next int, closed bool, at int) {
	j := SkipSpace(b, i)
	if j >= len(b) {
		return 0, false, j
	}
	if open == '[' {
		if b[j] == ']' {
			return j + 1, true, -1
		}
		return j, false, -1
	}
	if b[j] == '}' {
		return j + 1, true, -1
	}
	next, at = keyColon(b, j)
	return next, false, at
}

// keyColon reads an object's key and colon from i (whitespace skipped) and
// returns the offset after the colon.
func keyColon(b []byte, i int) (int, int) {
	i = SkipSpace(b, i)
	if i >= len(b) {
		return 0, i
	}
	if b[i] != '"' {
		return 0, i
	}
	end, at := StringEnd(b, i)
	if at >= 0 {
		return 0, at
	}
	j := SkipSpace(b, end)
	if j >= len(b) || b[j] != ':' {
		return 0, j
	}
	return j + 1, -1
}

// scalarOrOpen returns the end of the string, number or literal at b[i],
// or i+1 for an opening bracket; at is the first byte at fault, or -1.
func scalarOrOpen(b []byte, i int) (end, at int) {
	if i >= len(b) {
		return 0, i
	}
	switch c := b[i]; {
	case c == '{' || c == '[':
		return i + 1, -1
	case c == '"':
		return StringEnd(b, i)
	case c == '-' || c >= '0' && c <= '9':
		return NumberEnd(b, i)
	case c == 't':
		return literalEnd(b, i, "true")
	case c == 'f':
		return literalEnd(b, i, "false")
	case c == 'n':
		return literalEnd(b, i, "null")
	}
	return 0, i
}

func literalEnd(b []byte, i int, lit string) (int, int) {
	for k := 1; k < len(lit); k++ {
		if i+k >= len(b) || b[i+k] != lit[k] {
			return 0, i + k
		}
	}
	return i + len(lit), -1
}

// Skip returns the offset just past the value starting at b[i] (no
// whitespace before it) of a text that ValueEnd accepted: strings are
// skipped to their closing quote by memchr, containers by counting
// brackets outside strings. On other text it returns some offset within
// b, or len(b).
func Skip(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = skipString(b, i)
		case '{', '[':
			depth++
			i++
		case '}', ']':
			depth--
			i++
		default:
			i++
			if depth == 0 {
				// A number or literal: it ends before a delimiter.
				for i < len(b) && !isDelim(b[i]) {
					i++
				}
			}
		}
		if depth <= 0 {
			return i
		}
	}
	return len(b)
}

func isDelim(c byte) bool {
	return c == ',' || c == ']' || c == '}' || c == ':' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

// skipString returns the offset after the string whose quote is at b[i],
// in text known to be valid: eight bytes at a time to the next quote or
// backslash.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); {
		for ; j+8 <= len(b); j += 8 {
			x := binary.LittleEndian.Uint64(b[j:])
			if hasZero(x^(lanes01*'"'))|hasZero(x^(lanes01*'\\')) != 0 {
				break
			}
		}
		for j < len(b) && b[j] != '"' && b[j] != '\\' {
			j++
		}
		switch {
		case j >= len(b):
			return len(b)
		case b[j] == '"':
			return j + 1
		}
		j += 2 // an escape: the byte after the backslash is not the end
	}
	return len(b)
}
