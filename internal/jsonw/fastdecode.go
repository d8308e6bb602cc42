package jsonw

import (
	"encoding/json"
	"unicode/utf8"
)

// decodeFast is Decode for the documents it can read alone, many times
// faster than through encoding/json's tokens: it returns the same tree,
// or false for a document it leaves to Decode's general path (one that is
// not valid JSON, nests deeper than MaxDepth, holds a number that does
// not fit a float64, or data after the document), which then says what
// is wrong. FuzzDecode checks that both paths agree.
func decodeFast(b []byte) (any, bool) {
	d := fastDecoder{b: b}
	d.pending = d.first[:0]
	v, ok := d.value(0)
	if !ok || SkipSpace(b, d.i) != len(b) {
		return nil, false
	}
	return v, true
}

// fastDecoder reads b from i.
type fastDecoder struct {
	b []byte
	i int
	// keys are keys read before, to use again (nil: none).
	keys map[string]string
	// pending holds the members of the objects being read, innermost
	// last, until each object is whole (one stack for every level, so an
	// object's slices are allocated once, at their size).
	pending []member
	first   [8]member // pending's first room
	// recent are the last keys read (the elements of an array repeat
	// theirs: a key found there costs no string), replaced in turn.
	recent     [16]string
	nextRecent int
}

func (d *fastDecoder) value(depth int) (any, bool) {
	d.i = SkipSpace(d.b, d.i)
	if d.i >= len(d.b) || depth > MaxDepth {
		return nil, false
	}
	switch c := d.b[d.i]; {
	case c == '"':
		s, ok := d.text()
		return s, ok
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '-' || c >= '0' && c <= '9':
		end, at := NumberEnd(d.b, d.i)
		if at >= 0 || !fits(d.b[d.i:end]) {
			return nil, false
		}
		n := json.Number(d.b[d.i:end])
		d.i = end
		return n, true
	}
	for _, lit := range [...]struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if end, at := literalEnd(d.b, d.i, lit.text); at < 0 && lit.text[0] == d.b[d.i] {
			d.i = end
			return lit.v, true
		}
	}
	return nil, false
}

// text reads the string whose quote is at i: as it is when it holds
// neither escapes nor invalid UTF-8, else through encoding/json (which
// unescapes it and replaces invalid UTF-8 as Decode's general path does).
func (d *fastDecoder) text() (string, bool) {
	start := d.i + 1
	j := plainRun(d.b, start)
	if j < len(d.b) && d.b[j] == '"' {
		d.i = j + 1
		return string(d.b[start:j]), true
	}
	end, at := StringEnd(d.b, d.i)
	if at >= 0 {
		return "", false
	}
	inner := d.b[start : end-1]
	if !hasByte(inner, '\\') && utf8.Valid(inner) {
		d.i = end
		return string(inner), true
	}
	var s string
	if json.Unmarshal(d.b[d.i:end], &s) != nil {
		return "", false
	}
	d.i = end
	return s, true
}

func hasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// object reads an object whose '{' is at i, keys as Decode keeps them
// (first position, last value).
func (d *fastDecoder) object(depth int) (any, bool) {
	start := len(d.pending)
	ok := d.members(pendingSetter{d}, depth)
	var o *Object
	if ok {
		o = newObject(d.pending[start:])
	}
	clear(d.pending[start:]) // the stack keeps no hold of the values
	d.pending = d.pending[:start]
	return o, ok
}

// setter is what an object's members are read into.
type setter interface {
	set(k string, v any)
	setText(k, s string)
}

// pendingSetter reads members onto the decoder's stack of pending members.
type pendingSetter struct{ d *fastDecoder }

func (s pendingSetter) set(k string, v any) { s.d.pending = append(s.d.pending, member{k, v}) }
func (s pendingSetter) setText(k, t string) { s.d.pending = append(s.d.pending, member{k, t}) }

// members reads the members of the object whose '{' is at i into o; the
// keys of the outermost object are taken from d.keys when they are there.
func (d *fastDecoder) members(o setter, depth int) bool {
	d.i = SkipSpace(d.b, d.i+1)
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return true
	}
	for {
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return false
		}
		k, ok := d.key(depth)
		if !ok {
			return false
		}
		if d.i = SkipSpace(d.b, d.i); d.i >= len(d.b) || d.b[d.i] != ':' {
			return false
		}
		d.i++
		d.i = SkipSpace(d.b, d.i)
		switch {
		case d.takeCompact(o, k, depth):
		case d.i < len(d.b) && d.b[d.i] == '"' && depth+1 <= MaxDepth:
			t, ok := d.text()
			if !ok {
				return false
			}
			o.setText(k, t)
		default:
			v, ok := d.value(depth + 1)
			if !ok {
				return false
			}
			o.set(k, v)
		}
		if d.i = SkipSpace(d.b, d.i); d.i >= len(d.b) {
			return false
		}
		switch d.b[d.i] {
		case '}':
			d.i++
			return true
		case ',':
			d.i = SkipSpace(d.b, d.i+1)
		default:
			return false
		}
	}
}

// takeCompact sets member k of Members (not of an Object) to the object at
// i when it is written as Encode writes it (compactEnd), undecoded.
func (d *fastDecoder) takeCompact(o setter, k string, depth int) bool {
	m, ok := o.(*Members)
	if !ok || d.i >= len(d.b) || d.b[d.i] != '{' {
		return false
	}
	end, ok := compactEnd(d.b, d.i, depth+1)
	if !ok {
		return false
	}
	m.put(Member{Key: k, compact: d.b[d.i:end:end]})
	d.i = end
	return true
}

// key reads a key: one kept before when it is the outermost object's
// (d.keys), else one of the keys read last when it is one of them.
func (d *fastDecoder) key(depth int) (string, bool) {
	start := d.i + 1
	j := plainRun(d.b, start)
	if j >= len(d.b) || d.b[j] != '"' {
		return d.text()
	}
	raw := d.b[start:j]
	if d.keys != nil && depth == 0 {
		if k, ok := d.keys[string(raw)]; ok {
			d.i = j + 1
			return k, true
		}
		k, ok := d.text()
		if ok && len(d.keys) < maxKept {
			d.keys[k] = k
		}
		return k, ok
	}
	d.i = j + 1
	for _, k := range d.recent {
		if len(k) == len(raw) && k == string(raw) {
			return k, true
		}
	}
	k := string(raw)
	d.recent[d.nextRecent%len(d.recent)] = k
	d.nextRecent++
	return k, true
}

// array reads an array whose '[' is at i.
func (d *fastDecoder) array(depth int) (any, bool) {
	arr := []any{}
	d.i = SkipSpace(d.b, d.i+1)
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return arr, true
	}
	for {
		v, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		if d.i = SkipSpace(d.b, d.i); d.i >= len(d.b) {
			return nil, false
		}
		switch d.b[d.i] {
		case ']':
			d.i++
			return arr, true
		case ',':
			d.i++
		default:
			return nil, false
		}
	}
}
