package accountdoc

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/store"
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
func (s *JobState) ids(k store.JobKind) ([]string, string) {
	want := k.Entity().Plural()
	for _, e := range store.Kinds() {
		if l := s.IDs[e.Plural()]; e.Plural() != want && l != nil {
			return nil, e.Plural()
		}
	}
	return s.IDs[want], ""
}

// SetIDs lists the element ids under kind k's key.
func (s *JobState) SetIDs(k store.JobKind, ids []string) {
	s.IDs = map[string][]string{k.Entity().Plural(): ids}
}

// IDsOf returns the element ids listed under kind k's key.
func (s *JobState) IDsOf(k store.JobKind) []string { return s.IDs[k.Entity().Plural()] }

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
			for _, e := range store.Kinds() {
				fields = append(fields, reflect.StructField{Name: "IDs_" + strings.ReplaceAll(e.Plural(), "-", "_"),
					Type: reflect.TypeOf([]string(nil)), Tag: reflect.StructTag(`json:"` + e.Plural() + `,omitempty"`)})
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
	for _, e := range store.Kinds() {
		if strings.ReplaceAll(e.Plural(), "-", "_") == name {
			return e.Plural()
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

// JobError is one entry of a job's errors (store.JobError) in a document.
type JobError struct {
	ID      string `json:"id"`
	Code    string `json:"code"`
	Title   string `json:"title"`
	Detail  string `json:"detail"`
	Pointer string `json:"pointer"`
}

// JobStateOf returns job j as a document holds it, with w its remaining
// work (nil for history; see store.Export.Jobs).
func JobStateOf(j *store.Job, w *store.Work) JobState {
	s := JobState{
		ID: j.ID, Status: j.Status.String(), CreatedAt: j.CreatedAt,
		CompletedAt: optTime(j.CompletedAt), ExpiresAt: optTime(j.ExpiresAt),
		TotalCount: j.Total, CompletedCount: j.Completed, FailedCount: j.Failed,
		Errors: make([]JobError, len(j.Errors)),
	}
	for i, e := range j.Errors {
		s.Errors[i] = JobError(e)
	}
	s.SetIDs(j.Kind, slices.Clone(j.IDs))
	if w != nil {
		s.Pending = pendingStateOf(j.Kind, w)
	}
	return s
}

// JobStates returns every job of kind in account a as a document holds
// it, in id order, pending work included.
func JobStates(a *store.Account, kind store.JobKind) ([]JobState, error) {
	ex, err := a.Export(store.JobCollection(kind))
	if err != nil {
		return nil, err
	}
	out := make([]JobState, 0, ex.Count(store.JobCollection(kind)))
	ex.Jobs(kind, func(j *store.Job, w *store.Work) bool {
		out = append(out, JobStateOf(j, w))
		return true
	})
	return out, nil
}
