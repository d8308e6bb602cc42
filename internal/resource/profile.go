package resource

import (
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Profile is a resource at one revision: the API-wide facts of the
// revision and the resource's own.
type Profile struct {
	*revision.Profile
	Res *Resource

	ops [][NumOps]*Operation
	// Fields are the names fields[<type>] accepts.
	Fields FieldSet
	// Filters are the conditions filter= accepts on the list, and on the
	// related lists of this resource's type; Sorts the sort values.
	Filters []FilterField
	Sorts   []string
	// PageSize: lists accept page[size] (1 to 100).
	PageSize bool
	// NoCursor: the list is one page, without page[cursor].
	NoCursor bool
	// Include is what include= accepts on the list and GET-one ("" none).
	Include string

	// Bulk jobs.
	// JobIDAttribute: the id is attributes.job_id, with no top-level id.
	JobIDAttribute bool
	// RelLinks: relationships carry links {self, related}.
	RelLinks bool
	// RelDataOnRead: list and GET-one write relationships.<key>.data
	// without include; RelDataOnCreate: the POST answer writes it.
	RelDataOnRead, RelDataOnCreate bool
	// IncludedRelationships: included entities carry their relationship.
	IncludedRelationships bool
	// BodyWrapped: the POST body lists its elements as <key>.data[]
	// instead of <key>[].
	BodyWrapped bool
	// BodyRelDataRequired: an element's relationships.<x> needs data.
	BodyRelDataRequired bool
	// VariantParent is how a variant-create element names its item.
	VariantParent ParentRule

	// Catalog entities.
	// RelKey is the relationship an entity carries ("" none): an item's
	// variants, a variant's item (items before 2023-07-15), a category's
	// items. RelToOne: it holds one identifier.
	RelKey   string
	RelToOne bool
	// NoRelOnWrite: POST and PATCH answers carry no relationships.
	NoRelOnWrite bool
	// RelGeneric: relationship endpoints are served as
	// /relationships/{related_resource} (up to 2023-01-24).
	RelGeneric bool
	// RelatedParam names the path parameter of the related lists
	// ("item_id", "category_id" up to 2023-02-22, then "id").
	RelatedParam string
	// RelIDsQuery: relationship GETs take the related list's filter and
	// sort (from 2024-10-15).
	RelIDsQuery bool

	// Enqueued creates (EntityDef.Enqueue): what the body accepts.
	// Choices are, by attribute name, the values it may send for it (for
	// each element of a Strings attribute); an attribute without takes any
	// string. Dropped are attributes it no longer accepts.
	Choices map[string][]string
	Dropped []string
	// EmbedRequired: the spec requires the body's embeds (a
	// subscription's profile, on /client); EmbedNullable: it lets them be
	// null (the emulator still needs what they identify).
	EmbedRequired, EmbedNullable bool
	// BodyRelRequired: the spec requires relationships and the body
	// relation in it (a subscription's variant); where it does not, the
	// emulator still needs it, and says so.
	BodyRelRequired bool
}

// ParentRule is how a variant create names its parent item at a revision.
type ParentRule uint8

// Variant parent rules (docs/klaviyo-behaviour.md §8.3, a variant create's
// item).
const (
	// ParentItemsArray: relationships.items.data[] (optional), up to 2023-06-15.
	ParentItemsArray ParentRule = iota
	// ParentItemOptional: relationships.item.data {type, id}, optional.
	ParentItemOptional
	// ParentItemRequired: relationships, item and item.data required.
	ParentItemRequired
	// ParentItemKeyRequired: relationships and item required, item.data
	// optional (2025-01-15+).
	ParentItemKeyRequired
)

// Op returns one of the resource's own operations at this revision, if
// the resource has it.
func (p *Profile) Op(op Op) (*Operation, bool) {
	o := p.ops[0][op]
	return o, o != nil
}

// SetOp sets one of the resource's own operations (for rows).
func (p *Profile) SetOp(op Op, id string, lim limiter.Limits) {
	p.ops[0][op] = &Operation{ID: id, Limits: lim}
}

// SetRelOp sets an operation on the relation named rel (for rows).
func (p *Profile) SetRelOp(rel string, op Op, id string, lim limiter.Limits) {
	p.ops[p.relSlot(rel)][op] = &Operation{ID: id, Limits: lim}
}

// RenameRel renames an operation on the relation named rel (for rows).
func (p *Profile) RenameRel(rel string, op Op, id string) { p.rename(p.relSlot(rel), op, id) }

func (p *Profile) relSlot(name string) int {
	rel, ok := p.Res.Relation(name)
	if !ok {
		panic("resource: " + p.Res.Name + " has no relation " + name)
	}
	return rel.slot
}

// SetLimits changes the limits of every operation in ops, own and on
// relations (for rows).
func (p *Profile) SetLimits(lim limiter.Limits, ops ...Op) {
	for s := range p.ops {
		for _, op := range ops {
			if o := p.ops[s][op]; o != nil {
				cp := *o
				cp.Limits = lim
				p.ops[s][op] = &cp
			}
		}
	}
}

// SetID renames one of the resource's own operations (for rows).
func (p *Profile) SetID(op Op, id string) { p.rename(0, op, id) }

func (p *Profile) rename(slot int, op Op, id string) {
	if o := p.ops[slot][op]; o != nil {
		cp := *o
		cp.ID = id
		p.ops[slot][op] = &cp
	}
}
