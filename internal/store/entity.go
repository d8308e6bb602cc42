package store

import (
	"encoding/json"
	"time"
)

// EntityKind is one of the catalog's entity types.
type EntityKind uint8

// The catalog's entity types.
const (
	ItemKind EntityKind = iota
	VariantKind
	CategoryKind
	NumEntityKinds
)

// IDPrefix is the integration and catalog part of every catalog id ($custom
// integration, $default catalog: the only ones Klaviyo supports).
const IDPrefix = "$custom:::$default:::"

// EntityID returns the catalog id of an external id.
func EntityID(externalID string) string { return IDPrefix + externalID }

// ItemID returns the catalog item id of an external id.
func ItemID(externalID string) string { return EntityID(externalID) }

// entityKinds describes each entity type.
var entityKinds = [NumEntityKinds]struct {
	typ, plural string
	attrs       []Attr
}{
	ItemKind:     {"catalog-item", "items", itemAttrs},
	VariantKind:  {"catalog-variant", "variants", variantAttrs},
	CategoryKind: {"catalog-category", "categories", categoryAttrs},
}

// Type returns the JSON:API type, e.g. "catalog-item".
func (k EntityKind) Type() string { return entityKinds[k].typ }

// Plural returns the relationship and body key, e.g. "items".
func (k EntityKind) Plural() string { return entityKinds[k].plural }

// Attrs returns the kind's response attributes, in the order Klaviyo writes
// them. The slice must not be modified.
func (k EntityKind) Attrs() []Attr { return entityKinds[k].attrs }

// Attr returns the attribute of the kind named name.
func (k EntityKind) Attr(name string) (int, Attr, bool) {
	for i, a := range k.Attrs() {
		if a.Name == name {
			return i, a, true
		}
	}
	return 0, Attr{}, false
}

// String returns the type.
func (k EntityKind) String() string { return k.Type() }

// KindOfType returns the entity kind of a JSON:API type.
func KindOfType(typ string) (EntityKind, bool) {
	for k := EntityKind(0); k < NumEntityKinds; k++ {
		if k.Type() == typ {
			return k, true
		}
	}
	return 0, false
}

// Entity is one catalog item, variant or category. Nil pointers (and a nil
// CustomMetadata) are JSON null. Entities held by the store are never
// modified in place: a change replaces the value.
type Entity struct {
	Kind       EntityKind
	ID         string
	ExternalID string
	// Str holds the string attributes, by StrAttr slot.
	Str  [numStrSlots]*string
	Num  [numNumSlots]*float64
	Int  *int // inventory_policy
	Imgs *[]string
	Meta json.RawMessage // custom_metadata, compact JSON
	Pub  *bool           // published
	// Created is hidden for categories (they expose only updated) but
	// orders them.
	Created, Updated time.Time
	// Item is a variant's parent item id (immutable).
	Item string
	// stamp identifies this value (see Job.Stamp); 0 until stored.
	stamp uint64
	// slot is where the store holds the entity, + 1 (0 until stored).
	slot int32
}

// Stamp identifies this value of the entity (see Job.Stamp).
func (e *Entity) Stamp() uint64 { return e.stamp }

// String slots of Entity.Str.
const (
	StrTitle = iota
	StrDescription
	StrURL
	StrImageFullURL
	StrImageThumbnailURL
	StrSKU
	StrName
	numStrSlots
)

// Number slots of Entity.Num.
const (
	NumPrice = iota
	NumInventoryQuantity
	numNumSlots
)

// Title returns the title, or "".
func (e *Entity) Title() string { return deref(e.Str[StrTitle]) }

// Name returns a category's name, or "".
func (e *Entity) Name() string { return deref(e.Str[StrName]) }

// SKU returns a variant's SKU, or "".
func (e *Entity) SKU() string { return deref(e.Str[StrSKU]) }

// Published reports published (nil counts as published, the default).
func (e *Entity) Published() bool { return e.Pub == nil || *e.Pub }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// StrPtr returns a pointer to s.
func StrPtr(s string) *string { return &s }

// SetOf returns the set of the kind's attributes named; it panics on an
// unknown name (for tables and tests).
func (k EntityKind) SetOf(names ...string) AttrSet {
	var s AttrSet
	for _, n := range names {
		i, _, ok := k.Attr(n)
		if !ok {
			panic("store: " + k.Type() + " has no attribute " + n)
		}
		s = s.With(i)
	}
	return s
}
