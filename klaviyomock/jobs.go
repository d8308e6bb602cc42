package klaviyomock

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// JobKind names one of the nine bulk job collections: a kind of job
// (create, update or delete) of a kind of entity (items, variants or
// categories). Every kind is served, seeded, read (JobsOf) and set
// (SetJobsOf) alike.
type JobKind string

// JobKinds returns the nine job kinds, in the catalog declaration's order
// (each entity's create, update and delete jobs).
func JobKinds() []JobKind {
	kinds := store.JobKinds()
	out := make([]JobKind, len(kinds))
	for i, k := range kinds {
		out[i] = JobKind(store.JobCollection(k).Name())
	}
	return out
}

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

// Jobs is JobsOf(key, ItemUpdateJobs), kept from when item update jobs
// were the only kind; JobsOf reads any of the nine kinds.
func (s *Server) Jobs(key string) []Job { return s.JobsOf(key, ItemUpdateJobs) }

// SetJobs is SetJobsOf(key, ItemUpdateJobs, jobs...), kept from when item
// update jobs were the only kind (its problems name the collection "jobs",
// its original name); SetJobsOf sets any of the nine kinds.
func (s *Server) SetJobs(key string, jobs ...Job) error {
	return s.setJobs(key, ItemUpdateJobs, "jobs", jobs)
}

// JobsOf returns the jobs of one kind (see JobKinds) of account key (an
// API key such as "pk_…", "bearer:" + an OAuth token, or the account's
// public key), in id order: seeded history and the jobs requests created.
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
