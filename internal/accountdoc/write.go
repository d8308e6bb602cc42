package accountdoc

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// WriteJSON writes export ex as an account document ({"account":…,
// "<collection>":[…],…}), one job or entity at a time. The account is
// shown by its fingerprint; WriteState writes the whole key.
func WriteJSON(w io.Writer, ex store.Export) error {
	return WriteJSONNamed(w, ex, store.Collection.Name)
}

// WriteJSONNamed is WriteJSON with the collections' members named by name.
func WriteJSONNamed(w io.Writer, ex store.Export, name func(store.Collection) string) error {
	return write(w, ex, name, false, Selection{})
}

// Selection is what of each collection a document holds: the jobs and
// entities Filter keeps, the first Limit of them (0: all).
type Selection struct {
	Filter Filter
	Limit  int
}

// WriteJSONSelected is WriteJSONNamed writing only what sel selects (the
// control API's GET of one collection with a query).
func WriteJSONSelected(w io.Writer, ex store.Export, name func(store.Collection) string, sel Selection) error {
	return write(w, ex, name, false, sel)
}

// WriteState writes export ex as the state file keeps it: a job
// collection's seeded history is not written out but named in
// "seeded_jobs" with the ids of its jobs deleted or replaced, beside the
// jobs stored (AccountState.Seeded), so the file holds what changed and
// reads back into the same memory.
func WriteState(w io.Writer, ex store.Export) error {
	return write(w, ex, store.Collection.Name, true, Selection{})
}

// docWriter writes one account document.
type docWriter struct {
	errWriter
	ex      store.Export
	compact bool
	// seeded are the kept seeded histories of the job collections written
	// (compact only), catalog the kept seeded entity collections.
	seeded  map[store.JobKind]SeededJobs
	catalog map[store.EntityKind]SeededJobs
	buf     []byte
	// sel selects the objects written (the zero Selection: all).
	sel Selection
	// left counts what the collection being written may still hold
	// (sel.Limit; below 0: no limit).
	left int
}

func write(w io.Writer, ex store.Export, name func(store.Collection) string, compact bool, sel Selection) error {
	bw, buffered := w.(*bufio.Writer)
	if !buffered {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	dw := &docWriter{errWriter: errWriter{w: bw}, ex: ex, compact: compact, seeded: map[store.JobKind]SeededJobs{}, sel: sel}
	dw.raw(`{"account":`)
	if compact {
		dw.json(ex.Key) // the state file must restore the account
	} else {
		dw.json(secret.Fingerprint(ex.Key))
	}
	dw.raw(`,"public_key":`)
	dw.json(ex.PublicKey)
	for _, c := range ex.Collections() {
		dw.raw(",")
		dw.json(name(c))
		dw.raw(":[")
		dw.left = sel.Limit
		if sel.Limit == 0 {
			dw.left = -1
		}
		if k, ok := c.IsJobs(); ok {
			dw.jobs(k)
		} else {
			dw.entities(store.EntityKind(c))
		}
		dw.raw("]")
	}
	dw.kept(seededMember, len(dw.seeded), dw.keptHistory)
	dw.kept(catalogMember, len(dw.catalog), dw.keptCatalog)
	dw.raw("}")
	if dw.err != nil {
		return dw.err
	}
	if !buffered {
		return bw.Flush()
	}
	return nil
}

// jobs writes the jobs of kind k: in compact form, those stored beside a
// seeded history, which is then named in seeded_jobs.
func (dw *docWriter) jobs(k store.JobKind) {
	first := true
	job := func(j *store.Job, w *store.Work) bool {
		b, err := json.Marshal(JobStateOf(j, w))
		if err != nil {
			dw.err = err
			return false
		}
		if !dw.sel.Filter.keeps(b) {
			return true
		}
		if dw.left == 0 {
			return false
		}
		dw.left--
		if !first {
			dw.raw(",")
		}
		first = false
		dw.bytes(b)
		return dw.err == nil
	}
	if dw.compact {
		if h, ok := dw.ex.History(k); ok {
			dw.ex.StoredJobs(k, job)
			dw.seeded[k] = SeededJobs(h)
			return
		}
	}
	dw.ex.Jobs(k, job)
}

// entities writes the entities of kind k with what their memberships hold:
// in compact form, from a compact view (see store.Account.ExportCompact),
// those held beside the seeded ones, which are then named in
// seeded_catalog.
func (dw *docWriter) entities(k store.EntityKind) {
	if h, ok := dw.ex.Catalog(k); ok && dw.compact {
		if dw.catalog == nil {
			dw.catalog = map[store.EntityKind]SeededJobs{}
		}
		dw.catalog[k] = SeededJobs(h)
	}
	first := true
	dw.ex.EachEntity(k, func(e *store.Entity) bool {
		if dw.err != nil {
			return false
		}
		dw.buf = AppendEntityState(dw.buf[:0], e, 0, dw.ex.Members(e.ID)...)
		if dw.compact && !showsCreated(k) {
			dw.buf = appendHiddenCreated(dw.buf, e)
		}
		if !dw.sel.Filter.keeps(dw.buf) {
			return true
		}
		if dw.left == 0 {
			return false
		}
		dw.left--
		if !first {
			dw.raw(",")
		}
		first = false
		dw.bytes(dw.buf)
		return true
	})
}

// kept writes member, naming what is kept of each seeded collection
// written (by kept, in the export's order), if any.
func (dw *docWriter) kept(member string, n int, kept func(store.Collection) (SeededJobs, bool)) {
	if n == 0 {
		return
	}
	dw.raw(`,"` + member + `":{`)
	first := true
	for _, c := range dw.ex.Collections() {
		h, ok := kept(c)
		if !ok {
			continue
		}
		if !first {
			dw.raw(",")
		}
		first = false
		dw.json(c.Name())
		dw.raw(":")
		dw.json(h)
	}
	dw.raw("}")
}

// keptHistory is the kept seeded history of job collection c, if any.
func (dw *docWriter) keptHistory(c store.Collection) (SeededJobs, bool) {
	k, ok := c.IsJobs()
	if !ok {
		return SeededJobs{}, false
	}
	h, ok := dw.seeded[k]
	return h, ok
}

// keptCatalog is the kept seeded entity collection c, if any.
func (dw *docWriter) keptCatalog(c store.Collection) (SeededJobs, bool) {
	k, ok := c.Entity()
	if !ok {
		return SeededJobs{}, false
	}
	h, ok := dw.catalog[k]
	return h, ok
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
