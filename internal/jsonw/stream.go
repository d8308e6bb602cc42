package jsonw

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Pieces for a reader that walks a document in place, reading only what it
// needs as values and checking the rest as Decode would (see
// payload.ParseIdentifiers): a list of 65,000 resource identifiers costs
// its ids, not a tree of 65,000 objects.

// PlainString returns the text of the JSON string whose quote is at b[i]
// and the offset just past its closing quote, when the string holds only
// printable ASCII and no escape, so that its text is its bytes and Decode
// reads it as exactly those bytes; otherwise false.
func PlainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	j := plainRun(b, i+1)
	if j >= len(b) || b[j] != '"' {
		return nil, 0, false
	}
	return b[i+1 : j], j + 1, true
}

// ValueAt returns the offset just past the JSON value at b[i] (whitespace
// before it skipped) when Decode would read it without error where it
// stands, inside depth arrays and objects: valid JSON, nesting no deeper
// than MaxDepth counted from the document's top, every number fitting a
// float64. Otherwise it returns false, and Decode of the document says
// what is wrong.
func ValueAt(b []byte, i, depth int) (int, bool) {
	d := fastDecoder{b: b, i: i}
	if _, ok := d.value(depth); !ok {
		return 0, false
	}
	return d.i, true
}

// TextBytesAt returns the text of the JSON string whose quote is at b[i]
// (b's own bytes between its quotes, not a copy) and the offset just past
// its closing quote, when the string holds no escape and is valid UTF-8,
// so that Decode reads it as exactly its bytes; otherwise false.
func TextBytesAt(b []byte, i int) ([]byte, int, bool) {
	if t, end, ok := PlainString(b, i); ok {
		return t, end, true
	}
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	end, at := StringEnd(b, i)
	if at >= 0 {
		return nil, 0, false
	}
	inner := b[i+1 : end-1]
	if hasByte(inner, '\\') || !utf8.Valid(inner) {
		return nil, 0, false
	}
	return inner, end, true
}

// DecodeAt decodes the JSON value at b[i] (whitespace before it skipped)
// as Decode decodes it where it stands, inside depth arrays and objects,
// and returns it with the offset just past it; false where ValueAt is.
func DecodeAt(b []byte, i, depth int) (any, int, bool) {
	d := fastDecoder{b: b, i: i}
	d.pending = d.first[:0]
	v, ok := d.value(depth)
	if !ok {
		return nil, 0, false
	}
	return v, d.i, true
}

// NumberAt returns the JSON number at b[i] as Decode reads it (a
// json.Number of its text) and the offset just past it, when it is a
// number that fits a float64; otherwise false.
func NumberAt(b []byte, i int) (json.Number, int, bool) {
	end, ok := numberSpan(b, i)
	if !ok {
		return "", 0, false
	}
	return json.Number(b[i:end]), end, true
}

// numberSpan returns the offset just past the JSON number at b[i] when it
// is one that fits a float64.
func numberSpan(b []byte, i int) (int, bool) {
	end, at := NumberEnd(b, i)
	return end, at < 0 && fits(b[i:end])
}

// FloatAt returns the JSON number at b[i] as json.Number's Float64 reads
// the json.Number NumberAt returns, and the offset just past it, without
// making that text a string; false where NumberAt is.
func FloatAt(b []byte, i int) (float64, int, bool) {
	end, ok := numberSpan(b, i)
	if !ok {
		return 0, 0, false
	}
	f, err := strconv.ParseFloat(string(b[i:end]), 64) // not kept: no copy made
	return f, end, err == nil
}

// WalkObject calls member with each key of the object at b[i] (each a
// plain string: PlainString) and the offset where its value starts;
// member returns the value's end. It returns the object's end, or false
// when b[i] is not an object written so (a key with an escape, a trailing
// comma, a missing colon) or member refuses.
func WalkObject(b []byte, i int, member func(key []byte, at int) (int, bool)) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	if i = SkipSpace(b, i+1); i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		key, next, ok := PlainString(b, i)
		if i = SkipSpace(b, next); !ok || i >= len(b) || b[i] != ':' {
			return 0, false
		}
		end, ok := member(key, SkipSpace(b, i+1))
		if i = SkipSpace(b, end); !ok || i >= len(b) {
			return 0, false
		}
		switch b[i] {
		case '}':
			return i + 1, true
		case ',':
			i = SkipSpace(b, i+1)
		default:
			return 0, false
		}
	}
}
