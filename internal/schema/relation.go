package schema

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
