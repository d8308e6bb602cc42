package store

import (
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
)

// JobValues are the values of a supplied job (the control API's, the Go
// package's or the state file's) before they are made a Job, for CheckJob:
// a time that is null is nil.
type JobValues struct {
	Status                   Status
	CreatedAt                time.Time
	CompletedAt, ExpiresAt   *time.Time
	Total, Completed, Failed int
	// Errors is the number of errors it lists.
	Errors int
	// IDs are its element ids.
	IDs []string
	// Pending reports that it comes with remaining work.
	Pending bool
}

// JobField is the value of a supplied job a Violation is about.
type JobField uint8

// The values of a job rules are about.
const (
	FieldStatus JobField = iota
	FieldCreatedAt
	FieldCompletedAt
	FieldExpiresAt
	FieldTotal
	FieldCompleted
	// FieldIDs: the element ids (Violation.Index: one of them).
	FieldIDs
	FieldErrors
	// FieldPending: the remaining work.
	FieldPending
)

// Violation is a rule a supplied job breaks: the value it is about (Index
// is the position of the one element of a list it is about, -1 when it is
// about the value as a whole) and why. Where a document holds the value is
// the document's business.
type Violation struct {
	Field  JobField
	Index  int
	Detail string
}

// Bounds of the timestamps a supplied job may carry: every RFC 3339 year
// from 1970, so anything the server derives from its clock (which stops at
// 9000-01-01) round-trips through the state file: a job completing a day
// after the clock's last instant, expiring 30 days later.
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// jobCheck collects the violations of one job.
type jobCheck struct {
	v     *JobValues
	found []Violation
}

func (c *jobCheck) fail(f JobField, index int, format string, args ...any) {
	c.found = append(c.found, Violation{f, index, fmt.Sprintf(format, args...)})
}

// CheckJob checks that a supplied job's counts, errors, ids and
// timestamps agree with its status, as Klaviyo's jobs do, and returns every
// rule it breaks, in order.
func CheckJob(v *JobValues) []Violation {
	c := &jobCheck{v: v}
	c.times()
	c.counts()
	c.status()
	if v.Pending && !v.Status.InProgress() {
		c.fail(FieldPending, -1, "Only a queued or processing job can be pending.")
	}
	return c.found
}

// times checks that the times are in range, and created_at is given.
func (c *jobCheck) times() {
	for _, t := range []struct {
		field JobField
		name  string
		at    *time.Time
	}{{FieldCreatedAt, "created_at", &c.v.CreatedAt}, {FieldCompletedAt, "completed_at", c.v.CompletedAt}, {FieldExpiresAt, "expires_at", c.v.ExpiresAt}} {
		if t.at != nil && (t.at.Before(minTime) || !t.at.Before(maxTime)) {
			c.fail(t.field, -1, "%s must be between 1970-01-01 and 9999-12-31.", t.name)
		}
	}
	if c.v.CreatedAt.IsZero() {
		c.fail(FieldCreatedAt, -1, "created_at is required.")
	}
}

// counts checks the counts against each other, the ids and the errors.
func (c *jobCheck) counts() {
	v := c.v
	switch done := v.Completed + v.Failed; {
	case v.Total < 1 || v.Total > MaxJobElements:
		c.fail(FieldTotal, -1, "total_count must be between 1 and %d.", MaxJobElements)
	case v.Completed < 0 || v.Failed < 0 || done > v.Total:
		c.fail(FieldCompleted, -1, "Counts must be non-negative with completed_count + failed_count <= total_count.")
	}
	if len(v.IDs) != v.Total {
		c.fail(FieldIDs, -1, "A job has one id per operation: %d ids for total_count %d.", len(v.IDs), v.Total)
	}
	for k, id := range v.IDs {
		if !ValidEntityID(id) {
			c.fail(FieldIDs, k, "'%s' is not a catalog id ('%s<external_id>').", id, IDPrefix)
		}
	}
	if v.Errors != v.Failed {
		c.fail(FieldErrors, -1, "A job has one error per failed operation: %d errors for failed_count %d.", v.Errors, v.Failed)
	}
}

// status checks the progress and times against the status.
func (c *jobCheck) status() {
	v := c.v
	done, finished := v.Completed+v.Failed, v.CompletedAt != nil
	switch v.Status {
	case Queued:
		if done != 0 || finished || v.ExpiresAt != nil {
			c.fail(FieldStatus, -1, "A queued job has no progress, completed_at or expires_at.")
		}
	case Processing, Cancelled:
		if done == v.Total || finished || v.ExpiresAt != nil {
			c.fail(FieldStatus, -1, "A %s job has completed_count + failed_count < total_count and no completed_at or expires_at.", v.Status)
		}
	case Complete:
		switch {
		case done != v.Total:
			c.fail(FieldCompleted, -1, "A complete job's completed_count + failed_count must equal total_count.")
		case !finished:
			c.fail(FieldCompletedAt, -1, "A complete job needs completed_at.")
		case v.CompletedAt.Before(v.CreatedAt):
			c.fail(FieldCompletedAt, -1, "completed_at is before created_at.")
		case v.ExpiresAt != nil && v.ExpiresAt.Before(*v.CompletedAt):
			c.fail(FieldExpiresAt, -1, "expires_at is before completed_at.")
		}
	}
}

// maxIDTime is the latest ULID time a supplied job id may carry (the end of
// year 9999), so created ids can always be made larger.
const maxIDTime = 253402300799999

// ValidJobID accepts 26-character ULIDs (Crockford base32) up to year
// 9999, so supplied jobs sort with created ones.
func ValidJobID(id string) bool {
	if u, err := ulid.ParseStrict(id); err != nil || u.Time() > maxIDTime {
		return false
	}
	if len(id) != 26 || id[0] > '7' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U') {
			return false
		}
	}
	return true
}
