package store

import (
	"container/heap"
	"slices"
	"time"
)

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

// settleLocked brings every created job up to now. The elements that came
// due are applied in the order of their times across all the jobs (the
// older job first on a tie), as if each had been applied at its time: what
// the jobs do depends on the clock alone, never on when or how often the
// account was looked at (a render cache looks more often than the
// uncached emulator, and must not change a job's outcome, an error's id or
// the next job's id).
func (a *Account) settleLocked(now time.Time) {
	var due []*progress
	for _, ref := range a.active {
		j, ok := a.createdLocked(ref.kind, ref.id)
		if !ok || j.work == nil {
			continue
		}
		if p, ok := a.startLocked(j, now); ok {
			p.order = len(due)
			due = append(due, new(progress))
			*due[len(due)-1] = p // on the heap only when it moves
		}
	}
	if len(due) > 0 {
		a.processLocked(due)
	}
	keep := a.active[:0]
	for _, ref := range a.active {
		if j, ok := a.createdLocked(ref.kind, ref.id); ok && j.work != nil {
			keep = append(keep, ref)
		}
	}
	a.active = keep
	a.nActive.Store(int32(len(keep)))
}

// processLocked processes the elements due of the jobs started, in the
// order of their times, and stores each job's new value.
func (a *Account) processLocked(started []*progress) {
	due := progressHeap(slices.Clone(started))
	heap.Init(&due)
	for len(due) > 0 {
		if p := due[0]; !p.done() {
			a.stepLocked(p)
			heap.Fix(&due, 0)
			continue
		}
		heap.Pop(&due)
	}
	for _, p := range started {
		a.swapLocked(p.old, p.finish(a.life.Retention))
	}
}

// createdLocked returns the job of kind with id held in the job index (a
// created job, or one of history changed or imported), under the write
// lock: its key is the account's probe.
func (a *Account) createdLocked(kind JobKind, id string) (*Job, bool) {
	a.probe.ID = id
	j, ok := a.jobs[kind].stored(&a.probe)
	a.probe.ID = ""
	return j, ok
}

// progress is a created job being moved to where it should be at a time:
// its new value, how many of its elements are processed then, and when
// each is.
type progress struct {
	old, nj *Job
	n       int
	sched   schedule
	doneAt  time.Time
	order   int // among the jobs settled together, oldest first
}

// done reports whether every element due is processed.
func (p *progress) done() bool { return p.old.work.Processed >= p.n }

// next is when the next element due is processed.
func (p *progress) next() time.Time { return p.sched.itemAt(p.old.work.Processed) }

// startLocked plans moving j to where it should be at now; ok is false
// when nothing changes. The plan is a value: a poll moving its one job
// keeps it on the stack.
func (a *Account) startLocked(j *Job, now time.Time) (p progress, ok bool) {
	w := j.work
	st, n, sched, doneAt := a.target(j, now)
	// Progress never goes back, even when the clock does.
	n = max(n, w.Processed)
	if st < j.Status {
		st = j.Status
	}
	if st == j.Status && n == w.Processed {
		return progress{}, false
	}
	nj := *j
	nj.stamp = 0 // a new value: swapLocked stamps it
	nj.Status = st
	nj.Errors = j.Errors[:len(j.Errors):len(j.Errors)]
	return progress{old: j, nj: &nj, n: n, sched: sched, doneAt: doneAt}, true
}

// stepLocked processes the job's next element: it changes the catalog, or
// fails with a job error.
func (a *Account) stepLocked(p *progress) {
	w := p.old.work
	k := w.Processed
	if eerr := a.applyLocked(p.old.Kind, &w.Elements[k], p.sched.itemAt(k), nil); eerr != nil {
		p.nj.Failed++
		p.nj.Errors = append(p.nj.Errors, eerr.JobError(a.uuid(), w.Pointer, k))
	} else {
		p.nj.Completed++
	}
	w.Processed++
}

// finish returns the job's new value, complete with its times when it is.
func (p *progress) finish(retention time.Duration) *Job {
	if p.nj.Status == Complete {
		p.nj.CompletedAt = p.doneAt
		p.nj.ExpiresAt = p.doneAt.Add(retention)
		p.nj.work = nil
	}
	return p.nj
}

// advanceLocked returns j moved to where it should be at now: elements newly
// processed change the catalog (or fail with a job error). It returns j
// itself when nothing changes.
func (a *Account) advanceLocked(j *Job, now time.Time) *Job {
	p, ok := a.startLocked(j, now)
	if !ok {
		return j
	}
	for !p.done() {
		a.stepLocked(&p)
	}
	return p.finish(a.life.Retention)
}

// progressHeap orders jobs by when their next element due is processed
// (those with none left first, to be dropped), then by age.
type progressHeap []*progress

func (h progressHeap) Len() int { return len(h) }
func (h progressHeap) Less(i, j int) bool {
	if h[i].done() || h[j].done() {
		return h[i].done() && !h[j].done()
	}
	if ti, tj := h[i].next(), h[j].next(); !ti.Equal(tj) {
		return ti.Before(tj)
	}
	return h[i].order < h[j].order
}
func (h progressHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *progressHeap) Push(x any)   { *h = append(*h, x.(*progress)) }
func (h *progressHeap) Pop() any {
	old := *h
	p := old[len(old)-1]
	*h = old[:len(old)-1]
	return p
}
