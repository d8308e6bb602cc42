package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// JobState is a job as the control API, the Go package and the state file
// exchange it. Times are RFC 3339; a zero time is null. The element ids go
// under the job's relationship key: the plural of its entity (items,
// variants or categories).
type JobState struct {
	ID             string     `json:"id"`
	Status         string     `json:"status"`
	CreatedAt      time.Time  `json:"created_at"`
	CompletedAt    *time.Time `json:"completed_at"`
	ExpiresAt      *time.Time `json:"expires_at"`
	TotalCount     int        `json:"total_count"`
	CompletedCount int        `json:"completed_count"`
	FailedCount    int        `json:"failed_count"`
	Errors         []JobError `json:"errors"`
	// IDs are the element ids by the key a document listed them under: a
	// job's own is its entity's plural; validation refuses any other.
	IDs map[string][]string `json:"-"`
	// Pending is the unprocessed part of a job created through the API and
	// still in progress; it is exported and restored by the state file, and
	// refused in jobs a test supplies.
	Pending *PendingState `json:"pending,omitempty"`
}

// ids returns the element ids under the kind's key, and another key used
// instead, if any.
func (s *JobState) ids(k JobKind) ([]string, string) {
	want := k.Entity().Plural()
	for _, e := range catalogSchema.Entities() {
		if l := s.IDs[e.Plural]; e.Plural != want && l != nil {
			return nil, e.Plural
		}
	}
	return s.IDs[want], ""
}

// SetIDs lists the element ids under kind k's key.
func (s *JobState) SetIDs(k JobKind, ids []string) {
	s.IDs = map[string][]string{k.Entity().Plural(): ids}
}

// IDsOf returns the element ids listed under kind k's key.
func (s *JobState) IDsOf(k JobKind) []string { return s.IDs[k.Entity().Plural()] }

// jobStateWire is JobState's JSON form: its members, with one list of ids
// per declared entity kind (items, variants, categories) before pending,
// made once from the declaration so that the documents' members and their
// order, and strict decoding, are encoding/json's.
var jobStateWire = func() reflect.Type {
	base := reflect.TypeOf(JobState{})
	var fields []reflect.StructField
	for i := range base.NumField() {
		f := base.Field(i)
		if f.Name == "IDs" {
			for _, e := range catalogSchema.Entities() {
				fields = append(fields, reflect.StructField{Name: "IDs_" + strings.ReplaceAll(e.Plural, "-", "_"),
					Type: reflect.TypeOf([]string(nil)), Tag: reflect.StructTag(`json:"` + e.Plural + `,omitempty"`)})
			}
			continue
		}
		fields = append(fields, f)
	}
	return reflect.StructOf(fields)
}()

// MarshalJSON writes the job with its ids under their keys.
func (s JobState) MarshalJSON() ([]byte, error) {
	w := reflect.New(jobStateWire).Elem()
	src := reflect.ValueOf(s)
	for i := range w.NumField() {
		f := jobStateWire.Field(i)
		if plural, ok := strings.CutPrefix(f.Name, "IDs_"); ok {
			w.Field(i).Set(reflect.ValueOf(s.IDs[pluralOfField(plural)]))
			continue
		}
		w.Field(i).Set(src.FieldByName(f.Name))
	}
	return json.Marshal(w.Interface())
}

// UnmarshalJSON reads a job strictly: unknown members are errors.
func (s *JobState) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	w := reflect.New(jobStateWire)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(w.Interface()); err != nil {
		return err
	}
	w = w.Elem()
	dst := reflect.ValueOf(s).Elem()
	s.IDs = nil
	for i := range w.NumField() {
		f := jobStateWire.Field(i)
		if plural, ok := strings.CutPrefix(f.Name, "IDs_"); ok {
			if l := w.Field(i).Interface().([]string); l != nil {
				if s.IDs == nil {
					s.IDs = map[string][]string{}
				}
				s.IDs[pluralOfField(plural)] = l
			}
			continue
		}
		dst.FieldByName(f.Name).Set(w.Field(i))
	}
	return nil
}

// pluralOfField is the plural a wire field's name carries.
func pluralOfField(name string) string {
	for _, e := range catalogSchema.Entities() {
		if strings.ReplaceAll(e.Plural, "-", "_") == name {
			return e.Plural
		}
	}
	return name
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// State exports a job. For a job still in progress, the caller must hold
// the account's lock.
func (j *Job) State() JobState {
	s := JobState{
		ID: j.ID, Status: j.Status.String(), CreatedAt: j.CreatedAt,
		CompletedAt: optTime(j.CompletedAt), ExpiresAt: optTime(j.ExpiresAt),
		TotalCount: j.Total, CompletedCount: j.Completed, FailedCount: j.Failed,
		Errors: slices.Clone(j.Errors),
	}
	s.SetIDs(j.Kind, slices.Clone(j.IDs))
	if s.Errors == nil {
		s.Errors = []JobError{}
	}
	if w := j.work; w != nil {
		p := &PendingState{Start: w.start, Pointer: w.pointer, Processed: w.processed, Polls: w.polls, LastPoll: w.lastPoll}
		ek := j.Kind.Entity()
		for i := range w.elements {
			el := &w.elements[i]
			es := ElementState{ID: el.ID, Related: el.Related, HasRelated: el.HasRelated, ParentAt: el.ParentAt}
			if el.Set != 0 { // a delete, or an update of nothing, has no values
				es.Values = AppendEntityState(nil, &el.Values, el.Set)
			}
			for k, a := range ek.Attrs() {
				if el.Set.Has(k) {
					es.Set = append(es.Set, a.Name)
				}
			}
			p.Elements = append(p.Elements, es)
		}
		s.Pending = p
	}
	return s
}

// Problem is one thing wrong with supplied state, at a JSON pointer.
type Problem struct {
	Pointer string
	Detail  string
}

// Error returns the pointer and the detail.
func (p Problem) Error() string { return p.Pointer + ": " + p.Detail }

// JobsFromState validates and converts supplied jobs of a kind (base is
// the JSON pointer of the array). allowPending admits in-progress created
// jobs (the state file); jobs a test supplies are history.
func JobsFromState(kind JobKind, states []JobState, base string, allowPending bool) ([]*Job, []Problem) {
	var probs []Problem
	fail := func(i int, member, format string, args ...any) {
		probs = append(probs, Problem{fmt.Sprintf("%s/%d%s", base, i, member), fmt.Sprintf(format, args...)})
	}
	jobs := make([]*Job, 0, len(states))
	seen := make(map[string]bool, len(states))
	for i := range states {
		s := &states[i]
		before := len(probs)
		st, ok := ParseStatus(s.Status)
		if !ok {
			fail(i, "/status", "'%s' is not a valid status; use queued, processing, complete or cancelled.", s.Status)
		}
		if !validJobID(s.ID) {
			fail(i, "/id", "'%s' is not a valid job id: use a 26-character ULID such as 01GSQPBF74KQ5YTDEPP41T1BZH.", s.ID)
		} else if seen[s.ID] {
			fail(i, "/id", "Job id %s appears twice.", s.ID)
		}
		seen[s.ID] = true
		ids, other := s.ids(kind)
		if other != "" {
			fail(i, "/"+other, "A %s job lists its ids under '%s'.", kind, kind.Entity().Plural())
		}
		if ok && other == "" {
			for _, pr := range consistency(kind, s, ids, st) {
				fail(i, pr.Pointer, "%s", pr.Detail)
			}
		}
		if s.Pending != nil && !allowPending {
			fail(i, "/pending", "Jobs set through the control API are history and cannot be pending; create jobs with POST to watch them progress.")
		}
		if len(probs) > before {
			continue
		}
		j := &Job{
			ID: s.ID, Kind: kind, Status: st, CreatedAt: s.CreatedAt.UTC(), CompletedAt: derefTime(s.CompletedAt),
			ExpiresAt: derefTime(s.ExpiresAt), Total: s.TotalCount, Completed: s.CompletedCount,
			Failed: s.FailedCount, Errors: slices.Clone(s.Errors), IDs: slices.Clone(ids),
		}
		if j.Errors == nil {
			j.Errors = []JobError{}
		}
		if s.Pending != nil {
			w, pp := pendingWork(kind, s, ids)
			for _, pr := range pp {
				fail(i, pr.Pointer, "%s", pr.Detail)
			}
			if len(pp) > 0 {
				continue
			}
			j.work = w
		}
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(a, b *Job) int { return strings.Compare(a.ID, b.ID) })
	return jobs, probs
}

// Bounds of the timestamps supplied state may carry: every RFC 3339 year
// from 1970, so anything the server derives from its clock (which stops at
// 9000-01-01) round-trips through the state file: a job completing a day
// after the clock's last instant, expiring 30 days later.
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// consistency checks that a job's counts, errors, ids and timestamps agree
// with its status, as Klaviyo's jobs do. Pointers are relative to the job.
func consistency(kind JobKind, s *JobState, ids []string, st Status) []Problem {
	var probs []Problem
	fail := func(member, format string, args ...any) {
		probs = append(probs, Problem{member, fmt.Sprintf(format, args...)})
	}
	for _, t := range []struct {
		name string
		at   *time.Time
	}{{"created_at", &s.CreatedAt}, {"completed_at", s.CompletedAt}, {"expires_at", s.ExpiresAt}} {
		if t.at != nil && (t.at.Before(minTime) || !t.at.Before(maxTime)) {
			fail("/"+t.name, "%s must be between 1970-01-01 and 9999-12-31.", t.name)
		}
	}
	if s.CreatedAt.IsZero() {
		fail("/created_at", "created_at is required.")
	}
	done := s.CompletedCount + s.FailedCount
	switch {
	case s.TotalCount < 1 || s.TotalCount > MaxJobElements:
		fail("/total_count", "total_count must be between 1 and %d.", MaxJobElements)
	case s.CompletedCount < 0 || s.FailedCount < 0 || done > s.TotalCount:
		fail("/completed_count", "Counts must be non-negative with completed_count + failed_count <= total_count.")
	}
	key := "/" + kind.Entity().Plural()
	if len(ids) != s.TotalCount {
		fail(key, "A job has one id per operation: %d ids for total_count %d.", len(ids), s.TotalCount)
	}
	for k, id := range ids {
		if !ValidEntityID(id) {
			fail(fmt.Sprintf("%s/%d", key, k), "'%s' is not a catalog id ('%s<external_id>').", id, IDPrefix)
		}
	}
	if len(s.Errors) != s.FailedCount {
		fail("/errors", "A job has one error per failed operation: %d errors for failed_count %d.", len(s.Errors), s.FailedCount)
	}
	finished := s.CompletedAt != nil
	switch st {
	case Queued:
		if done != 0 || finished || s.ExpiresAt != nil {
			fail("/status", "A queued job has no progress, completed_at or expires_at.")
		}
	case Processing, Cancelled:
		if done == s.TotalCount || finished || s.ExpiresAt != nil {
			fail("/status", "A %s job has completed_count + failed_count < total_count and no completed_at or expires_at.", st)
		}
	case Complete:
		switch {
		case done != s.TotalCount:
			fail("/completed_count", "A complete job's completed_count + failed_count must equal total_count.")
		case !finished:
			fail("/completed_at", "A complete job needs completed_at.")
		case s.CompletedAt.Before(s.CreatedAt):
			fail("/completed_at", "completed_at is before created_at.")
		case s.ExpiresAt != nil && s.ExpiresAt.Before(*s.CompletedAt):
			fail("/expires_at", "expires_at is before completed_at.")
		}
	}
	if s.Pending != nil && !st.InProgress() {
		fail("/pending", "Only a queued or processing job can be pending.")
	}
	return probs
}

// maxIDTime is the latest ULID time a supplied job id may carry (the end of
// year 9999), so created ids can always be made larger.
const maxIDTime = 253402300799999

// validJobID accepts 26-character ULIDs (Crockford base32) up to year 9999,
// so supplied jobs sort with created ones.
func validJobID(id string) bool {
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
