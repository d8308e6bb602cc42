package store

import (
	"bufio"
	"encoding/json"
	"io"
	"slices"
)

// Export is a consistent view of one account for writing out. It holds
// pointers to the account's immutable values, taken under the account's
// lock, so the (possibly slow) write happens without it and costs no copy
// of the account.
type Export struct {
	Key     string
	jobs    []*Job
	pending map[string]JobState // states of jobs in progress, read under the lock
	items   []*Item
}

// Export takes a view of the account for writing out.
func (a *Account) Export() Export {
	a.seed()
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	ex := Export{Key: a.key, jobs: make([]*Job, 0, a.all.Len()), items: make([]*Item, 0, len(a.items))}
	a.all.Ascend(func(j *Job) bool {
		ex.jobs = append(ex.jobs, j)
		if j.work != nil {
			if ex.pending == nil {
				ex.pending = map[string]JobState{}
			}
			ex.pending[j.ID] = j.State()
		}
		return true
	})
	for _, it := range a.items {
		ex.items = append(ex.items, it)
	}
	slices.SortFunc(ex.items, func(x, y *Item) int { return cmpString(x.ID, y.ID) })
	return ex
}

// Counts returns the number of jobs and items exported.
func (ex Export) Counts() (jobs, items int) { return len(ex.jobs), len(ex.items) }

// Parts selects what WriteJSON writes.
type Parts uint8

// Parts of an account document.
const (
	PartJobs Parts = 1 << iota
	PartItems
	PartAll = PartJobs | PartItems
)

// WriteJSON writes the export as an AccountState document
// ({"account":…,"jobs":[…],"items":[…]}, the parts asked for), encoding
// one job or item at a time.
func (ex Export) WriteJSON(w io.Writer, parts Parts) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	ew := &errWriter{w: bw}
	ew.raw(`{"account":`)
	ew.json(ex.Key)
	if parts&PartJobs != 0 {
		ew.raw(`,"jobs":[`)
		for i, j := range ex.jobs {
			if i > 0 {
				ew.raw(",")
			}
			if st, ok := ex.pending[j.ID]; ok {
				ew.json(st)
			} else {
				ew.json(j.State())
			}
		}
		ew.raw("]")
	}
	if parts&PartItems != 0 {
		ew.raw(`,"items":[`)
		for i, it := range ex.items {
			if i > 0 {
				ew.raw(",")
			}
			ew.json(it.State())
		}
		ew.raw("]")
	}
	ew.raw("}")
	if ew.err != nil {
		return ew.err
	}
	if !ok {
		return bw.Flush()
	}
	return nil
}

// errWriter writes until the first error and keeps it.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) raw(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *errWriter) json(v any) {
	if e.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		e.err = err
		return
	}
	_, e.err = e.w.Write(b)
}
