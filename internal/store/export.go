package store

import (
	"bufio"
	"encoding/json"
	"io"
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// Export is a consistent view of one account's collections for writing
// out. It holds pointers to the account's immutable values, taken under the
// account's lock, so the (possibly slow) write happens without it and costs
// no copy of the account.
type Export struct {
	Key     string
	cols    []Collection
	jobs    []*jobSet           // copies on write: written without the lock
	pending map[string]JobState // states of jobs in progress, by id, read under the lock
	ents    [][]*Entity
	// members are, for each entity whose document lists a membership (a
	// category's items), the ids it holds, sorted.
	members map[string][]string
}

// Export takes a view of the collections cs (every collection that exists
// when cs is empty; naming one generates it).
func (a *Account) Export(cs ...Collection) (Export, error) {
	if err := a.ensure(cs...); err != nil {
		return Export{}, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	if len(cs) == 0 {
		for _, c := range AllCollections() {
			if a.seeded[c] {
				cs = append(cs, c)
			}
		}
	}
	slices.Sort(cs)
	ex := Export{Key: a.key, cols: slices.Compact(cs), jobs: make([]*jobSet, numJobKinds()), ents: make([][]*Entity, len(Kinds()))}
	for _, c := range ex.cols {
		if k, ok := c.IsJobs(); ok {
			ex.jobs[k] = a.jobs[k].clone()
			// Created jobs in progress: their pending work changes under
			// the lock, so its state is taken now.
			for _, ref := range a.active {
				if ref.kind != k {
					continue
				}
				if j, ok := a.jobs[k].all.Get(&Job{ID: ref.id}); ok && j.work != nil {
					if ex.pending == nil {
						ex.pending = map[string]JobState{}
					}
					ex.pending[j.ID] = j.State()
				}
			}
			continue
		}
		k := EntityKind(c)
		list := make([]*Entity, 0, len(a.cat.ents[k]))
		for _, e := range a.cat.ents[k] {
			list = append(list, e)
		}
		slices.SortFunc(list, func(x, y *Entity) int { return strings.Compare(x.ID, y.ID) })
		ex.ents[k] = list
		for _, r := range docRelations(k) {
			if r.Kind != schema.Members {
				continue
			}
			if ex.members == nil {
				ex.members = make(map[string][]string, len(list))
			}
			for _, e := range list {
				ex.members[e.ID] = sortedCopy(positionIDs(a.cat.related(k, e.ID, r)))
			}
		}
	}
	return ex, nil
}

// Collections returns the collections exported, in order.
func (ex Export) Collections() []Collection { return ex.cols }

// Count returns the number of objects exported in c.
func (ex Export) Count(c Collection) int {
	if k, ok := c.IsJobs(); ok {
		return ex.jobs[k].len()
	}
	return len(ex.ents[EntityKind(c)])
}

// WriteJSON writes the export as an account document ({"account":…,
// "<collection>":[…],…}), one job or entity at a time. The account is
// shown by its fingerprint; WriteState writes the whole key.
func (ex Export) WriteJSON(w io.Writer) error {
	return ex.WriteJSONNamed(w, Collection.Name)
}

// WriteJSONNamed is WriteJSON with the collections' members named by name.
func (ex Export) WriteJSONNamed(w io.Writer, name func(Collection) string) error {
	return ex.write(w, name, false)
}

// WriteState writes the export as the state file keeps it: a job
// collection's seeded history is not written out but named in
// "seeded_jobs" with the ids of its jobs deleted or replaced, beside the
// jobs stored (AccountState.Seeded), so the file holds what changed and
// reads back into the same memory.
func (ex Export) WriteState(w io.Writer) error {
	return ex.write(w, Collection.Name, true)
}

func (ex Export) write(w io.Writer, name func(Collection) string, compact bool) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	ew := &errWriter{w: bw}
	ew.raw(`{"account":`)
	if compact {
		ew.json(ex.Key) // the state file must restore the account
	} else {
		ew.json(secret.Fingerprint(ex.Key))
	}
	var buf []byte
	seeded := map[JobKind]SeededJobs{}
	for _, c := range ex.cols {
		ew.raw(",")
		ew.json(name(c))
		ew.raw(":[")
		if k, ok := c.IsJobs(); ok {
			first := true
			job := func(j *Job) bool {
				if !first {
					ew.raw(",")
				}
				first = false
				if st, ok := ex.pending[j.ID]; ok {
					ew.json(st)
				} else {
					ew.json(j.State())
				}
				return ew.err == nil
			}
			if s := ex.jobs[k]; compact && s.hist != nil && s.hist.Len() > 0 {
				s.all.Ascend(job)
				seeded[k] = SeededJobs{Count: s.hist.Len(), First: s.hist.ID(0), Hidden: s.hiddenIDs()}
			} else {
				s.each(k, job)
			}
		} else {
			for i, e := range ex.ents[EntityKind(c)] {
				if ew.err != nil {
					break
				}
				if i > 0 {
					ew.raw(",")
				}
				buf = AppendEntityState(buf[:0], e, 0, ex.members[e.ID]...)
				ew.bytes(buf)
			}
		}
		ew.raw("]")
	}
	if len(seeded) > 0 {
		ew.raw(`,"` + seededMember + `":{`)
		first := true
		for _, c := range ex.cols {
			k, ok := c.IsJobs()
			if !ok {
				continue
			}
			hidden, ok := seeded[k]
			if !ok {
				continue
			}
			if !first {
				ew.raw(",")
			}
			first = false
			ew.json(c.Name())
			ew.raw(":")
			ew.json(hidden)
		}
		ew.raw("}")
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

func (e *errWriter) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *errWriter) json(v any) {
	if e.err != nil {
		return
	}
	if s, ok := v.(string); ok {
		e.bytes(jsonw.String(nil, s))
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		e.err = err
		return
	}
	e.bytes(b)
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
