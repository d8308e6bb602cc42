package resource

import (
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ValueKind is the type of a filter condition's value.
type ValueKind uint8

// Value kinds.
const (
	ValString     ValueKind = iota // 'text' or "text"
	ValBool                        // true or false
	ValStringList                  // ['a',"b"]
)

// FilterField is one condition filter= accepts: a field (as the revision
// spells it), its one operator, the type of its value, and what it
// constrains: a job's status, or what an entity declaration's filter reads.
type FilterField struct {
	Name  string
	Op    string
	Value ValueKind
	// Enum, when set, lists the values allowed.
	Enum []string
	// Status: a job's status.
	Status bool
	// Kind is what an entity filter constrains; Attr the attribute it reads
	// (its index, for FilterEquals and FilterContains), Rel the relation
	// (FilterRelated).
	Kind schema.FilterKind
	Attr int
	Rel  *schema.Relation
}

// jobFilters is the filter of every job list: equals on status.
var jobFilters = []FilterField{{Name: "status", Op: "equals", Value: ValString, Status: true, Enum: store.StatusNames()}}

// entityFilters returns the filter fields of an entity list, as its
// declaration lists them; relation fields are spelled after the relation's
// filter name (category, item) up to 2023-06-15 and with ".id" after
// (docs/klaviyo-behaviour.md §6.2).
func entityFilters(d *schema.Entity, dotted bool) []FilterField {
	out := make([]FilterField, 0, len(d.Filters))
	for _, f := range d.Filters {
		ff := FilterField{Name: f.Field, Kind: f.Kind, Op: "equals", Value: ValString}
		switch f.Kind {
		case schema.FilterIDs:
			ff.Op, ff.Value = "any", ValStringList
		case schema.FilterRelated:
			ff.Rel, _ = d.Relation(f.Field)
			ff.Name = ff.Rel.Filter
			if dotted {
				ff.Name += ".id"
			}
		case schema.FilterContains:
			ff.Attr, _, _ = d.Attr(f.Field)
			ff.Op = "contains"
		case schema.FilterEquals:
			i, a, _ := d.Attr(f.Field)
			ff.Attr = i
			if a.Type == schema.Bool {
				ff.Value = ValBool
			}
		}
		out = append(out, ff)
	}
	return out
}
