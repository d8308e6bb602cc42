package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// AccountState is an account's whole content, as the control API, the Go
// package and the state file exchange it.
type AccountState struct {
	Account string      `json:"account,omitempty"`
	Jobs    []JobState  `json:"jobs"`
	Items   []ItemState `json:"items"`
}

// JobState is a job as the control API, the Go package and the state file
// exchange it. Times are RFC 3339; a zero time is null.
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
	Items          []string   `json:"items"`
	// Pending is the unprocessed part of a job created through the API and
	// still in progress; it is exported and restored by the state file, and
	// refused in jobs a test supplies.
	Pending *PendingState `json:"pending,omitempty"`
}

// PendingState is a created job's remaining work.
type PendingState struct {
	Start       time.Time     `json:"start"`
	Updates     []UpdateState `json:"updates"`
	ItemPointer string        `json:"item_pointer"`
	Processed   int           `json:"processed"`
	Polls       int           `json:"polls"`
	LastPoll    time.Time     `json:"last_poll,omitzero"`
}

// UpdateState is one item update of a pending job: the attributes named in
// Set take their values from Values.
type UpdateState struct {
	ID     string    `json:"id"`
	Set    []string  `json:"set"`
	Values ItemState `json:"values"`
}

// ItemState is a catalog item as exchanged by the control API.
type ItemState struct {
	ID                string          `json:"id"`
	ExternalID        string          `json:"external_id"`
	Title             *string         `json:"title"`
	Description       *string         `json:"description"`
	Price             *float64        `json:"price"`
	URL               *string         `json:"url"`
	ImageFullURL      *string         `json:"image_full_url"`
	ImageThumbnailURL *string         `json:"image_thumbnail_url"`
	Images            *[]string       `json:"images"`
	CustomMetadata    json.RawMessage `json:"custom_metadata"`
	Published         *bool           `json:"published"`
	Created           time.Time       `json:"created"`
	Updated           time.Time       `json:"updated"`
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
// the account's lock (Account.State does).
func (j *Job) State() JobState {
	s := JobState{
		ID: j.ID, Status: j.Status.String(), CreatedAt: j.CreatedAt,
		CompletedAt: optTime(j.CompletedAt), ExpiresAt: optTime(j.ExpiresAt),
		TotalCount: j.Total, CompletedCount: j.Completed, FailedCount: j.Failed,
		Errors: slices.Clone(j.Errors), Items: slices.Clone(j.Items),
	}
	if s.Errors == nil {
		s.Errors = []JobError{}
	}
	if w := j.work; w != nil {
		p := &PendingState{Start: w.start, ItemPointer: w.pointer, Processed: w.processed, Polls: w.polls, LastPoll: w.lastPoll}
		for _, u := range w.updates {
			us := UpdateState{ID: u.ID, Values: u.Values.State()}
			for _, a := range updatable {
				if u.Set&a.attr != 0 {
					us.Set = append(us.Set, a.name)
				}
			}
			p.Updates = append(p.Updates, us)
		}
		s.Pending = p
	}
	return s
}

// State exports an item.
func (it *Item) State() ItemState {
	return ItemState{
		ID: it.ID, ExternalID: it.ExternalID, Title: it.Title, Description: it.Description,
		Price: it.Price, URL: it.URL, ImageFullURL: it.ImageFullURL, ImageThumbnailURL: it.ImageThumbnailURL,
		Images: it.Images, CustomMetadata: it.CustomMetadata, Published: it.Published,
		Created: it.Created, Updated: it.Updated,
	}
}

// Problem is one thing wrong with supplied state, at a JSON pointer.
type Problem struct {
	Pointer string
	Detail  string
}

// JobsFromState validates and converts supplied jobs (base is the JSON
// pointer of the array). allowPending admits in-progress created jobs (the
// state file); jobs a test supplies are history.
func JobsFromState(states []JobState, base string, allowPending bool) ([]*Job, []Problem) {
	var probs []Problem
	fail := func(i int, member, format string, args ...any) {
		probs = append(probs, Problem{fmt.Sprintf("%s/%d%s", base, i, member), fmt.Sprintf(format, args...)})
	}
	jobs := make([]*Job, 0, len(states))
	seen := make(map[string]bool, len(states))
	for i, s := range states {
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
		if ok {
			for _, pr := range consistency(s, st) {
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
			ID: s.ID, Status: st, CreatedAt: s.CreatedAt.UTC(), CompletedAt: derefTime(s.CompletedAt),
			ExpiresAt: derefTime(s.ExpiresAt), Total: s.TotalCount, Completed: s.CompletedCount,
			Failed: s.FailedCount, Errors: slices.Clone(s.Errors), Items: slices.Clone(s.Items),
		}
		if j.Errors == nil {
			j.Errors = []JobError{}
		}
		if p := s.Pending; p != nil {
			w := &work{start: p.Start.UTC(), pointer: p.ItemPointer, processed: p.Processed, polls: p.Polls, lastPoll: p.LastPoll.UTC()}
			for _, u := range p.Updates {
				up := ItemUpdate{ID: u.ID, Values: *u.Values.Item()}
				for _, name := range u.Set {
					for _, a := range updatable {
						if a.name == name {
							up.Set |= a.attr
						}
					}
				}
				w.updates = append(w.updates, up)
			}
			if len(w.updates) != j.Total || w.processed > j.Total {
				fail(i, "/pending", "A pending job needs one update per item and processed <= total_count.")
				continue
			}
			j.work = w
		}
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(a, b *Job) int { return cmpString(a.ID, b.ID) })
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

// consistency checks that a job's counts, errors, items and timestamps agree
// with its status, as Klaviyo's jobs do. Pointers are relative to the job.
func consistency(s JobState, st Status) []Problem {
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
	case s.TotalCount < 1 || s.TotalCount > MaxJobItems:
		fail("/total_count", "total_count must be between 1 and %d.", MaxJobItems)
	case s.CompletedCount < 0 || s.FailedCount < 0 || done > s.TotalCount:
		fail("/completed_count", "Counts must be non-negative with completed_count + failed_count <= total_count.")
	}
	if len(s.Items) != s.TotalCount {
		fail("/items", "A job has one item per operation: %d items for total_count %d.", len(s.Items), s.TotalCount)
	}
	for k, id := range s.Items {
		if !strings.HasPrefix(id, ItemIDPrefix) || len(id) == len(ItemIDPrefix) {
			fail(fmt.Sprintf("/items/%d", k), "'%s' is not a catalog item id ('%s<external_id>').", id, ItemIDPrefix)
		}
	}
	if len(s.Errors) != s.FailedCount {
		fail("/errors", "A job has one error per failed item: %d errors for failed_count %d.", len(s.Errors), s.FailedCount)
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

// ItemsFromState validates and converts supplied items.
func ItemsFromState(states []ItemState, base string) ([]*Item, []Problem) {
	var probs []Problem
	items := make([]*Item, 0, len(states))
	seen := map[string]bool{}
	for i, s := range states {
		p := fmt.Sprintf("%s/%d", base, i)
		switch {
		case s.ExternalID == "":
			probs = append(probs, Problem{p + "/external_id", "external_id is required."})
			continue
		case s.ID == "":
			s.ID = ItemID(s.ExternalID)
		case s.ID != ItemID(s.ExternalID):
			probs = append(probs, Problem{p + "/id", fmt.Sprintf("The id of external_id %q must be %q.", s.ExternalID, ItemID(s.ExternalID))})
			continue
		}
		if seen[s.ID] {
			probs = append(probs, Problem{p + "/id", fmt.Sprintf("Item %s appears twice.", s.ID)})
			continue
		}
		seen[s.ID] = true
		if len(s.CustomMetadata) > 0 && string(s.CustomMetadata) != "null" {
			var m map[string]any
			if json.Unmarshal(s.CustomMetadata, &m) != nil {
				probs = append(probs, Problem{p + "/custom_metadata", "custom_metadata must be an object or null."})
				continue
			}
		}
		items = append(items, s.Item())
	}
	return items, probs
}

// Item converts an ItemState.
func (s ItemState) Item() *Item {
	it := &Item{
		ID: s.ID, ExternalID: s.ExternalID, Title: s.Title, Description: s.Description,
		Price: s.Price, URL: s.URL, ImageFullURL: s.ImageFullURL, ImageThumbnailURL: s.ImageThumbnailURL,
		Images: s.Images, Published: s.Published, Created: s.Created.UTC(), Updated: s.Updated.UTC(),
	}
	if len(s.CustomMetadata) > 0 && string(s.CustomMetadata) != "null" {
		it.CustomMetadata = compactJSON(s.CustomMetadata)
	}
	return it
}

// compactJSON re-encodes an object compactly as Klaviyo writes it.
func compactJSON(b []byte) json.RawMessage {
	out, err := jsonw.Reencode(nil, b)
	if err != nil {
		return nil
	}
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
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

// Replace swaps the account's jobs (already validated) for jobs, keeping
// its items; pass items non-nil to replace them too. It refuses with
// ErrMemoryBudget content that does not fit, and changes nothing then.
func (a *Account) Replace(jobs []*Job, items []*Item) error {
	a.seed()
	a.mu.Lock()
	defer a.mu.Unlock()
	if items == nil {
		items = make([]*Item, 0, len(a.items))
		for _, it := range a.items {
			items = append(items, it)
		}
	}
	if jobs == nil {
		jobs = make([]*Job, 0, a.all.Len())
		a.all.Ascend(func(j *Job) bool {
			jobs = append(jobs, j)
			return true
		})
	}
	if err := a.reserve(sizeOf(jobs, items) - a.size.Load()); err != nil {
		return err
	}
	a.replaceLocked(jobs, items)
	return nil
}

// State exports the account's jobs (id order) and items (id order). It
// holds the account's lock while it reads pending work.
func (a *Account) State() AccountState {
	a.seed()
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	st := AccountState{Account: a.key, Jobs: make([]JobState, 0, a.all.Len()), Items: make([]ItemState, 0, len(a.items))}
	a.all.Ascend(func(j *Job) bool {
		st.Jobs = append(st.Jobs, j.State())
		return true
	})
	for _, it := range a.items {
		st.Items = append(st.Items, it.State())
	}
	slices.SortFunc(st.Items, func(x, y ItemState) int { return cmpString(x.ID, y.ID) })
	return st
}

// Restore validates a saved account (pending jobs allowed) and, if valid,
// makes it the content of the account key, marked changed.
func (s *Store) Restore(st AccountState) error {
	jobs, probs := JobsFromState(st.Jobs, "/jobs", true)
	items, iprobs := ItemsFromState(st.Items, "/items")
	if probs = append(probs, iprobs...); len(probs) > 0 {
		return fmt.Errorf("account %s: %s: %s", st.Account, probs[0].Pointer, probs[0].Detail)
	}
	a, err := s.Mutable(st.Account)
	if err != nil {
		return err
	}
	return a.Replace(jobs, items)
}
