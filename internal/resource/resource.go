// Package resource describes every resource the emulator serves, once, as
// data: its JSON:API type, paths, operations with their Klaviyo operation
// ids and rate limits per revision, attributes and sparse fieldsets,
// relationships and includes, request body shapes and, for bulk jobs, the
// job kind whose effect the store carries out. Each resource has its own
// timeline of per-revision facts (rows from the revision they start), on
// top of the API-wide revision table. Routes, query validation, rendering,
// limiter keys, journal names, the control API and the spec tests are all
// derived from the Registry.
package resource

import (
	"fmt"
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Op is one kind of operation on a resource.
type Op uint8

// Operations.
const (
	OpList Op = iota
	OpGet
	OpCreate
	OpUpdate
	OpDelete
	NumOps
)

var opNames = [NumOps]string{"list", "get", "create", "update", "delete"}

// String returns the op's short name.
func (o Op) String() string { return opNames[o] }

// Operation is one operation at one revision.
type Operation struct {
	// ID is the spec's operationId at this revision.
	ID string
	// Limits are the spec's x-klaviyo-ratelimit values.
	Limits limiter.Limits
}

// Resource is one JSON:API resource of the API.
type Resource struct {
	// Name is the collection's path segment, e.g. "catalog-items".
	Name string
	// Type is the JSON:API type, e.g. "catalog-item".
	Type string
	// IDParam names the path parameter of one resource ("id", "job_id").
	IDParam string
	// Collection is the store collection holding it.
	Collection store.Collection
	// Fields are the attribute names fields[<Type>] can select, in the
	// order they are written; "id" (accepted from 2026-04-15) comes after.
	Fields []string
	// Job is set for bulk job resources.
	Job *JobDef
	// Entity is set for catalog entity resources.
	Entity *EntityDef

	rows     []Row
	profiles []*Profile // by revision index
	newest   [NumOps]string
}

// JobDef says what a bulk job resource does.
type JobDef struct {
	Kind store.JobKind
	// Entity is the resource of the entities the job changes.
	Entity *Resource
	// Include reports whether GET-one accepts include=<entities>.
	Include bool
}

// EntityDef describes a catalog entity resource.
type EntityDef struct {
	Kind store.EntityKind
	// RelKey is the relationship an entity carries: an item's variants, a
	// variant's item, a category's items.
	RelKey string
	// RelToOne: the relationship holds one entity (a variant's item).
	RelToOne bool
	// RelType is the type of the related entities.
	RelType string
	// CreateRequired are the attributes a create must send; CreateOptional
	// those it may (integration_type and catalog_type are checked, not
	// kept: only $custom and $default exist). UpdateAttrs are those an
	// update may set.
	CreateRequired, CreateOptional, UpdateAttrs []string
	// BodyRel is the relationship create and update bodies may set (an
	// item's categories, a category's items); "" for variants, whose
	// parent item is set once, at creation.
	BodyRel string
}

// Path returns the collection path, e.g. "/api/catalog-items".
func (r *Resource) Path() string { return "/api/" + r.Name }

// Row is a per-revision fact of one resource: Apply changes the resource's
// profile from revision Since on.
type Row struct {
	Since string
	Apply func(*Profile)
}

// OpName returns the stable name of an operation: its operation id at the
// newest revision (rate-limit buckets and the request journal use it).
func (r *Resource) OpName(op Op) string { return r.newest[op] }

// At returns the resource's profile at revision p.
func (r *Resource) At(p *revision.Profile) *Profile { return r.profiles[p.Index] }

// FieldSet is a set of the names fields[<type>] can select: bit i is
// Fields[i], bit len(Fields) is "id".
type FieldSet uint32

// AllFields selects every field.
const AllFields = ^FieldSet(0)

// Has reports whether field i is in s.
func (s FieldSet) Has(i int) bool { return s&(1<<i) != 0 }

// With returns s with field i added.
func (s FieldSet) With(i int) FieldSet { return s | 1<<i }

// Without returns s with field i removed.
func (s FieldSet) Without(i int) FieldSet { return s &^ (1 << i) }

// Names returns every name a FieldSet of r can hold: Fields then "id".
func (r *Resource) Names() []string { return append(slices.Clone(r.Fields), "id") }

// Profile is a resource at one revision: the API-wide facts of the
// revision and the resource's own.
type Profile struct {
	*revision.Profile
	Res *Resource

	ops [NumOps]*Operation
	// Fields are the names fields[<type>] accepts.
	Fields FieldSet

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
	// UpdateSKU: variant updates may set sku.
	UpdateSKU bool
}

// ParentRule is how a variant create names its parent item at a revision.
type ParentRule uint8

// Variant parent rules (CATALOGS §2.2).
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

// Op returns the operation at this revision, if the resource has it.
func (p *Profile) Op(op Op) (*Operation, bool) {
	o := p.ops[op]
	return o, o != nil
}

// SetOp sets an operation (for rows).
func (p *Profile) SetOp(op Op, id string, lim limiter.Limits) {
	p.ops[op] = &Operation{ID: id, Limits: lim}
}

// SetLimits changes an operation's limits (for rows).
func (p *Profile) SetLimits(op Op, lim limiter.Limits) {
	if o := p.ops[op]; o != nil {
		cp := *o
		cp.Limits = lim
		p.ops[op] = &cp
	}
}

// SetID renames an operation (for rows).
func (p *Profile) SetID(op Op, id string) {
	if o := p.ops[op]; o != nil {
		cp := *o
		cp.ID = id
		p.ops[op] = &cp
	}
}

// Registry is every resource served.
type Registry struct {
	revs      *revision.Table
	resources []*Resource
	byName    map[string]*Resource
	byType    map[string]*Resource
}

// NewRegistry returns an empty registry over the revision table t.
func NewRegistry(t *revision.Table) *Registry {
	return &Registry{revs: t, byName: map[string]*Resource{}, byType: map[string]*Resource{}}
}

// Add registers r: its rows are applied revision by revision on top of the
// API-wide profiles. Rows must start at revisions of the table.
func (reg *Registry) Add(r *Resource) *Resource {
	if _, dup := reg.byName[r.Name]; dup {
		panic("resource: " + r.Name + " registered twice")
	}
	for _, row := range r.rows {
		if _, ok := reg.revs.Exact(row.Since); !ok {
			panic(fmt.Sprintf("resource: %s has a row at %s, which is not a revision", r.Name, row.Since))
		}
	}
	var cur Profile
	for _, p := range reg.revs.All() {
		for _, row := range r.rows {
			if row.Since == p.Date {
				row.Apply(&cur)
			}
		}
		prof := cur
		prof.Profile, prof.Res = p, r
		prof.Fields = fieldsAt(r, &prof)
		r.profiles = append(r.profiles, &prof)
	}
	newest := r.profiles[len(r.profiles)-1]
	for op := Op(0); op < NumOps; op++ {
		if o, ok := newest.Op(op); ok {
			r.newest[op] = o.ID
		}
	}
	reg.resources = append(reg.resources, r)
	reg.byName[r.Name] = r
	reg.byType[r.Type] = r
	return r
}

// fieldsAt is what fields[<type>] accepts: every field, job_id only while
// it is the job's id, and "id" where the revision accepts it.
func fieldsAt(r *Resource, p *Profile) FieldSet {
	var s FieldSet
	for i, name := range r.Fields {
		if name == "job_id" && !p.JobIDAttribute {
			continue
		}
		s = s.With(i)
	}
	if p.Profile.FieldsAcceptID {
		s = s.With(len(r.Fields))
	}
	return s
}

// All returns the resources in registration order.
func (reg *Registry) All() []*Resource { return reg.resources }

// Named returns the resource whose collection path segment is name.
func (reg *Registry) Named(name string) (*Resource, bool) {
	r, ok := reg.byName[name]
	return r, ok
}

// OfType returns the resource of a JSON:API type.
func (reg *Registry) OfType(typ string) (*Resource, bool) {
	r, ok := reg.byType[typ]
	return r, ok
}

// Revisions returns the revision table.
func (reg *Registry) Revisions() *revision.Table { return reg.revs }

// Lookup returns the index of name among names, if s allows it.
func (s FieldSet) Lookup(names []string, name string) (int, bool) {
	for i, n := range names {
		if n == name && s.Has(i) {
			return i, true
		}
	}
	return 0, false
}

// NameList lists the names of the members of s, in order.
func (s FieldSet) NameList(names []string) []string {
	var out []string
	for i, n := range names {
		if s.Has(i) {
			out = append(out, n)
		}
	}
	return out
}

// AddRow appends a per-revision fact to r's timeline (before it is
// registered).
func AddRow(r *Resource, row Row) { r.rows = append(r.rows, row) }
