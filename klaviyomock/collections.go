package klaviyomock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// JobKind names one of the nine bulk job collections.
type JobKind string

// The bulk job collections, named as in the control API.
const (
	ItemCreateJobs     JobKind = "item-bulk-create-jobs"
	ItemUpdateJobs     JobKind = "item-bulk-update-jobs"
	ItemDeleteJobs     JobKind = "item-bulk-delete-jobs"
	VariantCreateJobs  JobKind = "variant-bulk-create-jobs"
	VariantUpdateJobs  JobKind = "variant-bulk-update-jobs"
	VariantDeleteJobs  JobKind = "variant-bulk-delete-jobs"
	CategoryCreateJobs JobKind = "category-bulk-create-jobs"
	CategoryUpdateJobs JobKind = "category-bulk-update-jobs"
	CategoryDeleteJobs JobKind = "category-bulk-delete-jobs"
)

// Job is a bulk job as SetJobsOf takes it and JobsOf returns it: history,
// in Klaviyo's terms (counts, errors and timestamps must agree with the
// status; see docs/control-api.md).
type Job struct {
	// ID is a 26-character ULID.
	ID             string
	Status         string // queued, processing, complete or cancelled
	CreatedAt      time.Time
	CompletedAt    *time.Time
	ExpiresAt      *time.Time
	TotalCount     int
	CompletedCount int
	FailedCount    int
	Errors         []JobError
	// IDs are the ids of the job's elements, one per operation: the
	// items, variants or categories it creates, updates or deletes.
	IDs []string
}

// JobError is one entry of a job's errors: an element it could not apply.
type JobError struct {
	ID, Code, Title, Detail, Pointer string
}

// Item is a catalog item as SetItems takes it and Items returns it. Its ID
// is derived from ExternalID ("$custom:::$default:::<external_id>"); nil
// pointers are null; zero times are set to the server clock.
type Item struct {
	ID                string          `json:"id,omitempty"`
	ExternalID        string          `json:"external_id"`
	Title             *string         `json:"title"`
	Description       *string         `json:"description"`
	Price             *float64        `json:"price"`
	URL               *string         `json:"url"`
	ImageFullURL      *string         `json:"image_full_url"`
	ImageThumbnailURL *string         `json:"image_thumbnail_url"`
	Images            *[]string       `json:"images"`
	CustomMetadata    json.RawMessage `json:"custom_metadata,omitempty"`
	Published         *bool           `json:"published"`
	Created           time.Time       `json:"created,omitzero"`
	Updated           time.Time       `json:"updated,omitzero"`
}

// Variant is a catalog variant; Item is its parent item's id, which must
// exist.
type Variant struct {
	ID                string          `json:"id,omitempty"`
	ExternalID        string          `json:"external_id"`
	Item              string          `json:"item"`
	Title             *string         `json:"title"`
	Description       *string         `json:"description"`
	SKU               *string         `json:"sku"`
	InventoryPolicy   *int            `json:"inventory_policy"`
	InventoryQuantity *float64        `json:"inventory_quantity"`
	Price             *float64        `json:"price"`
	URL               *string         `json:"url"`
	ImageFullURL      *string         `json:"image_full_url"`
	ImageThumbnailURL *string         `json:"image_thumbnail_url"`
	Images            *[]string       `json:"images"`
	CustomMetadata    json.RawMessage `json:"custom_metadata,omitempty"`
	Published         *bool           `json:"published"`
	Created           time.Time       `json:"created,omitzero"`
	Updated           time.Time       `json:"updated,omitzero"`
}

// Category is a catalog category; Items are the ids of the items in it,
// which must exist.
type Category struct {
	ID         string    `json:"id,omitempty"`
	ExternalID string    `json:"external_id"`
	Name       *string   `json:"name"`
	Items      []string  `json:"items"`
	Updated    time.Time `json:"updated,omitzero"`
}

// Jobs returns the item update jobs of account key (an API key such as
// "pk_…", or "bearer:" + an OAuth token), in id order.
func (s *Server) Jobs(key string) []Job { return s.JobsOf(key, ItemUpdateJobs) }

// SetJobs replaces the item update jobs of account key with exactly jobs,
// as history. Nothing changes if any job is invalid.
func (s *Server) SetJobs(key string, jobs ...Job) error {
	return s.setJobs(key, ItemUpdateJobs, "jobs", jobs)
}

// JobsOf returns the jobs of one kind of account key, in id order.
func (s *Server) JobsOf(key string, kind JobKind) []Job {
	c, ok := store.CollectionNamed(string(kind))
	if !ok {
		return nil
	}
	var doc map[string]json.RawMessage
	var states []accountdoc.JobState
	if s.export(key, c, &doc) != nil || json.Unmarshal(doc[c.Name()], &states) != nil {
		return nil
	}
	k, _ := c.IsJobs()
	out := make([]Job, 0, len(states))
	for _, js := range states {
		j := Job{ID: js.ID, Status: js.Status, CreatedAt: js.CreatedAt, CompletedAt: js.CompletedAt, ExpiresAt: js.ExpiresAt,
			TotalCount: js.TotalCount, CompletedCount: js.CompletedCount, FailedCount: js.FailedCount}
		j.IDs = js.IDsOf(k)
		for _, e := range js.Errors {
			j.Errors = append(j.Errors, JobError(e))
		}
		out = append(out, j)
	}
	return out
}

// SetJobsOf replaces the jobs of one kind of account key with exactly
// jobs, as history. Nothing changes if any job is invalid.
func (s *Server) SetJobsOf(key string, kind JobKind, jobs ...Job) error {
	return s.setJobs(key, kind, string(kind), jobs)
}

// setJobs replaces a job collection; name is what problems call it.
func (s *Server) setJobs(key string, kind JobKind, name string, jobs []Job) error {
	c, ok := store.CollectionNamed(string(kind))
	k, isJobs := c.IsJobs()
	if !ok || !isJobs {
		return fmt.Errorf("klaviyomock: %q is not a job kind", kind)
	}
	states := make([]accountdoc.JobState, 0, len(jobs))
	for _, j := range jobs {
		js := accountdoc.JobState{ID: j.ID, Status: j.Status, CreatedAt: j.CreatedAt, CompletedAt: j.CompletedAt, ExpiresAt: j.ExpiresAt,
			TotalCount: j.TotalCount, CompletedCount: j.CompletedCount, FailedCount: j.FailedCount, Errors: []accountdoc.JobError{}}
		js.SetIDs(k, j.IDs)
		for _, e := range j.Errors {
			js.Errors = append(js.Errors, accountdoc.JobError(e))
		}
		states = append(states, js)
	}
	st := accountdoc.AccountState{Jobs: map[store.JobKind][]accountdoc.JobState{k: states}}
	st.Name(c, name)
	return importErr(s.srv.Handler().Admin().ImportAccount(s.accountKey(key), st, false))
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
	TestAccount        *bool           `json:"test_account"`
	ContactInformation json.RawMessage `json:"contact_information,omitempty"`
	Industry           *string         `json:"industry"`
	Timezone           *string         `json:"timezone"`
	PreferredCurrency  *string         `json:"preferred_currency"`
	PublicAPIKey       *string         `json:"public_api_key"`
	Locale             *string         `json:"locale"`
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
