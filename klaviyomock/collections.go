package klaviyomock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Item is a catalog item as SetItems takes it and Items returns it. Its ID
// is derived from ExternalID ("$custom:::$default:::<external_id>"). It
// obeys what a create at the newest revision obeys: Title, Description and
// URL are required; a nil optional field (set one with Ptr) gets what a
// create leaving it out gets (Published true, Images [], CustomMetadata {},
// the image URLs "", Price null); zero times are set to the server clock.
// Items returns null values as nil.
type Item struct {
	ID                string          `json:"id,omitempty"`
	ExternalID        string          `json:"external_id"`
	Title             *string         `json:"title,omitempty"`
	Description       *string         `json:"description,omitempty"`
	Price             *float64        `json:"price,omitempty"`
	URL               *string         `json:"url,omitempty"`
	ImageFullURL      *string         `json:"image_full_url,omitempty"`
	ImageThumbnailURL *string         `json:"image_thumbnail_url,omitempty"`
	Images            *[]string       `json:"images,omitempty"`
	CustomMetadata    json.RawMessage `json:"custom_metadata,omitempty"`
	Published         *bool           `json:"published,omitempty"`
	Created           time.Time       `json:"created,omitzero"`
	Updated           time.Time       `json:"updated,omitzero"`
}

// Variant is a catalog variant; Item is its parent item's id, which must
// exist. As for Item, what a create requires is required (Title,
// Description, SKU, InventoryQuantity, Price, URL and Item), and a nil
// optional field gets the create's default (InventoryPolicy 0, Published
// true, Images [], CustomMetadata {}, the image URLs "").
type Variant struct {
	ID                string          `json:"id,omitempty"`
	ExternalID        string          `json:"external_id"`
	Item              string          `json:"item"`
	Title             *string         `json:"title,omitempty"`
	Description       *string         `json:"description,omitempty"`
	SKU               *string         `json:"sku,omitempty"`
	InventoryPolicy   *int            `json:"inventory_policy,omitempty"`
	InventoryQuantity *float64        `json:"inventory_quantity,omitempty"`
	Price             *float64        `json:"price,omitempty"`
	URL               *string         `json:"url,omitempty"`
	ImageFullURL      *string         `json:"image_full_url,omitempty"`
	ImageThumbnailURL *string         `json:"image_thumbnail_url,omitempty"`
	Images            *[]string       `json:"images,omitempty"`
	CustomMetadata    json.RawMessage `json:"custom_metadata,omitempty"`
	Published         *bool           `json:"published,omitempty"`
	Created           time.Time       `json:"created,omitzero"`
	Updated           time.Time       `json:"updated,omitzero"`
}

// Category is a catalog category; Name is required; Items are the ids of
// the items in it, which must exist.
type Category struct {
	ID         string    `json:"id,omitempty"`
	ExternalID string    `json:"external_id"`
	Name       *string   `json:"name,omitempty"`
	Items      []string  `json:"items"`
	Updated    time.Time `json:"updated,omitzero"`
}

// Empty empties every collection of account key in one call (its catalog,
// every job history, its account record), as PUT /__admin/accounts/{key}
// with {} does; other accounts are untouched, and DELETE
// /__admin/accounts/{key} (or Reset) brings the seeded state back.
func (s *Server) Empty(key string) error {
	return importErr(s.srv.Handler().Admin().ImportAccount(key, accountdoc.AccountState{}, true))
}

// Items returns the catalog items of account key, in id order.
func (s *Server) Items(key string) []Item { return entitiesOf[Item](s, key, collection("items")) }

// SetItems replaces the catalog items of account key with exactly items;
// variants and category memberships of items that are gone go too.
func (s *Server) SetItems(key string, items ...Item) error {
	return setEntities(s, key, collection("items"), items)
}

// Variants returns the catalog variants of account key, in id order.
func (s *Server) Variants(key string) []Variant {
	return entitiesOf[Variant](s, key, collection("variants"))
}

// SetVariants replaces the catalog variants of account key with exactly
// variants.
func (s *Server) SetVariants(key string, variants ...Variant) error {
	return setEntities(s, key, collection("variants"), variants)
}

// Categories returns the catalog categories of account key, in id order.
func (s *Server) Categories(key string) []Category {
	return entitiesOf[Category](s, key, collection("categories"))
}

// SetCategories replaces the catalog categories of account key with
// exactly categories.
func (s *Server) SetCategories(key string, categories ...Category) error {
	return setEntities(s, key, collection("categories"), categories)
}

// collection returns the collection named name (a declared one: the
// package's twins are checked against the declaration by its tests).
func collection(name string) store.Collection {
	c, _ := store.CollectionNamed(name)
	return c
}

// accountKey is the account key names: key itself, or, for a public key
// (six letters and digits, which no API key is), the account answering
// to it, as in the control API's paths.
func (s *Server) accountKey(key string) string {
	if store.ValidPublicKey(key) {
		return s.srv.Store().KeyOfPublicKey(key)
	}
	return key
}

// export decodes collection c of account key into doc.
func (s *Server) export(key string, c store.Collection, doc any) error {
	ex, err := s.srv.Handler().Admin().ExportAccount(s.accountKey(key), c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := accountdoc.WriteJSON(&buf, ex); err != nil {
		return err
	}
	return json.Unmarshal(buf.Bytes(), doc)
}

func entitiesOf[T any](s *Server, key string, c store.Collection) []T {
	var doc map[string]json.RawMessage
	if s.export(key, c, &doc) != nil {
		return nil
	}
	out := []T{}
	_ = json.Unmarshal(doc[c.Name()], &out)
	return out
}

func setEntities[T any](s *Server, key string, c store.Collection, list []T) error {
	raws := make([]json.RawMessage, 0, len(list))
	for _, e := range list {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("klaviyomock: %w", err)
		}
		raws = append(raws, b)
	}
	k, _ := c.Entity()
	return importErr(s.srv.Handler().Admin().ImportAccount(s.accountKey(key), accountdoc.AccountState{Entities: map[store.EntityKind][]json.RawMessage{k: raws}}, false))
}

// Account is the account a key reaches, as GET /api/accounts shows it:
// its id is its public key.
type Account struct {
	ID                 string          `json:"id,omitempty"`
	TestAccount        *bool           `json:"test_account,omitempty"`
	ContactInformation json.RawMessage `json:"contact_information,omitempty"`
	Industry           *string         `json:"industry,omitempty"`
	Timezone           *string         `json:"timezone,omitempty"`
	PreferredCurrency  *string         `json:"preferred_currency,omitempty"`
	PublicAPIKey       *string         `json:"public_api_key,omitempty"`
	Locale             *string         `json:"locale,omitempty"`
}

// Account returns the account of key (GET /api/accounts as that key sees
// it), and whether it could be read.
func (s *Server) Account(key string) (Account, bool) {
	list := entitiesOf[Account](s, key, collection("accounts"))
	if len(list) != 1 {
		return Account{}, false
	}
	return list[0], true
}

// PublicKey returns the public key account key answers to: the
// company_id a storefront sends to /client endpoints.
func (s *Server) PublicKey(key string) string { return s.srv.Store().PublicKeyOf(key) }

// BindPublicKey makes account key answer to public (six letters and
// digits, a storefront's production public key say) instead of its own.
func (s *Server) BindPublicKey(key, public string) error {
	if !store.ValidPublicKey(public) {
		return fmt.Errorf("klaviyomock: %q is not a public key: use six letters and digits", public)
	}
	if err := s.srv.Store().BindPublicKey(key, public); err != nil {
		return fmt.Errorf("klaviyomock: binding %s: %w", public, err)
	}
	return nil
}
