package resource

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// JobAttr is one attribute of a bulk job: its wire name and how it is
// written.
type JobAttr struct {
	Name string
	// Key is `"<name>":`, escaped once.
	Key    string
	Append func(b []byte, j *store.Job) []byte
}

// JobAttrs are the attributes of every bulk job, in the order Klaviyo
// writes them; job_id is the id itself while the revision has no top-level
// id. Rendering and sparse fieldsets use this one table.
var JobAttrs = withKeys([]JobAttr{
	{"job_id", "", func(b []byte, j *store.Job) []byte { return jsonw.String(b, j.ID) }},
	{"status", "", func(b []byte, j *store.Job) []byte { return jsonw.String(b, j.Status.String()) }},
	{"created_at", "", func(b []byte, j *store.Job) []byte { return jsonw.Time(b, j.CreatedAt) }},
	{"total_count", "", func(b []byte, j *store.Job) []byte { return jsonw.Int(b, j.Total) }},
	{"completed_count", "", func(b []byte, j *store.Job) []byte { return jsonw.Int(b, j.Completed) }},
	{"failed_count", "", func(b []byte, j *store.Job) []byte { return jsonw.Int(b, j.Failed) }},
	{"completed_at", "", func(b []byte, j *store.Job) []byte { return jsonw.Time(b, j.CompletedAt) }},
	{"expires_at", "", func(b []byte, j *store.Job) []byte { return jsonw.Time(b, j.ExpiresAt) }},
	{"errors", "", appendJobErrors},
})

func withKeys(attrs []JobAttr) []JobAttr {
	for i := range attrs {
		attrs[i].Key = string(jsonw.String(nil, attrs[i].Name)) + ":"
	}
	return attrs
}

func appendJobErrors(b []byte, j *store.Job) []byte {
	b = append(b, '[')
	for i := range j.Errors {
		e := &j.Errors[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = jsonw.String(b, e.ID)
		b = append(b, `,"code":`...)
		b = jsonw.String(b, e.Code)
		b = append(b, `,"title":`...)
		b = jsonw.String(b, e.Title)
		b = append(b, `,"detail":`...)
		b = jsonw.String(b, e.Detail)
		b = append(b, `,"source":{"pointer":`...)
		b = jsonw.String(b, e.Pointer)
		b = append(b, "}}"...)
	}
	return append(b, ']')
}

// JobIDField is the index of job_id in JobAttrs.
const JobIDField = 0

func jobFieldNames() []string {
	out := make([]string, len(JobAttrs))
	for i, a := range JobAttrs {
		out[i] = a.Name
	}
	return out
}

// Rate limits of the Catalogs API (docs/klaviyo-behaviour.md §4.2).
var (
	readLimits      = limiter.Limits{Burst: 350, Steady: 3500}
	readLimitsLow   = limiter.Limits{Burst: 75, Steady: 750}
	writeLimits     = limiter.Limits{Burst: 75, Steady: 700}
	writeLimits2026 = limiter.Limits{Burst: 75, Steady: 750}
)

// BulkJob is the template all nine bulk job resources follow
// (docs/klaviyo-behaviour.md §1.5, §8.1): what differs between them is the
// entity, the action, whether GET-one has an include, when their operations
// were renamed and their read limits from 2026-04-15.
func BulkJob(entity *Resource, kind store.JobKind) *Resource {
	a := kind.Action()
	act, plural := a.String(), entity.Entity.Decl.Plural
	r := &Resource{
		Name: "catalog-" + kind.String() + "-jobs", Type: kind.Type(), IDParam: "job_id",
		Collection: store.JobCollection(kind), Fields: jobFieldNames(),
		Job: &JobDef{Kind: kind, Entity: entity, Include: a != store.Delete},
	}
	// Item jobs' reads were renamed with the POSTs; variant and category
	// jobs' reads a revision later.
	getNames, getRenamed := fmt.Sprintf("get_bulk_%s_%s_job", act, plural), "2025-01-15"
	if jobSpec[entity.Type].readsRenamedWithPOST {
		getNames, getRenamed = fmt.Sprintf("get_bulk_%s_catalog_%s_job", act, plural), "2024-10-15"
	}
	lowReads := a != store.Delete && jobSpec[entity.Type].lowReads
	r.rows = []Row{
		{"2022-10-17", func(p *Profile) {
			p.SetOp(OpList, fmt.Sprintf("get_%s_%s_jobs", act, plural), readLimits)
			p.SetOp(OpGet, fmt.Sprintf("get_%s_%s_job", act, plural), readLimits)
			p.SetOp(OpCreate, fmt.Sprintf("spawn_%s_%s_job", act, plural), writeLimits)
			p.Filters = jobFilters
			p.JobIDAttribute = true
			p.RelDataOnRead, p.RelDataOnCreate = true, true
		}},
		{"2023-02-22", func(p *Profile) { p.RelLinks = true }},
		{"2023-07-15", func(p *Profile) { p.BodyWrapped = true }},
		{"2023-12-15", func(p *Profile) {
			p.JobIDAttribute = false
			// Delete jobs' list and GET-one schemas drop relationship data.
			p.RelDataOnRead = a != store.Delete
		}},
		{"2024-05-15", func(p *Profile) { p.RelDataOnRead, p.RelDataOnCreate = false, false }},
		{"2024-10-15", func(p *Profile) { p.SetID(OpCreate, fmt.Sprintf("bulk_%s_catalog_%s", act, plural)) }},
		{getRenamed, func(p *Profile) {
			p.SetID(OpList, getNames+"s")
			p.SetID(OpGet, getNames)
		}},
		{"2026-01-15", func(p *Profile) { p.SetLimits(writeLimits2026, OpCreate) }},
		{"2026-04-15", func(p *Profile) {
			p.IncludedRelationships = true
			if lowReads {
				p.SetLimits(readLimitsLow, OpList, OpGet)
			}
		}},
	}
	r.rows = append(r.rows, bodyRows...)
	return r
}

// jobSpec are the facts that set one entity's bulk jobs apart from the
// others' (docs/klaviyo-behaviour.md §1.5, §4.2): item jobs' reads were
// renamed with their POSTs, a revision before the others'; from 2026-04-15
// the reads of item and variant create and update jobs have lower limits.
var jobSpec = map[string]struct{ readsRenamedWithPOST, lowReads bool }{
	"catalog-item":     {readsRenamedWithPOST: true, lowReads: true},
	"catalog-variant":  {lowReads: true},
	"catalog-category": {},
}

// bodyRows are the request body rules shared by the job elements and the
// entity POST and PATCH bodies, which have the same shape
// (docs/klaviyo-behaviour.md §8.3, §9.2): whether relationships.<x> needs
// data, how a new variant names its item.
var bodyRows = []Row{
	{"2022-10-17", func(p *Profile) { p.BodyRelDataRequired, p.VariantParent = true, ParentItemsArray }},
	{"2023-07-15", func(p *Profile) { p.VariantParent = ParentItemOptional }},
	{"2023-09-15", func(p *Profile) { p.VariantParent = ParentItemRequired }},
	{"2024-05-15", func(p *Profile) { p.BodyRelDataRequired, p.VariantParent = false, ParentItemOptional }},
	{"2025-01-15", func(p *Profile) { p.VariantParent = ParentItemKeyRequired }},
}
