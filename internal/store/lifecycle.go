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

// Work is what remains of a job created through the API: when it started,
// its elements (never modified) and the JSON pointer of their array in the
// request, how many are processed, and the GETs of the job so far (Polls
// mode) with the last one's time. A job's Work is only touched under the
// account's write lock; Export hands out copies.
type Work struct {
	Start     time.Time
	Elements  []Element
	Pointer   string
	Processed int
	Polls     int
	LastPoll  time.Time
	// Finish, when set, is when the job was told to complete (CompleteJobs):
	// its elements not processed by then are processed then.
	Finish time.Time
}

// Create stores a new queued job for req and returns it.
func (a *Account) Create(req CreateRequest) (*Job, error) {
	ek := req.Kind.Entity()
	cs := []Collection{JobCollection(req.Kind), EntityCollection(ek)}
	for _, act := range []Action{Create, Update} {
		if r, ok := elementRelation(ek, act); ok {
			cs = append(cs, EntityCollection(ek.Target(r)))
		}
	}
	if err := a.ensure(cs...); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	if len(a.active) >= a.life.MaxInProgress {
		return nil, ErrTooManyInProgress
	}
	ids := make([]string, len(req.Elements))
	for i := range req.Elements {
		ids[i] = req.Elements[i].ID
	}
	j := &Job{
		ID:        a.ids.Next(now),
		Kind:      req.Kind,
		Status:    Queued,
		CreatedAt: now,
		Total:     len(req.Elements),
		Errors:    []JobError{},
		IDs:       ids,
		work:      &Work{Start: now, Elements: req.Elements, Pointer: req.Pointer},
	}
	// Applying the elements grows the catalog by at most what they hold,
	// so reserving twice the job covers it.
	if err := a.reserve(2 * j.memSize()); err != nil {
		return nil, err
	}
	a.insertJobLocked(j)
	a.nActive.Store(int32(len(a.active)))
	return j, nil
}

// InProgress returns the number of created jobs still queued or processing.
func (a *Account) InProgress() int {
	a.settle()
	return int(a.nActive.Load())
}

// Poll is GET of one job: in Polls mode it advances the job one step.
func (a *Account) Poll(kind JobKind, id string) (*Job, bool, error) {
	if a.life.Mode != Polls {
		return a.Job(kind, id)
	}
	if err := a.ensure(JobCollection(kind)); err != nil {
		return nil, false, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	j, ok := a.createdLocked(kind, id)
	if !ok {
		j, ok = a.jobs[kind].get(id, kind) // a seeded job: it does not progress
		return j, ok, nil
	}
	if j.work == nil {
		return j, true, nil
	}
	j.work.Polls++
	j.work.LastPoll = now
	nj := a.advanceLocked(j, now)
	a.swapLocked(j, nj)
	if nj.work == nil {
		a.removeActiveLocked(kind, id)
	}
	return nj, true, nil
}

// swapLocked replaces old by nj in the indexes (same kind and id).
func (a *Account) swapLocked(old, nj *Job) {
	if old == nj {
		return
	}
	nj.stamp = a.nextStamp()
	a.bumpLocked(JobCollection(nj.Kind))
	s := a.jobs[nj.Kind]
	s.writable()
	s.all.ReplaceOrInsert(nj)
	a.grow(nj.memGrowth(old))
	if old.Status != nj.Status {
		s.byStatus[old.Status].Delete(old)
	}
	s.byStatus[nj.Status].ReplaceOrInsert(nj)
}

// target computes where a created job should be at now: its status, how
// many elements are processed, when each element is processed, and when
// the job completes.
func (a *Account) target(j *Job, now time.Time) (st Status, processed int, sched schedule, doneAt time.Time) {
	w := j.work
	total := j.Total
	if !w.Finish.IsZero() && !now.Before(w.Finish) {
		return a.finishedTarget(j, now)
	}
	switch a.life.Mode {
	case Immediate:
		return Complete, total, schedule{at: w.Start}, w.Start
	case Polls:
		at := schedule{at: w.LastPoll}
		switch {
		case w.Polls >= a.life.Polls:
			return Complete, total, at, w.LastPoll
		case w.Polls == 0:
			return Queued, 0, at, time.Time{}
		}
		return Processing, min(total*w.Polls/a.life.Polls, total-1), at, time.Time{}
	}
	d := a.life.Duration
	wait := d / 5
	sched = schedule{spread: true, at: w.Start, wait: wait, span: d - wait, total: total}
	e := now.Sub(w.Start)
	switch {
	case e >= d:
		return Complete, total, sched, w.Start.Add(d).Truncate(time.Microsecond)
	case e < wait:
		return Queued, 0, sched, time.Time{}
	}
	n := 0
	for n < total-1 && !sched.itemAt(n).After(now) {
		n++
	}
	return Processing, n, sched, time.Time{}
}

// schedule says when each element of a created job is processed: all at
// at, or (spread) evenly over span after wait from the start at. It is a
// value, not a function, so planning a job that does not move allocates
// nothing (settling looks at every job in progress on every request).
type schedule struct {
	spread     bool
	at         time.Time
	wait, span time.Duration
	total      int
}

// itemAt is when element k (0-based) is processed.
func (s schedule) itemAt(k int) time.Time {
	if !s.spread {
		return s.at
	}
	return s.at.Add(s.wait + time.Duration(int64(s.span)*int64(k+1)/int64(max(s.total, 1)))).Truncate(time.Microsecond)
}

// finishedTarget is where a job told to complete at w.Finish is: complete
// then, with every element not yet processed processed then (those due
// before were processed when the job was told).
func (a *Account) finishedTarget(j *Job, now time.Time) (Status, int, schedule, time.Time) {
	finish := j.work.Finish
	return Complete, j.Total, schedule{at: finish}, finish
}

// CompleteJobs completes every job of the account in progress now (the
// control API's "complete running jobs now"): their remaining elements are
// applied at the clock's reading, in order. It returns how many it
// completed.
func (a *Account) CompleteJobs() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	n := 0
	for _, ref := range a.active {
		if j, ok := a.createdLocked(ref.kind, ref.id); ok && j.work != nil {
			j.work.Finish = now
			n++
		}
	}
	a.settleLocked(now)
	return n
}

func (a *Account) uuid() string {
	u, err := uuid.NewRandomFromReader(rngReader{a.rng})
	if err != nil {
		panic(err) // rngReader never fails
	}
	return u.String()
}
