package jsonw

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
