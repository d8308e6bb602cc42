package resource

import "github.com/klaviyo-mock/mockserver/internal/store"

// FilterTarget is what a filter condition constrains.
type FilterTarget uint8

// Filter targets.
const (
	// FilterStatus: a job's status (equals).
	FilterStatus FilterTarget = iota
	// FilterIDs: the entity's id is in a list (any).
	FilterIDs
	// FilterCategory: an item is in the category (equals).
	FilterCategory
	// FilterItem: a variant's item, or an item a category holds (equals).
	FilterItem
	// FilterSKU: a variant's SKU (equals).
	FilterSKU
	// FilterText: the title (items, variants) or name (categories)
	// contains a string.
	FilterText
	// FilterPublished: published is true or false (equals).
	FilterPublished
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
// spells it), its one operator and the type of its value.
type FilterField struct {
	Name   string
	Op     string
	Value  ValueKind
	Target FilterTarget
	// Enum, when set, lists the values allowed.
	Enum []string
}

// jobFilters is the filter of every job list: equals on status.
var jobFilters = []FilterField{{Name: "status", Op: "equals", Value: ValString, Target: FilterStatus, Enum: store.StatusNames()}}

// entityFilters returns the filter fields of an entity list: the
// relationship fields are spelled category / item up to 2023-06-15 and
// category.id / item.id after (docs/klaviyo-behaviour.md §6.2).
func entityFilters(k store.EntityKind, dotted bool) []FilterField {
	rel := func(name string, t FilterTarget) FilterField {
		if dotted {
			name += ".id"
		}
		return FilterField{Name: name, Op: "equals", Value: ValString, Target: t}
	}
	ids := FilterField{Name: "ids", Op: "any", Value: ValStringList, Target: FilterIDs}
	published := FilterField{Name: "published", Op: "equals", Value: ValBool, Target: FilterPublished}
	switch k {
	case store.ItemKind:
		return []FilterField{ids, rel("category", FilterCategory),
			{Name: "title", Op: "contains", Value: ValString, Target: FilterText}, published}
	case store.VariantKind:
		return []FilterField{ids, rel("item", FilterItem), {Name: "sku", Op: "equals", Value: ValString, Target: FilterSKU},
			{Name: "title", Op: "contains", Value: ValString, Target: FilterText}, published}
	}
	return []FilterField{ids, rel("item", FilterItem), {Name: "name", Op: "contains", Value: ValString, Target: FilterText}}
}
