// Package revision holds the table of API-wide revision profiles: what
// differs between Klaviyo API revisions for every resource alike (content
// type, trailing slash, error members, document links and meta, payload
// caps, what sparse fieldsets and bodies accept), as data, so handlers and
// the renderer ask a Profile instead of comparing dates. Each resource's own
// per-revision facts are rows of its definition (package resource), applied
// on top of these profiles.
package revision

import (
	"time"
)

// Content types served.
const (
	JSON    = "application/json"
	JSONAPI = "application/vnd.api+json"
)

// Profile is what one revision says for every resource. Profiles are
// immutable once built.
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
	// DocumentSelfLink: GET-one and write documents carry top-level
	// links.self (2026-01-15+).
	DocumentSelfLink bool
	// AgentHints: documents carry meta.agent_hints.next_steps (2026-07-15+).
	AgentHints bool
	// FieldsAcceptID: fields[...] accepts "id" (2026-04-15+).
	FieldsAcceptID bool
	// WriteFields: POST (and PATCH) accept fields[<own type>] (2026-04-15+).
	WriteFields bool
	// NullableBodyAttributes: optional body attributes may be null
	// (2024-02-15+).
	NullableBodyAttributes bool
	// MaxPayload is the request body cap in bytes.
	MaxPayload int64
	// ModernErrors: error objects carry `links` and `meta` members and
	// pointers without a trailing slash (an Assumption: from 2024-05-15).
	ModernErrors bool

	// released is the Unix second the revision's date starts (00:00 UTC).
	released int64
}

// releasedAfter reports whether the revision's date is after today's
// (UTC): whether its first second is after today, which reads no calendar
// date from today. Resolve's slow path compares the dates as text; the two
// agree (TestReleasedAfter_IsTheDateComparison).
func (p *Profile) releasedAfter(today time.Time) bool { return p.released > today.Unix() }

// Retires returns the day the revision is retired: two years after release.
func (p *Profile) Retires() time.Time {
	return time.Unix(p.released, 0).UTC().AddDate(2, 0, 0)
}

const mb = 1 << 20

// change is one row of the revision table: what changes at date, applied on
// top of the previous revision's profile.
type change struct {
	date  string
	apply func(*Profile)
}

// changes is the revision table, oldest first; see docs/klaviyo-behaviour.md
// §1.4 (API-wide changes) and §1.5 (bulk job resources).
var changes = []change{
	{"2022-10-17", func(p *Profile) {
		p.TrailingSlash = true
		p.ContentType = JSON
		p.MaxPayload = 4 * mb
	}},
	{"2023-01-24", func(p *Profile) {}},
	{"2023-02-22", func(p *Profile) {}},
	{"2023-06-15", func(p *Profile) {}},
	{"2023-07-15", func(p *Profile) {}},
	{"2023-08-15", func(p *Profile) {}},
	{"2023-09-15", func(p *Profile) {}},
	{"2023-10-15", func(p *Profile) {}},
	{"2023-12-15", func(p *Profile) { p.MaxPayload = 5 * mb }},
	{"2024-02-15", func(p *Profile) { p.NullableBodyAttributes = true }},
	{"2024-05-15", func(p *Profile) { p.ModernErrors = true }},
	{"2024-06-15", func(p *Profile) {}},
	{"2024-07-15", func(p *Profile) {}},
	{"2024-10-15", func(p *Profile) {
		p.TrailingSlash = false
		p.ContentType = JSONAPI
	}},
	{"2025-01-15", func(p *Profile) {}},
	{"2025-04-15", func(p *Profile) {}},
	{"2025-07-15", func(p *Profile) {}},
	{"2025-10-15", func(p *Profile) {}},
	{"2026-01-15", func(p *Profile) { p.DocumentSelfLink = true }},
	{"2026-04-15", func(p *Profile) {
		p.FieldsAcceptID = true
		p.WriteFields = true
	}},
	{"2026-07-15", func(p *Profile) { p.AgentHints = true }},
}

// Table is the ordered list of revision profiles, oldest first.
type Table struct {
	profiles []*Profile
	// byDate finds a profile by its date in one look-up, for Exact.
	byDate map[string]*Profile
}

// Default returns the table of every revision this emulator serves.
func Default() *Table {
	t := &Table{byDate: make(map[string]*Profile, len(changes))}
	var cur Profile
	for i, c := range changes {
		c.apply(&cur)
		p := cur
		p.Date = c.date
		p.Index = i
		p.released = mustDate(c.date).Unix()
		t.profiles = append(t.profiles, &p)
		t.byDate[p.Date] = &p
	}
	return t
}

// All returns the profiles, oldest first. The slice must not be modified.
func (t *Table) All() []*Profile { return t.profiles }

// Oldest returns the first revision of the resource.
func (t *Table) Oldest() *Profile { return t.profiles[0] }

// Newest returns the newest known revision.
func (t *Table) Newest() *Profile { return t.profiles[len(t.profiles)-1] }

// Exact returns the profile whose date is exactly date: the newest, the
// revision most requests name, by one comparison (cheaper than hashing
// the value), any other by one look-up.
func (t *Table) Exact(date string) (*Profile, bool) {
	if p := t.Newest(); p.Date == date {
		return p, true
	}
	p, ok := t.byDate[date]
	return p, ok
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
