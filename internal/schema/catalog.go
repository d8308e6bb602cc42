package schema

// The catalog as Klaviyo's Catalogs API has it: items, their variants,
// categories holding items, and a bulk job to create, update and delete
// each (docs/klaviyo-behaviour.md §8, §9). What a create leaves out gets
// Klaviyo's observed defaults (§9.4).

// media are the attributes items and variants share after their own: the
// images, the metadata and whether the product is published.
func media() []Attr {
	return []Attr{
		{Name: "image_full_url", Type: String, Create: Optional, Update: true, Default: Empty, Local: true},
		{Name: "image_thumbnail_url", Type: String, Create: Optional, Update: true, Default: Empty, Local: true},
		{Name: "images", Type: Strings, Create: Optional, Update: true, Default: Empty, Local: true},
		{Name: "custom_metadata", Type: Object, Create: Optional, Update: true, Default: Empty, MaxBytes: MaxCustomMetadata},
		{Name: "published", Type: Bool, Create: Optional, Update: true, Default: True},
	}
}

// MaxCustomMetadata is the largest custom_metadata accepted (Klaviyo: "May
// not exceed 100kb").
const MaxCustomMetadata = 100 * 1024

// times are the server-set times an entity shows.
func times(created bool) []Attr {
	out := []Attr{{Name: "updated", Type: DateTime, Role: Updated}}
	if created {
		out = append([]Attr{{Name: "created", Type: DateTime, Role: Created}}, out...)
	}
	return out
}

func attrs(groups ...[]Attr) []Attr {
	var out []Attr
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// catalogIDs are the create-only members of every catalog entity.
var catalogIDs = []Constant{{"integration_type", "$custom"}, {"catalog_type", "$default"}}

func externalID() Attr {
	return Attr{Name: "external_id", Type: String, Role: ExternalID, Create: Required}
}

// Item declares catalog items.
func Item() *Entity {
	return &Entity{
		Type: "catalog-item", Path: "catalog-items", Plural: "items", Singular: "item",
		Attrs: attrs([]Attr{
			externalID(),
			{Name: "title", Type: String, Create: Required, Update: true},
			{Name: "description", Type: String, Create: Required, Update: true},
			{Name: "price", Type: Number, Create: Optional, Update: true},
			{Name: "url", Type: String, Create: Required, Update: true},
		}, media(), times(true)),
		Constants: catalogIDs,
		Relations: []Relation{
			{Name: "variants", Kind: Children, Target: "catalog-variant", Inverse: "item", Endpoints: true},
			{Name: "categories", Kind: Members, Target: "catalog-category", Inverse: "items", Body: true,
				Endpoints: true, Writable: true, Filter: "category"},
		},
		Shows:    "variants",
		Includes: []string{"variants"},
		Filters: []Filter{{FilterIDs, "ids"}, {FilterRelated, "categories"}, {FilterContains, "title"},
			{FilterEquals, "published"}},
		Ops:    OpsAll,
		Seeded: 200,
	}
}

// Variant declares catalog variants: each belongs to one item.
func Variant() *Entity {
	return &Entity{
		Type: "catalog-variant", Path: "catalog-variants", Plural: "variants", Singular: "variant",
		Attrs: attrs([]Attr{
			externalID(),
			{Name: "title", Type: String, Create: Required, Update: true},
			{Name: "description", Type: String, Create: Required, Update: true},
			{Name: "sku", Type: String, Create: Required, Update: true, UpdateSince: "2023-02-22"},
			{Name: "inventory_policy", Type: Integer, Create: Optional, Update: true, Default: Zero, Min: 0, Max: 2},
			{Name: "inventory_quantity", Type: Number, Create: Required, Update: true},
			{Name: "price", Type: Number, Create: Required, Update: true},
			{Name: "url", Type: String, Create: Required, Update: true},
		}, media(), times(true)),
		Constants: catalogIDs,
		Relations: []Relation{
			{Name: "item", Kind: Parent, Target: "catalog-item", Inverse: "variants", Filter: "item"},
		},
		Shows: "item",
		Filters: []Filter{{FilterIDs, "ids"}, {FilterRelated, "item"}, {FilterEquals, "sku"},
			{FilterContains, "title"}, {FilterEquals, "published"}},
		Ops:    OpsAll,
		Seeded: 300,
	}
}

// Category declares catalog categories: each holds items (and shows only
// when it was updated, though its creation time orders it).
func Category() *Entity {
	return &Entity{
		Type: "catalog-category", Path: "catalog-categories", Plural: "categories", Singular: "category",
		Attrs: attrs([]Attr{
			externalID(),
			{Name: "name", Type: String, Create: Required, Update: true},
		}, times(false)),
		Constants: catalogIDs,
		Relations: []Relation{
			{Name: "items", Kind: Members, Target: "catalog-item", Inverse: "categories", Body: true,
				Endpoints: true, Writable: true, Touches: true, Large: true, Filter: "item"},
		},
		Shows:   "items",
		Filters: []Filter{{FilterIDs, "ids"}, {FilterRelated, "items"}, {FilterContains, "name"}},
		Ops:     OpsAll,
		Seeded:  20,
	}
}

// Account declares the account a key reaches (GET /api/accounts): one per
// account, its id the account's public key (docs/klaviyo-behaviour.md
// §10.5).
func Account() *Entity {
	return &Entity{
		Type: "account", Path: "accounts", Plural: "accounts", Singular: "account",
		ID: IDAccount,
		Attrs: []Attr{
			{Name: "test_account", Type: Bool, Since: "2024-02-15"},
			{Name: "contact_information", Type: Object, Members: []string{"default_sender_name", "default_sender_email",
				"website_url", "organization_name", "street_address", "street_address.address1", "street_address.address2",
				"street_address.city", "street_address.region", "street_address.country", "street_address.zip"}},
			{Name: "industry", Type: String},
			{Name: "timezone", Type: String},
			{Name: "preferred_currency", Type: String},
			{Name: "public_api_key", Type: String, Role: PublicKey},
			{Name: "locale", Type: String, Since: "2024-05-15"},
		},
		Ops:    OpList | OpGet,
		Seeded: 1,
	}
}

// Declared builds the emulator's catalog: the entity types and, for the
// catalog's, a bulk job to create, update and delete them.
func Declared() *Catalog {
	item, variant, category := Item(), Variant(), Category()
	entities := []*Entity{item, variant, category, Account(), BackInStockSubscription(), BackInStockNotification()}
	return Declare(entities, []JobKind{
		{Entity: item, Action: Create}, {Entity: item, Action: Update}, {Entity: item, Action: Delete},
		{Entity: variant, Action: Create}, {Entity: variant, Action: Update}, {Entity: variant, Action: Delete},
		{Entity: category, Action: Create}, {Entity: category, Action: Update}, {Entity: category, Action: Delete},
	})
}

// defaultCatalog is the catalog every layer reads; it is never changed
// after it is built.
var defaultCatalog = Declared()

// Default returns the emulator's catalog.
func Default() *Catalog { return defaultCatalog }
