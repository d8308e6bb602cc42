// Package codec writes and reads an entity's attribute values as JSON, as
// Klaviyo writes them (null when unset, datetimes as Python's isoformat,
// numbers as Python's floats) and as request bodies and account documents
// send them: the one JSON form of a value, shared by rendering, request
// bodies and the account document.
package codec

import (
	"encoding/json"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// AppendAttr appends attribute i of e as Klaviyo writes it (null when unset;
// datetimes as Python's isoformat, numbers as Python's floats).
func AppendAttr(b []byte, e *store.Entity, i int) []byte {
	a := &e.Kind.Attrs()[i]
	switch a.Role {
	case schema.ExternalID:
		return jsonw.String(b, e.ExternalID)
	case schema.Created:
		return jsonw.Time(b, e.Created)
	case schema.Updated:
		return jsonw.Time(b, e.Updated)
	}
	switch v := e.Value(i).(type) {
	case *string:
		if v != nil {
			return jsonw.String(b, *v)
		}
	case *float64:
		if v != nil {
			return jsonw.Float(b, *v)
		}
	case *int:
		if v != nil {
			return jsonw.Int(b, *v)
		}
	case *bool:
		if v != nil {
			return jsonw.Bool(b, *v)
		}
	case *[]string:
		if v != nil {
			return appendStrings(b, *v)
		}
	case json.RawMessage:
		if v != nil {
			return append(b, v...)
		}
	}
	return jsonw.Null(b)
}

// appendStrings appends a JSON array of strings.
func appendStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for j, s := range list {
		if j > 0 {
			b = append(b, ',')
		}
		b = jsonw.String(b, s)
	}
	return append(b, ']')
}

// AppendMembers appends object attribute i of e with only the members at
// paths ("street_address.city"): a path selects that member whole, and a
// member some path goes into keeps only what the paths select of it, in the
// object's own order. A null or unreadable object is null.
func AppendMembers(b []byte, e *store.Entity, i int, paths []string) []byte {
	raw, ok := e.Object(i)
	if !ok {
		return jsonw.Null(b)
	}
	node, err := jsonw.Decode(raw)
	obj, isObj := node.(*jsonw.Object)
	if err != nil || !isObj {
		return jsonw.Null(b)
	}
	return jsonw.Encode(b, pick(obj, paths))
}

// pick returns the members of obj the paths select.
func pick(obj *jsonw.Object, paths []string) *jsonw.Object {
	out := &jsonw.Object{}
	for _, k := range obj.Keys {
		v, _ := obj.Get(k)
		var deeper []string
		whole := false
		for _, p := range paths {
			if p == k {
				whole = true
			} else if rest, ok := strings.CutPrefix(p, k+"."); ok {
				deeper = append(deeper, rest)
			}
		}
		sub, isObj := v.(*jsonw.Object)
		switch {
		case whole:
			out.Set(k, v)
		case len(deeper) > 0 && isObj:
			out.Set(k, pick(sub, deeper))
		}
	}
	return out
}

// AppendLocal appends attribute i of e as AppendAttr does, but a URL that
// is a path ("/images/…", a picture the emulator serves) is written after
// base, as the emulator's links are; other values are written as sent.
func AppendLocal(b []byte, e *store.Entity, i int, base string) []byte {
	if s, ok := e.Str(i); ok {
		return appendLocal(b, s, base)
	}
	if list, ok := e.Strings(i); ok {
		b = append(b, '[')
		for j, s := range list {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendLocal(b, s, base)
		}
		return append(b, ']')
	}
	return AppendAttr(b, e, i)
}

// appendLocal appends s as a JSON string, after base when s is a path of
// the emulator's. The two are escaped one after the other, not joined
// first (an allocation per URL): a path begins with '/', so no character
// spans them and each escapes as it would joined (FuzzAppendLocal_AsTheJoinedURL).
func appendLocal(b []byte, s, base string) []byte {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return jsonw.String(b, s)
	}
	b = jsonw.String(b, base)
	b = b[:len(b)-1] // base's closing quote
	open := len(b)
	b = jsonw.String(b, s)
	copy(b[open:], b[open+1:]) // s's opening quote
	return b[:len(b)-1]
}
