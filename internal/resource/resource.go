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
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

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
	// path is Path's answer, joined when the resource is registered.
	path string
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
	if r.path != "" {
		return r.path
	}
	return r.joinPath()
}

// joinPath is the collection path, joined anew.
func (r *Resource) joinPath() string {
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

// AddRow appends a per-revision fact to r's timeline (before it is
// registered).
func AddRow(r *Resource, row Row) { r.rows = append(r.rows, row) }
