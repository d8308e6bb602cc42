package schema

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

// UpdatableAt reports whether an update at revision date may set the
// attribute (Update, from UpdateSince on when that is set).
func (a *Attr) UpdatableAt(date string) bool {
	return a.Update && (a.UpdateSince == "" || date >= a.UpdateSince)
}

// Constant is a member a create body may send that must have one value and
// is not kept (Klaviyo supports one integration and one catalog).
type Constant struct {
	Name, Value string
}
