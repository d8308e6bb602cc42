package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// AttrKind is the JSON type of an attribute and where Entity keeps it.
type AttrKind uint8

// Attribute kinds.
const (
	KExternalID AttrKind = iota // Entity.ExternalID: a string, fixed at creation
	KString                     // Entity.Str[Slot]
	KNumber                     // Entity.Num[Slot]
	KPolicy                     // Entity.Int: inventory_policy, 0, 1 or 2
	KStrings                    // Entity.Imgs: an array of strings
	KObject                     // Entity.Meta: an object, kept as compact JSON
	KBool                       // Entity.Pub
	KCreated                    // Entity.Created: set by the server
	KUpdated                    // Entity.Updated: set by the server
)

// Attr describes one attribute of an entity type: its wire name, its JSON
// type and where Entity holds it. Rendering, request bodies, the control API,
// the state file and the spec tests all read entities through these.
type Attr struct {
	Name string
	Kind AttrKind
	Slot int
	// Key is `"<name>":`, escaped once (set by withKeys).
	Key string
}

// AttrSet is a set of attributes of one entity type, by index in its Attrs.
type AttrSet uint32

// Has reports whether the attribute at index i is in s.
func (s AttrSet) Has(i int) bool { return s&(1<<i) != 0 }

// With returns s with index i added.
func (s AttrSet) With(i int) AttrSet { return s | 1<<i }

// MaxCustomMetadata is the largest custom_metadata accepted (Klaviyo: "May
// not exceed 100kb").
const MaxCustomMetadata = 100 * 1024

// withKeys sets each attribute's pre-escaped key.
func withKeys(attrs []Attr) []Attr {
	for i := range attrs {
		attrs[i].Key = string(jsonw.String(nil, attrs[i].Name)) + ":"
	}
	return attrs
}

var (
	itemAttrs = withKeys([]Attr{
		{"external_id", KExternalID, 0, ""},
		{"title", KString, StrTitle, ""},
		{"description", KString, StrDescription, ""},
		{"price", KNumber, NumPrice, ""},
		{"url", KString, StrURL, ""},
		{"image_full_url", KString, StrImageFullURL, ""},
		{"image_thumbnail_url", KString, StrImageThumbnailURL, ""},
		{"images", KStrings, 0, ""},
		{"custom_metadata", KObject, 0, ""},
		{"published", KBool, 0, ""},
		{"created", KCreated, 0, ""},
		{"updated", KUpdated, 0, ""},
	})
	variantAttrs = withKeys([]Attr{
		{"external_id", KExternalID, 0, ""},
		{"title", KString, StrTitle, ""},
		{"description", KString, StrDescription, ""},
		{"sku", KString, StrSKU, ""},
		{"inventory_policy", KPolicy, 0, ""},
		{"inventory_quantity", KNumber, NumInventoryQuantity, ""},
		{"price", KNumber, NumPrice, ""},
		{"url", KString, StrURL, ""},
		{"image_full_url", KString, StrImageFullURL, ""},
		{"image_thumbnail_url", KString, StrImageThumbnailURL, ""},
		{"images", KStrings, 0, ""},
		{"custom_metadata", KObject, 0, ""},
		{"published", KBool, 0, ""},
		{"created", KCreated, 0, ""},
		{"updated", KUpdated, 0, ""},
	})
	categoryAttrs = withKeys([]Attr{
		{"external_id", KExternalID, 0, ""},
		{"name", KString, StrName, ""},
		{"updated", KUpdated, 0, ""},
	})
)

// AppendJSON appends the attribute's value in e as Klaviyo writes it
// (null when unset; datetimes as Python's isoformat).
func (a Attr) AppendJSON(b []byte, e *Entity) []byte {
	switch a.Kind {
	case KExternalID:
		return jsonw.String(b, e.ExternalID)
	case KString:
		if s := e.Str[a.Slot]; s != nil {
			return jsonw.String(b, *s)
		}
	case KNumber:
		if f := e.Num[a.Slot]; f != nil {
			return jsonw.Float(b, *f)
		}
	case KPolicy:
		if e.Int != nil {
			return jsonw.Int(b, *e.Int)
		}
	case KStrings:
		if e.Imgs != nil {
			b = append(b, '[')
			for i, s := range *e.Imgs {
				if i > 0 {
					b = append(b, ',')
				}
				b = jsonw.String(b, s)
			}
			return append(b, ']')
		}
	case KObject:
		if e.Meta != nil {
			return append(b, e.Meta...)
		}
	case KBool:
		if e.Pub != nil {
			return jsonw.Bool(b, *e.Pub)
		}
	case KCreated:
		return jsonw.Time(b, e.Created)
	case KUpdated:
		return jsonw.Time(b, e.Updated)
	}
	return jsonw.Null(b)
}

// Copy copies the attribute's value from src to dst.
func (a Attr) Copy(dst, src *Entity) {
	switch a.Kind {
	case KExternalID:
		dst.ExternalID = src.ExternalID
	case KString:
		dst.Str[a.Slot] = src.Str[a.Slot]
	case KNumber:
		dst.Num[a.Slot] = src.Num[a.Slot]
	case KPolicy:
		dst.Int = src.Int
	case KStrings:
		dst.Imgs = src.Imgs
	case KObject:
		dst.Meta = src.Meta
	case KBool:
		dst.Pub = src.Pub
	case KCreated:
		dst.Created = src.Created
	case KUpdated:
		dst.Updated = src.Updated
	}
}

// IsSet reports whether e holds a (non-null) value for the attribute.
func (a Attr) IsSet(e *Entity) bool {
	switch a.Kind {
	case KExternalID:
		return e.ExternalID != ""
	case KString:
		return e.Str[a.Slot] != nil
	case KNumber:
		return e.Num[a.Slot] != nil
	case KPolicy:
		return e.Int != nil
	case KStrings:
		return e.Imgs != nil
	case KObject:
		return e.Meta != nil
	case KBool:
		return e.Pub != nil
	case KCreated:
		return !e.Created.IsZero()
	case KUpdated:
		return !e.Updated.IsZero()
	}
	return false
}

// Set stores a decoded JSON value (jsonw.Decode's nil, bool, string,
// json.Number, []any or *jsonw.Object) as the attribute's value in e. A
// null clears it. It returns what is wrong, each problem's Pointer relative
// to the value ("/1" for the second image); nothing is set then.
func (a Attr) Set(e *Entity, node any) []Problem {
	if list, ok := node.([]any); ok && a.Kind == KStrings {
		var probs []Problem
		for i, x := range list {
			if _, ok := x.(string); !ok {
				probs = append(probs, Problem{fmt.Sprintf("/%d", i), fmt.Sprintf("Must be a string, got %s.", Kind(x))})
			}
		}
		if len(probs) > 0 {
			return probs
		}
	}
	if detail := a.set(e, node); detail != "" {
		return []Problem{{"", detail}}
	}
	return nil
}

func (a Attr) set(e *Entity, node any) string {
	if node == nil {
		switch a.Kind {
		case KExternalID:
			return "Must be a string, got null."
		case KCreated, KUpdated:
			return "Must be a datetime, got null."
		}
		a.Copy(e, &Entity{})
		return ""
	}
	switch a.Kind {
	case KExternalID, KString:
		s, ok := node.(string)
		if !ok {
			return "Must be a string, got " + Kind(node) + "."
		}
		if a.Kind == KExternalID {
			e.ExternalID = s
		} else {
			e.Str[a.Slot] = &s
		}
	case KNumber:
		n, ok := node.(json.Number)
		if !ok {
			return "Must be a number, got " + Kind(node) + "."
		}
		f, err := n.Float64()
		if err != nil {
			return fmt.Sprintf("'%s' is not a valid number.", n)
		}
		e.Num[a.Slot] = &f
	case KPolicy:
		n, ok := node.(json.Number)
		i, err := n.Int64()
		if !ok || err != nil || i < 0 || i > 2 {
			return fmt.Sprintf("'%s' is not a valid choice for inventory_policy: use 0, 1 or 2.", jsonw.Encode(nil, node))
		}
		v := int(i)
		e.Int = &v
	case KStrings:
		list, ok := node.([]any)
		if !ok {
			return "Must be an array of strings, got " + Kind(node) + "."
		}
		out := make([]string, 0, len(list))
		for _, x := range list {
			s, ok := x.(string)
			if !ok {
				return fmt.Sprintf("Must be a string, got %s.", Kind(x))
			}
			out = append(out, s)
		}
		e.Imgs = &out
	case KObject:
		if _, ok := node.(*jsonw.Object); !ok {
			return "Must be an object, got " + Kind(node) + "."
		}
		raw := jsonw.Encode(nil, node)
		if len(raw) > MaxCustomMetadata {
			return fmt.Sprintf("May not exceed 100kb; got %d bytes.", len(raw))
		}
		e.Meta = raw
	case KBool:
		v, ok := node.(bool)
		if !ok {
			return "Must be a boolean, got " + Kind(node) + "."
		}
		e.Pub = &v
	case KCreated, KUpdated:
		s, ok := node.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil {
			return "Must be an RFC 3339 datetime such as 2026-01-01T00:00:00Z."
		}
		if a.Kind == KCreated {
			e.Created = t.UTC()
		} else {
			e.Updated = t.UTC()
		}
	}
	return ""
}

// Kind names a decoded JSON value's type for messages.
func Kind(n any) string {
	switch n.(type) {
	case nil:
		return "null"
	case *jsonw.Object:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "a value"
}
