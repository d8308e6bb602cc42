// Package revision holds the one table of revision profiles: everything that
// differs between Klaviyo API revisions for this resource (shapes, paths,
// content types, sparse-fieldset names, links, meta, body shapes, payload
// caps, rate limits) lives here as data, so handlers and the renderer ask a
// Profile instead of comparing dates.
package revision

import (
	"time"

	"github.com/klaviyo-mock/mockserver/internal/limiter"
)

// Op names one operation of the resource.
type Op uint8

// The resource's operations.
const (
	OpList Op = iota
	OpGet
	OpCreate
	NumOps
)

// String returns a short, stable operation name (used for rate-limit buckets
// and the request journal).
func (o Op) String() string {
	switch o {
	case OpList:
		return "list"
	case OpGet:
		return "get"
	case OpCreate:
		return "create"
	}
	return "unknown"
}

// Limits are an operation's rate limits: requests per 1-second burst window
// and per 60-second steady window.
type Limits = limiter.Limits

// Operation describes one operation at one revision.
type Operation struct {
	// ID is the spec's operationId at this revision.
	ID string
	// Limits are the spec's x-klaviyo-ratelimit values.
	Limits Limits
}

// Content types served.
const (
	JSON    = "application/json"
	JSONAPI = "application/vnd.api+json"
)

// Profile is everything a handler or renderer needs to know about one
// revision. Profiles are immutable once built.
type Profile struct {
	// Date is the revision, "YYYY-MM-DD".
	Date string
	// Index is the profile's position in the table, oldest first.
	Index int
	// TrailingSlash reports whether the spec's paths end in "/". Both forms
	// are served at every revision (observed); this only documents the spec.
	TrailingSlash bool
	// ContentType is the media type of success responses.
	ContentType string
	// JobIDAttribute: the job id is sent as attributes.job_id and there is no
	// top-level id (up to 2023-10-15).
	JobIDAttribute bool
	// JobFields and ItemFields are the names fields[catalog-item-bulk-update-job]
	// and fields[catalog-item] accept.
	JobFields  FieldSet
	ItemFields FieldSet
	// ItemsLinks: relationships.items carries links {self, related} (2023-02-22+).
	ItemsLinks bool
	// ItemsDataOptional: relationships.items.data may be left out; it is then
	// sent only when include=items asks for the items (2024-05-15+).
	ItemsDataOptional bool
	// DocumentSelfLink: GET-one and POST documents carry top-level links.self
	// (2026-01-15+).
	DocumentSelfLink bool
	// AgentHints: documents carry meta.agent_hints.next_steps (2026-07-15+).
	AgentHints bool
	// ItemVariants: included catalog items carry relationships.variants
	// (2026-04-15+).
	ItemVariants bool
	// CreateFields: POST accepts fields[catalog-item-bulk-update-job] (2026-04-15+).
	CreateFields bool
	// CreateItemsWrapped: the POST body lists items as
	// data.attributes.items.data[] instead of data.attributes.items[] (2023-07-15+).
	CreateItemsWrapped bool
	// CreateNullableAttributes: POST item attributes may be null (2024-02-15+).
	CreateNullableAttributes bool
	// CategoriesDataRequired: a POST item's relationships.categories must carry
	// data (up to 2024-02-15).
	CategoriesDataRequired bool
	// MaxPayload is the POST body cap in bytes.
	MaxPayload int64
	// ModernErrors: error objects carry `links` and `meta` members and
	// pointers without a trailing slash (an Assumption: from 2024-05-15).
	ModernErrors bool
	// Ops describes each operation.
	Ops [NumOps]Operation
}

// Retires returns the day the revision is retired: two years after release.
func (p *Profile) Retires() time.Time {
	return mustDate(p.Date).AddDate(2, 0, 0)
}

const mb = 1 << 20

// change is one row of the revision table: what changes at date, applied on
// top of the previous revision's profile.
type change struct {
	date  string
	apply func(*Profile)
}

var (
	jobFieldsV1 = setOf(JobID, JobStatus, JobCreatedAt, JobTotalCount, JobCompletedCount,
		JobFailedCount, JobCompletedAt, JobExpiresAt, JobErrors)
	itemFieldsV1 = allFields(ItemIDField)
)

// changes is the revision table, oldest first; see FACTS.md section 2.
var changes = []change{
	{"2022-10-17", func(p *Profile) {
		p.TrailingSlash = true
		p.ContentType = JSON
		p.JobIDAttribute = true
		p.JobFields = jobFieldsV1
		p.ItemFields = itemFieldsV1
		p.CategoriesDataRequired = true
		p.MaxPayload = 4 * mb
		p.Ops[OpList] = Operation{"get_update_items_jobs", Limits{Burst: 350, Steady: 3500}}
		p.Ops[OpGet] = Operation{"get_update_items_job", Limits{Burst: 350, Steady: 3500}}
		p.Ops[OpCreate] = Operation{"spawn_update_items_job", Limits{Burst: 75, Steady: 700}}
	}},
	{"2023-01-24", func(p *Profile) {}},
	{"2023-02-22", func(p *Profile) { p.ItemsLinks = true }},
	{"2023-06-15", func(p *Profile) {}},
	{"2023-07-15", func(p *Profile) { p.CreateItemsWrapped = true }},
	{"2023-08-15", func(p *Profile) {}},
	{"2023-09-15", func(p *Profile) {}},
	{"2023-10-15", func(p *Profile) {}},
	{"2023-12-15", func(p *Profile) {
		p.JobIDAttribute = false
		p.JobFields = p.JobFields.Without(JobID)
		p.MaxPayload = 5 * mb
	}},
	{"2024-02-15", func(p *Profile) { p.CreateNullableAttributes = true }},
	{"2024-05-15", func(p *Profile) {
		p.ItemsDataOptional = true
		p.CategoriesDataRequired = false
		p.ModernErrors = true
	}},
	{"2024-06-15", func(p *Profile) {}},
	{"2024-07-15", func(p *Profile) {}},
	{"2024-10-15", func(p *Profile) {
		p.TrailingSlash = false
		p.ContentType = JSONAPI
		p.Ops[OpList].ID = "get_bulk_update_catalog_items_jobs"
		p.Ops[OpGet].ID = "get_bulk_update_catalog_items_job"
		p.Ops[OpCreate].ID = "bulk_update_catalog_items"
	}},
	{"2025-01-15", func(p *Profile) {}},
	{"2025-04-15", func(p *Profile) {}},
	{"2025-07-15", func(p *Profile) {}},
	{"2025-10-15", func(p *Profile) {}},
	{"2026-01-15", func(p *Profile) {
		p.DocumentSelfLink = true
		p.Ops[OpCreate].Limits = Limits{Burst: 75, Steady: 750}
	}},
	{"2026-04-15", func(p *Profile) {
		p.Ops[OpList].Limits = Limits{Burst: 75, Steady: 750}
		p.Ops[OpGet].Limits = Limits{Burst: 75, Steady: 750}
		p.JobFields = p.JobFields.With(JobIDField)
		p.ItemFields = p.ItemFields.With(ItemIDField)
		p.ItemVariants = true
		p.CreateFields = true
	}},
	{"2026-07-15", func(p *Profile) { p.AgentHints = true }},
}

// Table is the ordered list of revision profiles, oldest first.
type Table struct {
	profiles []*Profile
}

// Default returns the table of every revision this emulator serves.
func Default() *Table {
	t := &Table{}
	var cur Profile
	for i, c := range changes {
		c.apply(&cur)
		p := cur
		p.Date = c.date
		p.Index = i
		t.profiles = append(t.profiles, &p)
	}
	return t
}

// All returns the profiles, oldest first. The slice must not be modified.
func (t *Table) All() []*Profile { return t.profiles }

// Oldest returns the first revision of the resource.
func (t *Table) Oldest() *Profile { return t.profiles[0] }

// Newest returns the newest known revision.
func (t *Table) Newest() *Profile { return t.profiles[len(t.profiles)-1] }

// Exact returns the profile whose date is exactly date.
func (t *Table) Exact(date string) (*Profile, bool) {
	for _, p := range t.profiles {
		if p.Date == date {
			return p, true
		}
	}
	return nil, false
}

// AtOrBefore returns the newest profile whose date is on or before date
// ("YYYY-MM-DD"), or false when date is earlier than the first revision.
func (t *Table) AtOrBefore(date string) (*Profile, bool) {
	for i := len(t.profiles) - 1; i >= 0; i-- {
		if t.profiles[i].Date <= date {
			return t.profiles[i], true
		}
	}
	return nil, false
}

func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic("revision: bad date in table: " + s)
	}
	return d
}
