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
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Op is one kind of operation on a resource.
type Op uint8

// Operations: the resource's own (a collection and one resource), then
// those on one of its relations (the related list and the relationship
// endpoint's four methods).
const (
	OpList Op = iota
	OpGet
	OpCreate
	OpUpdate
	OpDelete
	// OpRelated is GET /<resource>/{id}/<relation>: the related entities.
	OpRelated
	// OpRelIDs is GET /<resource>/{id}/relationships/<relation>.
	OpRelIDs
	// OpRelAdd, OpRelSet and OpRelRemove are POST, PATCH and DELETE there.
	OpRelAdd
	OpRelSet
	OpRelRemove
	NumOps
)

var opNames = [NumOps]string{"list", "get", "create", "update", "delete",
	"related", "relationships", "add", "replace", "remove"}

// OnRelation reports whether the op addresses a relation.
func (o Op) OnRelation() bool { return o >= OpRelated }

// TakesBody reports whether requests of the op carry a document.
func (o Op) TakesBody() bool {
	return o == OpCreate || o == OpUpdate || o == OpRelAdd || o == OpRelSet || o == OpRelRemove
}

// Writes reports whether the op changes state.
func (o Op) Writes() bool { return o.TakesBody() || o == OpDelete }

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
	// Relations are the related collections under one resource
	// (/<resource>/{id}/<relation> and its relationships endpoint).
	Relations []*Relation
	// Client: served under /client instead of /api, for browsers: no
	// Authorization, the account is the one whose public key the query's
	// company_id is, and any origin may call it.
	Client bool

	rows     []Row
	profiles []*Profile // by revision index
	// newest names each endpoint: the resource's own (slot 0), then each
	// relation's.
	newest [][NumOps]string
}

// Relation is a to-many relation of a resource served as endpoints: the
// related list and the relationship (resource identifiers) endpoint.
type Relation struct {
	// Name is the path segment and relationship name, e.g. "variants".
	Name string
	// Target is the resource of the related entities.
	Target *Resource
	// Writable: the relationship endpoint takes POST, PATCH and DELETE.
	Writable bool
	// Decl is the relation's declaration, and Inverse the target's
	// relation the owner's id is on in the related list (an item's variants
	// are the variants whose item is it).
	Decl, Inverse *schema.Relation

	slot int // 1-based index among the owner's relations
}

// AddRelation appends a relation to r (before it is registered).
func (r *Resource) AddRelation(name string, target *Resource, writable bool) *Relation {
	rel := &Relation{Name: name, Target: target, Writable: writable, slot: len(r.Relations) + 1}
	r.Relations = append(r.Relations, rel)
	return rel
}

// Relation returns r's relation named name.
func (r *Resource) Relation(name string) (*Relation, bool) {
	for _, rel := range r.Relations {
		if rel.Name == name {
			return rel, true
		}
	}
	return nil, false
}

// Endpoint is one operation of a resource: its own (Rel nil) or one on
// a relation.
type Endpoint struct {
	Res *Resource
	Rel *Relation
	Op  Op
}

func (e Endpoint) slot() int {
	if e.Rel == nil {
		return 0
	}
	return e.Rel.slot
}

// Name returns the endpoint's stable name: its operation id at the newest
// revision that has it (rate-limit buckets and the request journal use it).
func (e Endpoint) Name() string { return e.Res.newest[e.slot()][e.Op] }

// At returns the operation at revision p, if the endpoint exists there.
func (e Endpoint) At(p *revision.Profile) (*Operation, bool) {
	o := e.Res.profiles[p.Index].ops[e.slot()][e.Op]
	return o, o != nil
}

// Declared reports whether the endpoint exists at some revision.
func (e Endpoint) Declared() bool { return e.Name() != "" }

// JobDef says what a bulk job resource does.
type JobDef struct {
	Kind store.JobKind
	// Entity is the resource of the entities the job changes.
	Entity *Resource
	// Include reports whether GET-one accepts include=<entities>.
	Include bool
}

// EntityDef says which declared entity an entity resource serves.
type EntityDef struct {
	Kind store.EntityKind
	Decl *schema.Entity
	// Members are, by attribute index, the Fields indexes of the attribute's
	// members fields[…] may select on their own (nil for most).
	Members [][]int
	// RelType is the type of the entities the relationship it shows holds
	// (an item's variants, a variant's item, a category's items).
	RelType string
	// Enqueue: its ids are the server's and a create only enqueues it
	// (back-in-stock subscriptions): the body is read by the profile's
	// body rules (Choices, Dropped, Embed…, BodyRelRequired) and the
	// answer is 202 with no body.
	Enqueue bool
}

// Path returns the collection path, e.g. "/api/catalog-items" or
// "/client/back-in-stock-subscriptions".
func (r *Resource) Path() string {
	if r.Client {
		return "/client/" + r.Name
	}
	return "/api/" + r.Name
}

// Row is a per-revision fact of one resource: Apply changes the resource's
// profile from revision Since on.
type Row struct {
	Since string
	Apply func(*Profile)
}

// OpName returns the stable name of one of r's own operations (see
// Endpoint.Name).
func (r *Resource) OpName(op Op) string { return Endpoint{Res: r, Op: op}.Name() }

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

// Registry is every resource served.
type Registry struct {
	revs      *revision.Table
	resources []*Resource
	byName    map[string]*Resource
	byType    map[string]*Resource
	clients   map[string]*Resource // the /client twins, by name
}

// NewRegistry returns an empty registry over the revision table t.
func NewRegistry(t *revision.Table) *Registry {
	return &Registry{revs: t, byName: map[string]*Resource{}, byType: map[string]*Resource{}, clients: map[string]*Resource{}}
}

// Add registers r: its rows are applied revision by revision on top of the
// API-wide profiles. Rows must start at revisions of the table.
func (reg *Registry) Add(r *Resource) *Resource {
	names := reg.byName
	if r.Client {
		names = reg.clients
	}
	if _, dup := names[r.Name]; dup {
		panic("resource: " + r.Path() + " registered twice")
	}
	for _, row := range r.rows {
		if _, ok := reg.revs.Exact(row.Since); !ok {
			panic(fmt.Sprintf("resource: %s has a row at %s, which is not a revision", r.Name, row.Since))
		}
	}
	cur := Profile{Res: r, ops: make([][NumOps]*Operation, 1+len(r.Relations))}
	r.newest = make([][NumOps]string, 1+len(r.Relations))
	for _, p := range reg.revs.All() {
		for _, row := range r.rows {
			if row.Since == p.Date {
				row.Apply(&cur)
			}
		}
		prof := cur
		prof.ops = slices.Clone(cur.ops)
		prof.Profile, prof.Res = p, r
		prof.Fields = fieldsAt(r, &prof)
		r.profiles = append(r.profiles, &prof)
	}
	// An endpoint's name is its id at the newest revision that has it.
	for _, prof := range r.profiles {
		for s := range prof.ops {
			for op, o := range prof.ops[s] {
				if o != nil {
					r.newest[s][op] = o.ID
				}
			}
		}
	}
	reg.resources = append(reg.resources, r)
	names[r.Name] = r
	if !r.Client {
		reg.byType[r.Type] = r
	}
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
		if r.Entity != nil && p.Profile.Date < r.Entity.Decl.AttrSince(name) {
			continue // shown from a later revision
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

// Named returns the /api resource whose collection path segment is name.
func (reg *Registry) Named(name string) (*Resource, bool) {
	r, ok := reg.byName[name]
	return r, ok
}

// ClientNamed returns the /client resource whose path segment is name.
func (reg *Registry) ClientNamed(name string) (*Resource, bool) {
	r, ok := reg.clients[name]
	return r, ok
}

// OfType returns the /api resource of a JSON:API type.
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

// Endpoints lists every endpoint of every resource: each resource's own
// operations, then those on each of its relations.
func (reg *Registry) Endpoints() []Endpoint {
	var out []Endpoint
	for _, r := range reg.resources {
		for op := Op(0); op < NumOps; op++ {
			if ep := (Endpoint{Res: r, Op: op}); !op.OnRelation() && ep.Declared() {
				out = append(out, ep)
			}
		}
		for _, rel := range r.Relations {
			for op := OpRelated; op < NumOps; op++ {
				if ep := (Endpoint{Res: r, Rel: rel, Op: op}); ep.Declared() {
					out = append(out, ep)
				}
			}
		}
	}
	return out
}
