package jsonw

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxDepth bounds how deeply a decoded document may nest.
const MaxDepth = 512

// Object is a JSON object that keeps its members' order. A repeated key
// keeps its first position and its last value, as Python's json module
// (Klaviyo's) reads it.
type Object struct {
	// Keys are the member names in document order, each once.
	Keys []string
	// vals[i] is the value of Keys[i]; index finds a key's position once
	// there are more than indexFrom (nil before: looking at each key is
	// cheaper than a map for the few members of most objects, and a map
	// per object was most of what decoding a request body allocated).
	vals  []any
	index map[string]int
}

// Set sets member k to v, appending k when it is new.
func (o *Object) Set(k string, v any) {
	if i, ok := o.find(k); ok {
		o.vals[i] = v
		return
	}
	o.Keys = append(o.Keys, k)
	o.vals = append(o.vals, v)
	switch {
	case o.index != nil:
		o.index[k] = len(o.Keys) - 1
	case len(o.Keys) > indexFrom:
		o.index = make(map[string]int, 2*len(o.Keys))
		for i, k := range o.Keys {
			o.index[k] = i
		}
	}
}

// Get returns the value of member k.
func (o *Object) Get(k string) (any, bool) {
	if i, ok := o.find(k); ok {
		return o.vals[i], true
	}
	return nil, false
}

// find returns the position of member k.
func (o *Object) find(k string) (int, bool) {
	if o.index != nil {
		i, ok := o.index[k]
		return i, ok
	}
	for i, x := range o.Keys {
		if x == k {
			return i, true
		}
	}
	return 0, false
}

// newObject returns the object of the members ms, read in document order
// (a repeated key keeps its first position and its last value), its
// slices allocated once at their size.
func newObject(ms []member) *Object {
	o := &Object{Keys: make([]string, 0, len(ms)), vals: make([]any, 0, len(ms))}
	for _, m := range ms {
		o.Set(m.k, m.v)
	}
	return o
}

// member is an object's member read but not yet set.
type member struct {
	k string
	v any
}

// Decode decodes one JSON document into nil, bool, string, json.Number,
// []any and *Object values, exactly (keys are matched by bytes, never by
// case), and refuses trailing data, nesting deeper than MaxDepth and, once
// the document is well-formed, a number that does not fit a float64 (a
// *NumberError naming its member). A body that is not JSON is a
// *SyntaxError saying where it broke. A document that reads without error
// is decoded by a byte scanner (decodeFast); the others through
// encoding/json, which says what is wrong.
func Decode(body []byte) (any, error) {
	if v, ok := decodeFast(body); ok {
		return v, nil
	}
	return decodeTokens(body)
}

// decodeTokens is Decode through encoding/json's tokens.
func decodeTokens(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, located(body, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, located(body, errors.New("unexpected data after the JSON document"))
	}
	var g NumberGuard
	g.Write(body)
	if err := g.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("the document nests deeper than %d levels", MaxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		o := &Object{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			o.Set(k, v)
		}
		_, err := dec.Token()
		return o, err
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token()
		return arr, err
	}
	return nil, fmt.Errorf("unexpected %q", d)
}

// Encode appends a value returned by Decode as compact JSON, written the
// way Klaviyo writes it.
func Encode(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return Null(b)
	case bool:
		return Bool(b, t)
	case string:
		return String(b, t)
	case json.Number:
		return append(b, t...)
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = Encode(b, e)
		}
		return append(b, ']')
	case *Object:
		b = append(b, '{')
		for i, k := range t.Keys {
			b = Key(b, k, i == 0)
			b = Encode(b, t.vals[i])
		}
		return append(b, '}')
	}
	return Null(b)
}

// Reencode appends the JSON value in raw re-encoded compactly the way
// Klaviyo writes it: object members in their original order (a repeated key
// keeps its last value), strings escaped as String does (so "\u003c" sent by
// a client comes back as "<"), numbers as sent.
func Reencode(b []byte, raw []byte) ([]byte, error) {
	v, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	return Encode(b, v), nil
}
