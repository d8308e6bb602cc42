package store

import (
	"encoding/json"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// ApplyDefaults gives e the values a create that leaves its attributes out
// gets (each attribute's declared Default: Klaviyo's observed answers), as
// the API's create does; the control API's documents start from them.
func (e *Entity) ApplyDefaults() { e.applyDefaults() }

// applyDefaults gives a new entity the values a create that leaves its
// attributes out gets (declared per attribute: Klaviyo's observed answers).
// The values are the kind's shared ones (see kindDefaults).
func (e *Entity) applyDefaults() {
	e.init()
	for i, v := range kindDefaults[e.Kind] {
		if v != nil {
			e.Vals[i] = v
		}
	}
}

// kindDefaults holds, for each entity kind, the value each attribute a
// create may leave out gets (nil: null), made once from the declaration.
// An entity is never changed in place (a change stores a new value with
// new values), so every entity shares them: a new item made five. An
// entity a create made reads them past its slots (Entity.defaulted).
var kindDefaults = defaultsOf(catalogSchema.Entities())

// defaultsOf returns the default values of the kinds declared.
func defaultsOf(decls []*schema.Entity) [][]any {
	out := make([][]any, len(decls))
	for k, d := range decls {
		out[k] = make([]any, len(d.Attrs))
		for i := range d.Attrs {
			if a := &d.Attrs[i]; a.Role == schema.Plain && a.Default != schema.Null {
				out[k][i] = defaultValue(a)
			}
		}
	}
	return out
}

func defaultValue(a *schema.Attr) any {
	switch a.Type {
	case schema.String:
		s := ""
		return &s
	case schema.Strings:
		return &[]string{}
	case schema.Object:
		return json.RawMessage("{}")[:2:2] // full: an append copies
	case schema.Bool:
		b := a.Default == schema.True
		return &b
	case schema.Integer:
		n := 0
		return &n
	case schema.Number:
		f := 0.0
		return &f
	}
	return nil
}
