package schema

import "strings"

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
