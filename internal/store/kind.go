package store

import "github.com/klaviyo-mock/mockserver/internal/schema"

// EntityKind is one of the declared entity types, by its place in the
// schema's catalog.
type EntityKind uint8

// catalogSchema is the declaration the store holds entities of.
var catalogSchema = schema.Default()

// Kinds returns every entity kind, in declaration order.
func Kinds() []EntityKind {
	out := make([]EntityKind, len(catalogSchema.Entities()))
	for i := range out {
		out[i] = EntityKind(i)
	}
	return out
}

// KindOf returns the entity kind of a declaration.
func KindOf(e *schema.Entity) EntityKind { return EntityKind(e.Index) }

// KindOfType returns the entity kind of a JSON:API type.
func KindOfType(typ string) (EntityKind, bool) {
	e, ok := catalogSchema.OfType(typ)
	if !ok {
		return 0, false
	}
	return KindOf(e), true
}

// Decl returns the kind's declaration.
func (k EntityKind) Decl() *schema.Entity { return catalogSchema.Entities()[k] }

// Type returns the JSON:API type, e.g. "catalog-item".
func (k EntityKind) Type() string { return k.Decl().Type }

// Plural returns the relationship and body key, e.g. "items".
func (k EntityKind) Plural() string { return k.Decl().Plural }

// Attrs returns the kind's attributes, in the order documents write them.
// The slice must not be modified.
func (k EntityKind) Attrs() []schema.Attr { return k.Decl().Attrs }

// Attr returns the attribute of the kind named name, and its index.
func (k EntityKind) Attr(name string) (int, *schema.Attr, bool) { return k.Decl().Attr(name) }

// String returns the type.
func (k EntityKind) String() string { return k.Type() }

// Target returns the kind a relation of this kind relates to.
func (k EntityKind) Target(r *schema.Relation) EntityKind { return KindOf(catalogSchema.Target(r)) }

// IDPrefix is the integration and catalog part of every catalog id.
const IDPrefix = schema.IDPrefix

// EntityID returns the catalog id of an external id.
func EntityID(externalID string) string { return schema.IDOf(externalID) }

// ValidEntityID reports whether id is a catalog id with a non-empty
// external id.
func ValidEntityID(id string) bool { return schema.ValidID(id) }

// MustKind returns the entity kind of a declared type; it panics on an
// undeclared one (for tables and tests).
func MustKind(typ string) EntityKind {
	k, ok := KindOfType(typ)
	if !ok {
		panic("store: " + typ + " is not declared")
	}
	return k
}

// OwnRelations are the relations an entity of kind k holds itself, not
// seen from the other side: its parent, and the memberships it lists,
// those to kinds declared before it (a variant's item, the items a
// category holds). So each link belongs to one side, held after what it
// names: an account document writes it once, with that entity.
func (k EntityKind) OwnRelations() []*schema.Relation {
	var out []*schema.Relation
	d := k.Decl()
	for i := range d.Relations {
		if r := &d.Relations[i]; k.Target(r) < k && r.Kind != schema.Children {
			out = append(out, r)
		}
	}
	return out
}
