// Package schema declares the catalog's shape once: each entity type (its
// JSON:API type, its attributes with their JSON types and rules, its
// relations, its filters, the operations it has) and the list of bulk job
// kinds. Every other layer reads it: the store (slots, relations, indexes),
// the resource registry (paths, fields, filters, operations), request
// bodies, fixtures, rendering, the account documents of the control API and
// the state file, and the Go package. It knows nothing of HTTP or storage.
//
// A declaration is data. The per-revision facts of an entity (operation ids,
// limits, shapes that changed) are its spec rows in internal/resource; its
// seeded data is made by its generator in internal/fixtures. Tests fail
// when a declared entity lacks any of them.
package schema

import (
	"fmt"
	"strings"
)

// Type is the JSON type of an attribute's value, and so where an entity
// keeps it.
type Type uint8

// Attribute types.
const (
	// String: a JSON string.
	String Type = iota
	// Number: a JSON number, kept as a float64 (written as Python writes
	// floats: 2.0).
	Number
	// Integer: a whole JSON number within the attribute's Min..Max.
	Integer
	// Bool: true or false.
	Bool
	// Strings: an array of strings.
	Strings
	// Object: a JSON object, kept as compact JSON in member order.
	Object
	// DateTime: a time, set by the server (Role Created or Updated).
	DateTime
	numTypes
)

var typeNames = [numTypes]string{"string", "number", "integer", "boolean", "array of strings", "object", "datetime"}

// String returns the type's name in messages.
func (t Type) String() string { return typeNames[t] }

// Role says what an attribute is besides a value.
type Role uint8

// Attribute roles.
const (
	// Plain: a value clients set.
	Plain Role = iota
	// ExternalID: the client's id of the entity, from which its id is
	// derived; set at creation only.
	ExternalID
	// Created: when the entity was created (set by the server).
	Created
	// Updated: when the entity last changed (set by the server).
	Updated
	// PublicKey: the account's public key (an account entity's), kept by
	// the store: the control API binds another.
	PublicKey
	// Via: the API a create came through, "api" or "client" (set by the
	// server).
	Via
	// Revision: the revision that served the create (set by the server).
	Revision
)

var roleNames = [...]string{"", "external_id", "created", "updated", "public_key", "via", "revision"}

// String returns the role's name in the control API's catalog ("" for
// Plain).
func (r Role) String() string { return roleNames[r] }

// Presence is whether a create body must, may or must not send an
// attribute.
type Presence uint8

// Presences in a create body.
const (
	// Never: a create may not send it (the server sets it).
	Never Presence = iota
	// Optional: a create may send it; the Default applies otherwise.
	Optional
	// Required: a create must send it.
	Required
)

// Fill is the value a create that leaves an attribute out gets.
type Fill uint8

// Defaults (Klaviyo's observed answers to a create that leaves the
// attribute out).
const (
	// Null: no value.
	Null Fill = iota
	// Empty: "", [] or {} by the attribute's type.
	Empty
	// Zero: 0.
	Zero
	// True: true.
	True
)

// Attr is one attribute of an entity type.
type Attr struct {
	// Name is the attribute's member name in documents.
	Name string
	// Type is its JSON type.
	Type Type
	// Role says whether it is the external id or a server-set time.
	Role Role
	// Create is whether a create must, may or must not send it.
	Create Presence
	// Update reports whether an update may set it; from revision
	// UpdateSince on when that is set.
	Update      bool
	UpdateSince string
	// Default is what a create that leaves it out gets.
	Default Fill
	// Min and Max bound an Integer.
	Min, Max int
	// MaxBytes bounds an Object's compact JSON (0: unbounded).
	MaxBytes int
	// Since is the revision documents show it from ("" always); before,
	// it is neither written nor accepted in fields[…].
	Since string
	// Members are the dotted paths within an Object that fields[…] may
	// select on their own ("street_address.city"), in the spec's order.
	Members []string
	// In names the Embed a create body sends the attribute in ("" the
	// body's own attributes).
	In string
	// Format is what a String's value must look like (FormatAny: any).
	Format Format
	// Local: the value is a URL (or a list of them), and one that is a
	// path ("/images/…", a picture the emulator serves) is written after
	// the base URL, as every link the emulator writes.
	Local bool
	// Key is the attribute's member name as a JSON key, `"<name>":` (set
	// by Declare; names need no escaping).
	Key string
}

// Settable reports whether clients ever send the attribute.
func (a *Attr) Settable() bool { return a.Create != Never || a.Update }

// Constant is a member a create body may send that must have one value and
// is not kept (Klaviyo supports one integration and one catalog).
type Constant struct {
	Name, Value string
}

// RelKind is how a relation ties two entity types.
type RelKind uint8

// Relation kinds.
const (
	// Parent: this entity belongs to one entity of the target type, named
	// once at creation; deleting the parent deletes it.
	Parent RelKind = iota
	// Children: the entities whose Parent relation (the Inverse) is this
	// one; read-only from this side.
	Children
	// Members: a many-to-many membership, written from either side.
	Members
	// Reference: this entity names one entity of the target type, which
	// need not exist (a subscription's variant may be another
	// integration's); nothing cascades.
	Reference
)

// Relation is one relation of an entity type.
type Relation struct {
	// Name is its member name in relationships and its path segment.
	Name string
	// Kind is how it ties the two types.
	Kind RelKind
	// Target is the JSON:API type of the related entities.
	Target string
	// Inverse is the target's relation that is this one seen from the
	// other side ("" for a Reference).
	Inverse string
	// Body reports whether create and update bodies may set it (for
	// Members: the set it replaces).
	Body bool
	// Endpoints reports whether it is served as a related list and a
	// relationship endpoint under one entity; Writable whether that
	// endpoint takes POST, PATCH and DELETE.
	Endpoints, Writable bool
	// Touches reports that the owner's updated moves when the membership
	// changes, from either side.
	Touches bool
	// Large: an owner may hold many (its index is a tree, not a slice).
	Large bool
	// Filter names the list filter field on the related id ("category"
	// filters items by their categories); "" none.
	Filter string
	// Notify, on a Reference, is what the store records when the entity
	// named comes back in stock (nil: nothing).
	Notify *Notify
	// Slot is the relation's index among its entity's relations (set by
	// Declare).
	Slot int
}

// Many reports whether the relation holds several identifiers.
func (r *Relation) Many() bool { return r.Kind == Children || r.Kind == Members }

// FilterKind is what a filter field constrains.
type FilterKind uint8

// Filter kinds.
const (
	// FilterIDs: the entity's id is among a list (any(ids,[…])).
	FilterIDs FilterKind = iota
	// FilterRelated: the entity is related to an id through a relation
	// (equals(category.id,…)).
	FilterRelated
	// FilterEquals: an attribute equals a value.
	FilterEquals
	// FilterContains: a string attribute contains a value (case-sensitive).
	FilterContains
)

// Filter is one field filter= accepts on the entity's lists, in the order
// a revision lists them.
type Filter struct {
	Kind FilterKind
	// Field is the attribute or relation it reads ("ids" for FilterIDs).
	Field string
}

// Ops are the operations an entity type has.
type Ops uint8

// Operations.
const (
	OpList Ops = 1 << iota
	OpGet
	OpCreate
	OpUpdate
	OpDelete
	// OpClientCreate: a create under /client too, called from browsers
	// with the account's public key instead of a private key.
	OpClientCreate
	// OpsAll is every operation of /api.
	OpsAll = OpList | OpGet | OpCreate | OpUpdate | OpDelete
)

// Has reports whether o includes every operation of op.
func (o Ops) Has(op Ops) bool { return o&op == op }

// IDRule is how an entity's id is made.
type IDRule uint8

// Id rules.
const (
	// IDExternal: "$custom:::$default:::" + the external id.
	IDExternal IDRule = iota
	// IDServer: made by the server when the entity is created (a ULID
	// from the account's seeded id source); a create only enqueues it and
	// answers 202 with no body.
	IDServer
	// IDAccount: the account's public key; one entity per account.
	IDAccount
)

// IDPrefix is the integration and catalog part of every catalog id
// ($custom integration, $default catalog: the only ones Klaviyo's Catalogs
// API supports).
const IDPrefix = "$custom:::$default:::"

// Entity declares one entity type.
type Entity struct {
	// Type is the JSON:API type, e.g. "catalog-item".
	Type string
	// Path is the collection's path segment under /api, e.g.
	// "catalog-items".
	Path string
	// Plural names the collection in job bodies, relationship keys, the
	// control API and the state file, e.g. "items"; Singular names one in
	// operation ids, e.g. "item".
	Plural, Singular string
	// ID is how its ids are made.
	ID IDRule
	// Attrs are its attributes in the order documents write them.
	Attrs []Attr
	// Constants are create-only members checked and not kept.
	Constants []Constant
	// Relations are its relations.
	Relations []Relation
	// Shows is the relation its documents carry in relationships ("" none).
	Shows string
	// Includes are the relations include= may add to its list and GET-one.
	Includes []string
	// Filters are the fields its lists filter on, in the spec's order.
	Filters []Filter
	// Embeds are the resources a create body nests in its attributes (a
	// subscription's profile), whose members it keeps as attributes.
	Embeds []Embed
	// Merge, when set, makes a create that matches an entity held update
	// that one instead of adding another.
	Merge *Merge
	// Ops are the operations it has.
	Ops Ops
	// Seeded is how many each account holds before any request (a flag
	// --<plural> changes it; 0: none, and no flag).
	Seeded int

	// Index is its position among the declared entities (set by Declare).
	Index int
}

// Attr returns the attribute named name and its index.
func (e *Entity) Attr(name string) (int, *Attr, bool) {
	for i := range e.Attrs {
		if e.Attrs[i].Name == name {
			return i, &e.Attrs[i], true
		}
	}
	return 0, nil, false
}

// AttrSince returns the revision from which the attribute, or the member
// of an attribute, named name is shown ("" always).
func (e *Entity) AttrSince(name string) string {
	attr, _, _ := strings.Cut(name, ".")
	if _, a, ok := e.Attr(attr); ok {
		return a.Since
	}
	return ""
}

// Relation returns the relation named name.
func (e *Entity) Relation(name string) (*Relation, bool) {
	for i := range e.Relations {
		if e.Relations[i].Name == name {
			return &e.Relations[i], true
		}
	}
	return nil, false
}

// Parent returns the entity's Parent relation, if it has one.
func (e *Entity) Parent() (*Relation, bool) {
	for i := range e.Relations {
		if e.Relations[i].Kind == Parent {
			return &e.Relations[i], true
		}
	}
	return nil, false
}

// BodyRelation returns the relation create and update bodies may set, if
// any (one at most).
func (e *Entity) BodyRelation() (*Relation, bool) {
	for i := range e.Relations {
		if e.Relations[i].Body {
			return &e.Relations[i], true
		}
	}
	return nil, false
}

// String returns the type.
func (e *Entity) String() string { return e.Type }

// IDOf returns the id of the entity whose external id is ext.
func IDOf(ext string) string { return IDPrefix + ext }

// ValidID reports whether id is a catalog id with a non-empty external id.
func ValidID(id string) bool { return strings.HasPrefix(id, IDPrefix) && len(id) > len(IDPrefix) }

// ValidAnyCatalogID reports whether id has the form of any integration's
// catalog id, "integrationType:::catalogId:::externalId" with three
// non-empty parts ("$shopify:::$default:::33001893429341"): what a
// Reference may name, held or not.
func ValidAnyCatalogID(id string) bool {
	parts := strings.SplitN(id, ":::", 3)
	return len(parts) == 3 && parts[0] != "" && parts[1] != "" && parts[2] != ""
}

// Action is what a bulk job does to its entities.
type Action uint8

// Job actions.
const (
	Create Action = iota
	Update
	Delete
)

// String returns the action as Klaviyo spells it in paths and types.
func (a Action) String() string { return [...]string{"create", "update", "delete"}[a] }

// JobKind is one kind of bulk job: what it does to which entities.
type JobKind struct {
	Entity *Entity
	Action Action
	// Index is its position among the declared job kinds (set by Declare).
	Index int
}

// Name returns e.g. "item-bulk-update".
func (k *JobKind) Name() string {
	var buf [48]byte
	return string(k.AppendName(buf[:0]))
}

// AppendName appends the kind's name (see Name) to b without making it: the
// one place the name's form is written.
func (k *JobKind) AppendName(b []byte) []byte {
	b = append(append(b, k.Entity.Singular...), "-bulk-"...)
	return append(b, k.Action.String()...)
}

// Type returns the JSON:API type, e.g. "catalog-item-bulk-update-job".
func (k *JobKind) Type() string { return "catalog-" + k.Name() + "-job" }

// Catalog is a set of declared entity types and job kinds.
type Catalog struct {
	entities []*Entity
	jobs     []*JobKind
	byType   map[string]*Entity
}

// Declare checks the declarations and returns them as a catalog, with
// slots and indexes assigned. It panics on a declaration that contradicts
// itself (an unknown target, a relation without its inverse, two body
// relations): declarations are code, and the tests build them.
func Declare(entities []*Entity, jobs []JobKind) *Catalog {
	c := &Catalog{byType: map[string]*Entity{}}
	for i, e := range entities {
		if _, dup := c.byType[e.Type]; dup {
			panic("schema: " + e.Type + " declared twice")
		}
		e.Index = i
		e.assign()
		c.byType[e.Type] = e
		c.entities = append(c.entities, e)
	}
	for _, e := range entities {
		if err := c.check(e); err != nil {
			panic("schema: " + e.Type + ": " + err.Error())
		}
	}
	for i := range jobs {
		k := jobs[i]
		k.Index = i
		c.jobs = append(c.jobs, &k)
	}
	return c
}

// assign sets what Declare derives: each attribute's key, each relation's
// slot.
func (e *Entity) assign() {
	for i := range e.Attrs {
		a := &e.Attrs[i]
		for _, c := range a.Name {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
				panic("schema: " + e.Type + " attribute " + a.Name + ": names are lowercase letters, digits and _")
			}
		}
		a.Key = `"` + a.Name + `":`
	}
	for i := range e.Relations {
		e.Relations[i].Slot = i
	}
}

// check reports what contradicts itself in e's declaration.
func (c *Catalog) check(e *Entity) error {
	body := 0
	for i := range e.Relations {
		r := &e.Relations[i]
		t, ok := c.byType[r.Target]
		if !ok {
			return fmt.Errorf("relation %s targets %s, which is not declared", r.Name, r.Target)
		}
		if r.Body {
			body++
		}
		if r.Kind == Reference {
			continue
		}
		inv, ok := t.Relation(r.Inverse)
		if !ok || inv.Target != e.Type || inv.Inverse != r.Name {
			return fmt.Errorf("relation %s has no inverse %s on %s", r.Name, r.Inverse, t.Type)
		}
		want := map[RelKind]RelKind{Parent: Children, Children: Parent, Members: Members}[r.Kind]
		if inv.Kind != want {
			return fmt.Errorf("relation %s is %d, its inverse %d", r.Name, r.Kind, inv.Kind)
		}
	}
	if body > 1 {
		return fmt.Errorf("%d relations are set by bodies; one at most", body)
	}
	for _, f := range e.Filters {
		switch f.Kind {
		case FilterRelated:
			if _, ok := e.Relation(f.Field); !ok {
				return fmt.Errorf("filter on unknown relation %s", f.Field)
			}
		case FilterEquals, FilterContains:
			if _, a, ok := e.Attr(f.Field); !ok || (f.Kind == FilterContains && a.Type != String) {
				return fmt.Errorf("filter on unknown or unfit attribute %s", f.Field)
			}
		}
	}
	if err := c.checkRules(e); err != nil {
		return err
	}
	if e.Shows != "" {
		if _, ok := e.Relation(e.Shows); !ok {
			return fmt.Errorf("shows unknown relation %s", e.Shows)
		}
	}
	for _, inc := range e.Includes {
		if _, ok := e.Relation(inc); !ok {
			return fmt.Errorf("includes unknown relation %s", inc)
		}
	}
	return nil
}

// Entities returns the entity types in declaration order.
func (c *Catalog) Entities() []*Entity { return c.entities }

// Jobs returns the job kinds in declaration order.
func (c *Catalog) Jobs() []*JobKind { return c.jobs }

// OfType returns the entity type of a JSON:API type.
func (c *Catalog) OfType(typ string) (*Entity, bool) {
	e, ok := c.byType[typ]
	return e, ok
}

// Target returns the entity type a relation relates to.
func (c *Catalog) Target(r *Relation) *Entity { return c.byType[r.Target] }

// Job returns the job kind of an entity type and an action.
func (c *Catalog) Job(e *Entity, a Action) (*JobKind, bool) {
	for _, k := range c.jobs {
		if k.Entity == e && k.Action == a {
			return k, true
		}
	}
	return nil, false
}
