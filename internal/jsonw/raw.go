package jsonw

import "encoding/json"

// RawMember is a member of a JSON object with its value as it is written.
type RawMember struct {
	Key   string
	Value json.RawMessage
}

// RawMembers returns the members of the JSON object b, a text that
// ValueEnd accepted, each key once (its first position, its last value),
// their values as written (slices of b). It returns false when b is not an
// object (or, on a text ValueEnd did not accept, wherever it finds that).
func RawMembers(b []byte) ([]RawMember, bool) {
	i := SkipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	var out []RawMember
	var index map[string]int
	d := fastDecoder{b: b, i: SkipSpace(b, i+1)}
	if d.i < len(b) && b[d.i] == '}' {
		return out, SkipSpace(b, d.i+1) == len(b)
	}
	for {
		if d.i >= len(b) || b[d.i] != '"' {
			return nil, false
		}
		k, ok := d.text()
		if d.i = SkipSpace(b, d.i); !ok || d.i >= len(b) || b[d.i] != ':' {
			return nil, false
		}
		start := SkipSpace(b, d.i+1)
		end := Skip(b, start)
		if start >= end {
			return nil, false
		}
		out, index = setRaw(out, index, k, b[start:end:end])
		if d.i = SkipSpace(b, end); d.i >= len(b) {
			return nil, false
		}
		switch b[d.i] {
		case '}':
			return out, SkipSpace(b, d.i+1) == len(b)
		case ',':
			d.i = SkipSpace(b, d.i+1)
		default:
			return nil, false
		}
	}
}

// setRaw sets member k of out to v, keeping a repeated key's position:
// looked for among the first members, then by an index.
func setRaw(out []RawMember, index map[string]int, k string, v []byte) ([]RawMember, map[string]int) {
	if index == nil && len(out) >= indexFrom {
		index = make(map[string]int, 2*len(out))
		for j := range out {
			index[out[j].Key] = j
		}
	}
	j, dup := -1, false
	if index != nil {
		j, dup = index[k]
	} else {
		for x := range out {
			if out[x].Key == k {
				j, dup = x, true
				break
			}
		}
	}
	if dup {
		out[j].Value = v
		return out, index
	}
	if index != nil {
		index[k] = len(out)
	}
	return append(out, RawMember{k, v}), index
}

// Elements appends the elements of the JSON array b, a text that ValueEnd
// accepted, to into, as written (slices of b). It returns false when b is
// not an array (or, on a text ValueEnd did not accept, wherever it finds
// that).
func Elements(b []byte, into []json.RawMessage) ([]json.RawMessage, bool) {
	i := SkipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return into, false
	}
	i = SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return into, SkipSpace(b, i+1) == len(b)
	}
	for {
		end := Skip(b, i)
		if i >= end {
			return into, false
		}
		into = append(into, b[i:end:end])
		if i = SkipSpace(b, end); i >= len(b) {
			return into, false
		}
		switch b[i] {
		case ']':
			return into, SkipSpace(b, i+1) == len(b)
		case ',':
			i = SkipSpace(b, i+1)
		default:
			return into, false
		}
	}
}
