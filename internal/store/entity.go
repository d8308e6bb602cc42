package store

import (
	"encoding/json"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Entity is one entity of a declared kind. Entities held by the store are
// never modified in place: a change replaces the value.
type Entity struct {
	Kind EntityKind
	// defaulted: a slot past the end of Vals reads as the kind's default
	// (kindDefaults), not as null: a created entity keeps slots up to the
	// last value it was sent, and shares its defaults (in the padding
	// after Kind: no byte more).
	defaulted  bool
	ID         string
	ExternalID string
	// Vals holds the attribute values by the attribute's index in the
	// kind's Attrs: *string, *float64, *int, *bool, *[]string or
	// json.RawMessage (compact JSON) by its type; nil is JSON null. The
	// external id and the times are kept in fields of their own. It may
	// end before the last attribute (a job element's values end at the
	// last it sends): a slot past its end is null, or the kind's default
	// for an entity a create made. Read a slot with Value.
	Vals []any
	// Refs holds the id each to-one relation (Parent, Reference) names, by
	// the relation's index; nil when the kind has none.
	Refs []string
	// Created is hidden for kinds that show only updated, but orders them.
	Created, Updated time.Time
	// stamp identifies this value (see Job.Stamp); 0 until stored.
	stamp uint64
}

// NewEntity returns an empty entity of kind k: every attribute null.
func NewEntity(k EntityKind, id string) *Entity {
	e := &Entity{Kind: k, ID: id}
	e.init()
	return e
}

// init sizes Vals and Refs for the kind. Slots that end early (a job
// element holds them up to the last value it sends) grow keeping their
// values, in a new array: the one they end in may be shared.
func (e *Entity) init() {
	if len(e.Vals) != len(e.Kind.Decl().Attrs) {
		e.growVals()
	}
	e.initRefs()
}

// growVals gives Vals a slot for every attribute, keeping its values, in
// a new array (the one they end in may be shared).
func (e *Entity) growVals() {
	vals := make([]any, len(e.Kind.Decl().Attrs))
	n := copy(vals, e.Vals)
	if e.defaulted {
		copy(vals[n:], kindDefaults[e.Kind][n:])
	}
	e.Vals = vals
}

// initRefs sizes Refs for the kind's to-one relations (none: nil).
func (e *Entity) initRefs() {
	d := e.Kind.Decl()
	for i := range d.Relations {
		if k := d.Relations[i].Kind; (k == schema.Parent || k == schema.Reference) && len(e.Refs) != len(d.Relations) {
			e.Refs = make([]string, len(d.Relations))
			break
		}
	}
}

// setVal sets slot i to v, growing the slots when i is past their end
// (a null past the end is null already, unless it reads a default).
func (e *Entity) setVal(i int, v any) {
	if i >= len(e.Vals) {
		if v == nil && !e.defaulted {
			return
		}
		e.growVals()
	}
	e.Vals[i] = v
}

// Stamp identifies this value of the entity (see Job.Stamp).
func (e *Entity) Stamp() uint64 { return e.stamp }

// Ref returns the id the to-one relation r names ("" none).
func (e *Entity) Ref(r *schema.Relation) string {
	if r.Slot < len(e.Refs) {
		return e.Refs[r.Slot]
	}
	return ""
}

// SetRef sets the id the to-one relation r names.
func (e *Entity) SetRef(r *schema.Relation, id string) {
	e.initRefs()
	e.Refs[r.Slot] = id
}

// Str returns string attribute i, if set.
func (e *Entity) Str(i int) (string, bool) {
	if p, ok := e.Value(i).(*string); ok && p != nil {
		return *p, true
	}
	return "", false
}

// Num returns number attribute i, if set.
func (e *Entity) Num(i int) (float64, bool) {
	if p, ok := e.Value(i).(*float64); ok && p != nil {
		return *p, true
	}
	return 0, false
}

// Bool returns boolean attribute i, if set.
func (e *Entity) Bool(i int) (bool, bool) {
	if p, ok := e.Value(i).(*bool); ok && p != nil {
		return *p, true
	}
	return false, false
}

// Strings returns string-array attribute i, if set.
func (e *Entity) Strings(i int) ([]string, bool) {
	if p, ok := e.Value(i).(*[]string); ok && p != nil {
		return *p, true
	}
	return nil, false
}

// Object returns object attribute i (compact JSON), if set.
func (e *Entity) Object(i int) (json.RawMessage, bool) {
	if m, ok := e.Value(i).(json.RawMessage); ok && m != nil {
		return m, true
	}
	return nil, false
}

// Int returns integer attribute i, if set.
func (e *Entity) Int(i int) (int, bool) {
	if p, ok := e.Value(i).(*int); ok && p != nil {
		return *p, true
	}
	return 0, false
}

// Value returns attribute i's value as Vals holds it (nil: null, or an
// attribute kept in a field of its own: the external id and the times).
func (e *Entity) Value(i int) any {
	if i < len(e.Vals) {
		return e.Vals[i]
	}
	if e.defaulted {
		return kindDefaults[e.Kind][i]
	}
	return nil
}

// Set sets attribute i to v: a *string, *float64, *int, *bool, *[]string
// or json.RawMessage as its type, or nil (null). Created and updated go to
// their fields (v a time.Time), the external id to its own (v a string).
func (e *Entity) Set(i int, v any) {
	a := &e.Kind.Attrs()[i]
	switch a.Role {
	case schema.ExternalID:
		e.ExternalID, _ = v.(string)
	case schema.Created:
		e.Created, _ = v.(time.Time)
	case schema.Updated:
		e.Updated, _ = v.(time.Time)
	default:
		e.setVal(i, v)
	}
}

// Copy copies attribute i's value from src.
func (e *Entity) Copy(i int, src *Entity) {
	switch e.Kind.Attrs()[i].Role {
	case schema.ExternalID:
		e.ExternalID = src.ExternalID
	case schema.Created:
		e.Created = src.Created
	case schema.Updated:
		e.Updated = src.Updated
	default:
		e.setVal(i, src.Value(i))
	}
}

// IsSet reports whether e holds a (non-null) value for attribute i.
func (e *Entity) IsSet(i int) bool {
	switch e.Kind.Attrs()[i].Role {
	case schema.ExternalID:
		return e.ExternalID != ""
	case schema.Created:
		return !e.Created.IsZero()
	case schema.Updated:
		return !e.Updated.IsZero()
	}
	switch v := e.Value(i).(type) {
	case *string:
		return v != nil
	case *float64:
		return v != nil
	case *int:
		return v != nil
	case *bool:
		return v != nil
	case *[]string:
		return v != nil
	case json.RawMessage:
		return v != nil
	}
	return false
}

// Matches reports whether attribute i equals v (a string, or a bool); an
// unset boolean counts as its default.
func (e *Entity) Matches(i int, v any) bool {
	switch want := v.(type) {
	case string:
		s, ok := e.Str(i)
		return ok && s == want
	case bool:
		b, ok := e.Bool(i)
		if !ok {
			b = e.Kind.Attrs()[i].Default == schema.True
		}
		return b == want
	}
	return false
}

// StrPtr returns a pointer to s.
func StrPtr(s string) *string { return &s }

// SetOf returns the set of the kind's attributes named; it panics on an
// unknown name (for tables and tests).
func (k EntityKind) SetOf(names ...string) AttrSet {
	var s AttrSet
	for _, n := range names {
		i, _, ok := k.Attr(n)
		if !ok {
			panic("store: " + k.Type() + " has no attribute " + n)
		}
		s = s.With(i)
	}
	return s
}

// AttrSet is a set of attributes of one entity type, by index in its Attrs.
type AttrSet uint32

// Has reports whether the attribute at index i is in s.
func (s AttrSet) Has(i int) bool { return s&(1<<i) != 0 }

// With returns s with index i added.
func (s AttrSet) With(i int) AttrSet { return s | 1<<i }
