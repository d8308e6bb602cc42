package store

import (
	"time"

	"github.com/google/uuid"
)

// Mode says how a created job moves from queued to complete.
type Mode uint8

// Transition modes (as moto, the AWS emulator, offers them).
const (
	// Immediate: the job is complete at the first read after its creation.
	Immediate Mode = iota
	// Duration: the job is queued for the first fifth of Lifecycle.Duration,
	// then processes its items evenly and is complete when it has elapsed.
	Duration
	// Polls: each GET of that one job advances it; the Polls-th GET sees it
	// complete.
	Polls
)

// ParseMode reads "immediate", "duration" or "polls".
func ParseMode(s string) (Mode, bool) {
	switch s {
	case "immediate":
		return Immediate, true
	case "duration":
		return Duration, true
	case "polls":
		return Polls, true
	}
	return 0, false
}

// String returns the mode's flag spelling.
func (m Mode) String() string {
	return [...]string{"immediate", "duration", "polls"}[m]
}

// Defaults of Lifecycle.
const (
	DefaultJobDuration   = 5 * time.Second
	DefaultJobPolls      = 3
	DefaultRetention     = 30 * 24 * time.Hour
	DefaultMaxInProgress = 500
)

// Lifecycle configures how created jobs progress.
type Lifecycle struct {
	Mode     Mode
	Duration time.Duration
	Polls    int
	// Retention is the time from completion to expires_at.
	Retention time.Duration
	// MaxInProgress bounds the created jobs queued or processing per account.
	MaxInProgress int
}

func (l Lifecycle) withDefaults() Lifecycle {
	if l.Duration <= 0 {
		l.Duration = DefaultJobDuration
	}
	if l.Polls <= 0 {
		l.Polls = DefaultJobPolls
	}
	if l.Retention <= 0 {
		l.Retention = DefaultRetention
	}
	if l.MaxInProgress <= 0 {
		l.MaxInProgress = DefaultMaxInProgress
	}
	return l
}

// ItemAttr names an updatable catalog item attribute.
type ItemAttr uint16

// Updatable catalog item attributes.
const (
	AttrTitle ItemAttr = 1 << iota
	AttrDescription
	AttrPrice
	AttrURL
	AttrImageFullURL
	AttrImageThumbnailURL
	AttrImages
	AttrCustomMetadata
	AttrPublished
)

// ItemUpdate is one item of a create request: the attributes in Set take
// their values from Values.
type ItemUpdate struct {
	ID     string
	Set    ItemAttr
	Values Item
}

// updatable describes each updatable attribute: its name, its bit and how
// to copy its value from one item to another.
var updatable = [...]struct {
	name string
	attr ItemAttr
	copy func(dst, src *Item)
}{
	{"title", AttrTitle, func(d, s *Item) { d.Title = s.Title }},
	{"description", AttrDescription, func(d, s *Item) { d.Description = s.Description }},
	{"price", AttrPrice, func(d, s *Item) { d.Price = s.Price }},
	{"url", AttrURL, func(d, s *Item) { d.URL = s.URL }},
	{"image_full_url", AttrImageFullURL, func(d, s *Item) { d.ImageFullURL = s.ImageFullURL }},
	{"image_thumbnail_url", AttrImageThumbnailURL, func(d, s *Item) { d.ImageThumbnailURL = s.ImageThumbnailURL }},
	{"images", AttrImages, func(d, s *Item) { d.Images = s.Images }},
	{"custom_metadata", AttrCustomMetadata, func(d, s *Item) { d.CustomMetadata = s.CustomMetadata }},
	{"published", AttrPublished, func(d, s *Item) { d.Published = s.Published }},
}

// AttrByName returns the updatable attribute named name.
func AttrByName(name string) (ItemAttr, bool) {
	for _, u := range updatable {
		if u.name == name {
			return u.attr, true
		}
	}
	return 0, false
}

// apply returns a copy of it with the update's attributes set.
func (u *ItemUpdate) apply(it *Item, at time.Time) *Item {
	cp := *it
	for _, a := range updatable {
		if u.Set&a.attr != 0 {
			a.copy(&cp, &u.Values)
		}
	}
	cp.Updated = at
	return &cp
}

// CreateRequest is a validated POST: the items to update, in request order.
type CreateRequest struct {
	Items []ItemUpdate
	// ItemPointer is the JSON pointer of the request's items array
	// ("/data/attributes/items/data" or "/data/attributes/items"); job errors
	// point at ItemPointer + "/<index>".
	ItemPointer string
}

// work is the pending part of a created job. It is only touched under the
// account's write lock.
type work struct {
	start     time.Time
	updates   []ItemUpdate
	pointer   string
	processed int
	polls     int
	lastPoll  time.Time
}

// Create stores a new queued job for req and returns it.
func (a *Account) Create(req CreateRequest) (*Job, error) {
	a.seed()
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	if len(a.active) >= a.life.MaxInProgress {
		return nil, ErrTooManyInProgress
	}
	ids := make([]string, len(req.Items))
	for i := range req.Items {
		ids[i] = req.Items[i].ID
	}
	j := &Job{
		ID:        a.ids.Next(now),
		Status:    Queued,
		CreatedAt: now,
		Total:     len(req.Items),
		Errors:    []JobError{},
		Items:     ids,
		work:      &work{start: now, updates: req.Items, pointer: req.ItemPointer},
	}
	// A job's items grow the catalog as they are applied by at most what
	// their updates hold, so reserving the job covers them.
	if err := a.reserve(2 * j.memSize()); err != nil {
		return nil, err
	}
	a.insertLocked(j)
	a.nActive.Store(int32(len(a.active)))
	return j, nil
}

// InProgress returns the number of created jobs still queued or processing.
func (a *Account) InProgress() int {
	a.settle()
	return int(a.nActive.Load())
}

// Poll is GET of one job: in Polls mode it advances the job one step.
func (a *Account) Poll(id string) (*Job, bool) {
	a.seed()
	if a.life.Mode != Polls {
		return a.Job(id)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	j, ok := a.all.Get(&Job{ID: id})
	if !ok || j.work == nil {
		return j, ok
	}
	j.work.polls++
	j.work.lastPoll = now
	nj := a.advanceLocked(j, now)
	a.swapLocked(j, nj)
	if nj.work == nil {
		a.removeActiveLocked(id)
	}
	return nj, true
}

// settle brings every created job up to the clock; it costs nothing when
// the account has no job in progress.
func (a *Account) settle() {
	if a.nActive.Load() == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settleLocked(a.now().Truncate(time.Microsecond))
}

func (a *Account) settleLocked(now time.Time) {
	keep := a.active[:0]
	for _, id := range a.active {
		j, ok := a.all.Get(&Job{ID: id})
		if !ok || j.work == nil {
			continue
		}
		nj := a.advanceLocked(j, now)
		a.swapLocked(j, nj)
		if nj.work != nil {
			keep = append(keep, id)
		}
	}
	a.active = keep
	a.nActive.Store(int32(len(keep)))
}

// swapLocked replaces old by nj in the trees (same id).
func (a *Account) swapLocked(old, nj *Job) {
	if old == nj {
		return
	}
	a.all.ReplaceOrInsert(nj)
	a.grow(nj.memSize() - old.memSize())
	if old.Status != nj.Status {
		a.byStatus[old.Status].Delete(old)
	}
	a.byStatus[nj.Status].ReplaceOrInsert(nj)
}

// target computes where a created job should be at now: its status, how
// many items are processed, when item k (0-based) is processed, and when the
// job completes.
func (a *Account) target(j *Job, now time.Time) (st Status, processed int, itemAt func(k int) time.Time, doneAt time.Time) {
	w := j.work
	total := j.Total
	switch a.life.Mode {
	case Immediate:
		return Complete, total, func(int) time.Time { return w.start }, w.start
	case Polls:
		at := func(int) time.Time { return w.lastPoll }
		switch {
		case w.polls >= a.life.Polls:
			return Complete, total, at, w.lastPoll
		case w.polls == 0:
			return Queued, 0, at, time.Time{}
		}
		return Processing, min(total*w.polls/a.life.Polls, total-1), at, time.Time{}
	}
	d := a.life.Duration
	wait := d / 5
	span := d - wait
	itemAt = func(k int) time.Time {
		return w.start.Add(wait + time.Duration(int64(span)*int64(k+1)/int64(max(total, 1)))).Truncate(time.Microsecond)
	}
	e := now.Sub(w.start)
	switch {
	case e >= d:
		return Complete, total, itemAt, w.start.Add(d).Truncate(time.Microsecond)
	case e < wait:
		return Queued, 0, itemAt, time.Time{}
	}
	n := 0
	for n < total-1 && !itemAt(n).After(now) {
		n++
	}
	return Processing, n, itemAt, time.Time{}
}

// advanceLocked returns j moved to where it should be at now: items newly
// processed update the catalog (or fail with a job error if they do not
// exist). It returns j itself when nothing changes.
func (a *Account) advanceLocked(j *Job, now time.Time) *Job {
	w := j.work
	st, n, itemAt, doneAt := a.target(j, now)
	// Progress never goes back, even when the clock does.
	n = max(n, w.processed)
	if st < j.Status {
		st = j.Status
	}
	if st == j.Status && n == w.processed {
		return j
	}
	nj := *j
	nj.Status = st
	nj.Errors = j.Errors[:len(j.Errors):len(j.Errors)]
	for k := w.processed; k < n; k++ {
		u := &w.updates[k]
		at := itemAt(k)
		if it, ok := a.items[u.ID]; ok {
			nit := u.apply(it, at)
			a.items[u.ID] = nit
			a.grow(nit.memSize() - it.memSize())
			nj.Completed++
			continue
		}
		nj.Failed++
		nj.Errors = append(nj.Errors, MissingItemError(a.uuid(), u.ID, w.pointer, k))
	}
	w.processed = n
	if st == Complete {
		nj.CompletedAt = doneAt
		nj.ExpiresAt = doneAt.Add(a.life.Retention)
		nj.work = nil
	}
	return &nj
}

func (a *Account) uuid() string {
	u, err := uuid.NewRandomFromReader(rngReader{a.rng})
	if err != nil {
		panic(err) // rngReader never fails
	}
	return u.String()
}
