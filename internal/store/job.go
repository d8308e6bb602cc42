// Package store is the emulator's in-memory state: per account, one
// consistent catalog (items, variants with their parent item, categories
// holding items) and the bulk jobs of all nine kinds, each kind kept in id
// order so a page costs O(page + log n) with or without a status filter.
// Every collection is generated on first use. It holds values and checks
// them; it knows nothing of HTTP, nor of the JSON documents the control API
// and the state file exchange (internal/accountdoc reads and writes those).
package store

import (
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Action is what a bulk job does to its entities.
type Action = schema.Action

// Job actions.
const (
	Create = schema.Create
	Update = schema.Update
	Delete = schema.Delete
)

// JobKind is one of the declared bulk job kinds, by its place in the
// schema's list.
type JobKind uint8

// JobKinds returns every job kind, in declaration order.
func JobKinds() []JobKind {
	out := make([]JobKind, len(catalogSchema.Jobs()))
	for i := range out {
		out[i] = JobKind(i)
	}
	return out
}

// numJobKinds counts the declared job kinds.
func numJobKinds() int { return len(catalogSchema.Jobs()) }

// JobKindOf returns the job kind of an entity kind and an action, if one
// is declared.
func JobKindOf(e EntityKind, a Action) (JobKind, bool) {
	k, ok := catalogSchema.Job(e.Decl(), a)
	if !ok {
		return 0, false
	}
	return JobKind(k.Index), true
}

// Decl returns the kind's declaration.
func (k JobKind) Decl() *schema.JobKind { return catalogSchema.Jobs()[k] }

// Entity returns the kind of entity the job changes.
func (k JobKind) Entity() EntityKind { return KindOf(k.Decl().Entity) }

// Action returns what the job does.
func (k JobKind) Action() Action { return k.Decl().Action }

// String returns e.g. "item-bulk-update".
func (k JobKind) String() string { return k.Decl().Name() }

// Type returns the JSON:API type, e.g. "catalog-item-bulk-update-job".
func (k JobKind) Type() string { return k.Decl().Type() }

// JobError is one entry of a job's errors[]: an element the job could not
// apply.
type JobError struct {
	ID      string
	Code    string
	Title   string
	Detail  string
	Pointer string
}

// ElementError says why a job element failed: its code, title and detail,
// and the member of the element it is about ("/id",
// "/attributes/external_id", …).
type ElementError struct {
	Code, Title, Detail, Member string
}

// JobError returns the job error for element k of a request whose elements
// are at pointer.
func (e *ElementError) JobError(id, pointer string, k int) JobError {
	return JobError{ID: id, Code: e.Code, Title: e.Title, Detail: e.Detail, Pointer: fmt.Sprintf("%s/%d%s", pointer, k, e.Member)}
}

// NotFoundError is the element error for an id the catalog does not hold.
func NotFoundError(kind EntityKind, id string) *ElementError { return errNotFound(kind, id) }

// ExistsError is the element error for a create of an id that exists.
func ExistsError(kind EntityKind, id string) *ElementError { return errExists(kind, id) }

func errNotFound(kind EntityKind, id string) *ElementError {
	return &ElementError{"not_found", "Not found.", fmt.Sprintf("A %s with id %s does not exist.", kind.Type(), id), "/id"}
}

func errExists(kind EntityKind, id string) *ElementError {
	return &ElementError{"conflict", "Conflict.", fmt.Sprintf("A %s with id %s already exists.", kind.Type(), id), "/attributes/external_id"}
}

func errRelated(kind EntityKind, id, member string) *ElementError {
	return &ElementError{"invalid", "Invalid input.", fmt.Sprintf("A %s with id %s does not exist.", kind.Type(), id), member}
}

// Job is one bulk job. A *Job held by the store is never modified; changes
// replace it with a new value, so readers may use it without locks.
type Job struct {
	ID          string
	Kind        JobKind
	Status      Status
	CreatedAt   time.Time
	CompletedAt time.Time // zero: null
	ExpiresAt   time.Time // zero: null
	Total       int
	Completed   int
	Failed      int
	Errors      []JobError
	// IDs are the ids of the job's elements, in request order: the entities
	// it creates, updates or deletes (relationships.<key>.data).
	IDs []string
	// work is the pending part of a job created through the API; nil for
	// history (seeded or imported jobs, and finished ones).
	work *Work
	// stamp identifies this value among every value the store held (0
	// until it is stored).
	stamp uint64
}

// Stamp identifies this value of the job: a change to the job stores a new
// value with a new stamp, so what was rendered from a stamp stays true.
func (j *Job) Stamp() uint64 { return j.stamp }

// Created reports whether the job was created through the API and is still
// being processed.
func (j *Job) Created() bool { return j.work != nil }

// MaxJobElements is the most elements one job may hold.
const MaxJobElements = 100

// Element is one element of a job request: the entity it creates (its id
// derived from the external id), updates or deletes. For create and update,
// the attributes in Set take their values from Values; Related, when
// HasRelated, are the ids of the relationship the element sets (an item's
// categories, a category's items, a variant's parent item).
type Element struct {
	ID         string
	Set        AttrSet
	Values     Entity
	Related    []string
	HasRelated bool
	// ParentAt is where a new entity's parent id was sent, relative to the
	// element, as the revision writes it (a variant's item:
	// "/relationships/items/data/0/id" up to 2023-06-15); empty:
	// "/relationships/item/data/id".
	ParentAt string
}

// CreateRequest is a validated job POST: the elements, in request order,
// and the JSON pointer of their array in the request (job errors point at
// Pointer + "/<index>").
type CreateRequest struct {
	Kind     JobKind
	Elements []Element
	Pointer  string
}

// MustJobKind returns the job kind of a declared entity type and an
// action; it panics when none is declared (for tables and tests).
func MustJobKind(typ string, a Action) JobKind {
	k, ok := JobKindOf(MustKind(typ), a)
	if !ok {
		panic("store: no " + a.String() + " jobs of " + typ)
	}
	return k
}

// WithWork returns a copy of j still in progress with the remaining work
// w: how a saved job created through the API is restored.
func (j *Job) WithWork(w *Work) *Job {
	cp := *j
	cp.work, cp.stamp = w, 0
	return &cp
}
