package accountdoc

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Problem is one thing wrong with a supplied document, at a JSON pointer.
type Problem struct {
	Pointer string
	Detail  string
}

// Error returns the pointer and the detail.
func (p Problem) Error() string { return p.Pointer + ": " + p.Detail }

// ReplaceOptions say how Replace treats the collections a document leaves
// out and what it admits.
type ReplaceOptions struct {
	// Whole: collections the document leaves out become empty (a PUT of
	// the whole account); otherwise they are kept as they are, or generated
	// on first use (the state file).
	Whole bool
	// AllowPending admits jobs still in progress (the state file).
	AllowPending bool
	// Now stamps entities supplied without created/updated.
	Now time.Time
	// AsCreated: every entity must be one a create at the newest revision
	// could have made (see Mode); without it (the state file), files of
	// older versions load.
	AsCreated bool
	// Notify carries out the declared notify rules for what the document
	// changes (a control API PUT; see store.ReplaceOptions).
	Notify bool
}

// Replace validates st and, only if every part is valid and fits the
// memory budget, makes its collections account a's (see
// store.Account.Replace). It returns the problems found, each at its
// pointer in the document (nothing changes then), or
// store.ErrMemoryBudget.
func Replace(a *store.Account, st AccountState, o ReplaceOptions) ([]Problem, error) {
	in, probs := decode(a, st, o)
	if len(probs) > 0 {
		return probs, nil
	}
	conflicts, err := a.Replace(in, store.ReplaceOptions{Whole: o.Whole, Now: o.Now, Notify: o.Notify})
	if err != nil {
		return nil, err
	}
	for _, c := range conflicts {
		probs = append(probs, Problem{st.conflictPointer(c), c.Detail})
	}
	return probs, nil
}

// Restore validates a saved account (pending jobs allowed) and, if valid,
// makes it the content of the account key in s, marked changed.
// Collections the file does not hold regenerate on first use. A value that
// breaks a rule is returned as the first Problem found (an error); nothing
// changes then.
func Restore(s *store.Store, st AccountState, now time.Time) error {
	a, err := s.Mutable(st.Account)
	if err != nil {
		return err
	}
	if st.PublicKey != "" && st.PublicKey != a.PublicKey() {
		if !store.ValidPublicKey(st.PublicKey) {
			return Problem{"/public_key", fmt.Sprintf("%q is not a public key: six letters and digits.", st.PublicKey)}
		}
		if err := s.BindPublicKey(st.Account, st.PublicKey); err != nil {
			return Problem{"/public_key", "Another account in the file answers to " + st.PublicKey + "."}
		}
	}
	probs, err := Replace(a, st, ReplaceOptions{AllowPending: true, Now: now})
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		return probs[0] // the caller names the account
	}
	return nil
}

// decode makes every collection of st store values, each validated on its
// own, or returns every problem found.
func decode(a *store.Account, st AccountState, o ReplaceOptions) (*store.Contents, []Problem) {
	var probs []Problem
	if d := a.CheckInProgress(pendingCount(st)); d != "" {
		probs = append(probs, Problem{"", d})
	}
	in, cprobs := st.prepared.take(o)
	if in == nil {
		in, cprobs = collections(st, o, nil)
	}
	return in, append(probs, cprobs...)
}

// collections makes every collection of st store values, each validated on
// its own as o says, and returns them with every problem found. Entity
// documents are read by readers (which keep what they learn for the next
// documents).
func collections(st AccountState, o ReplaceOptions, readers *Preparer) (*store.Contents, []Problem) {
	var probs []Problem
	in := &store.Contents{Jobs: make(map[store.JobKind][]*store.Job, len(st.Jobs)), Entities: make(map[store.EntityKind][]*store.Entity, len(st.Entities)),
		Members: map[store.EntityKind][][2]string{}}
	// In the declaration's order, so a document always gets the same answer.
	for _, k := range store.JobKinds() {
		states, ok := st.Jobs[k]
		switch {
		case !ok:
			continue
		case len(states) == 0: // as JobsFromState reads none, without naming where they are
			in.Jobs[k] = []*store.Job{}
			continue
		}
		js, jp := JobsFromState(k, states, st.pointer(store.JobCollection(k)), o.AllowPending)
		probs = append(probs, jp...)
		in.Jobs[k] = js
	}
	mode := Whole
	if o.AsCreated {
		mode = AsCreated
	}
	for _, k := range store.Kinds() {
		raws, ok := st.Entities[k]
		switch {
		case !ok:
			continue
		case len(raws) == 0 && k.Decl().ID != schema.IDAccount: // as EntitiesFromState reads none
			in.Entities[k] = []*store.Entity{}
			continue
		}
		es, ms, ep := entitiesFromState(readers.reader(k), raws, st.pointer(store.EntityCollection(k)), mode)
		probs = append(probs, ep...)
		in.Entities[k] = es
		if len(ms) > 0 {
			in.Members[k] = ms
		}
	}
	in.Seeded, in.Catalog = st.Seeded, st.Catalog // the store only reads them
	return in, probs
}

// Preparer prepares account documents (see AccountState.Prepare) one
// after another, reading their entity documents with readers it keeps: the
// members' list and the names they learned serve the next document of
// their kind. The state file keeps one on each reading goroutine. A
// Preparer must not be used by two goroutines at once; the zero value is
// ready.
type Preparer struct {
	readers []*entityReader // by kind
}

// reader returns the reader of entity documents of kind k (a new one for
// a nil Preparer).
func (p *Preparer) reader(k store.EntityKind) *entityReader {
	if p == nil {
		return newEntityReader(k)
	}
	if int(k) >= len(p.readers) {
		p.readers = append(p.readers, make([]*entityReader, int(k)+1-len(p.readers))...)
	}
	if p.readers[k] == nil {
		p.readers[k] = newEntityReader(k)
	}
	return p.readers[k]
}

// Prepare is st.Prepare(allowPending), reading st's entity documents
// with p's readers.
func (p *Preparer) Prepare(st *AccountState, allowPending bool) {
	in, probs := collections(*st, ReplaceOptions{AllowPending: allowPending}, p)
	st.prepared = &prepared{allowPending: allowPending, in: in, probs: probs}
}

// prepared is an account document's collections decoded ahead of the
// Replace that takes them (see AccountState.Prepare).
type prepared struct {
	allowPending bool
	in           *store.Contents
	probs        []Problem
	taken        atomic.Bool
}

// Prepare decodes st's collections into store values now, as a Replace or
// Restore with pending jobs allowed as given (and not AsCreated: the state
// file's reading) would, so that the one of them that st is then handed to
// only checks them against the account and stores them. The state file
// prepares accounts on several cores and restores them one at a time, in
// order. Calls for different documents may run at once; what a Replace
// answers is the same either way.
func (st *AccountState) Prepare(allowPending bool) { new(Preparer).Prepare(st, allowPending) }

// PrepareSeeded makes, after Prepare, the seeded histories st keeps with
// the seeder of s (see store.Store.PrepareHistories), so that the Restore
// into s that takes st checks them without making them under the
// account's lock. Like Prepare, it runs on the state file's reading cores.
func (st *AccountState) PrepareSeeded(s *store.Store) {
	if p := st.prepared; p != nil && p.in != nil && !p.taken.Load() {
		s.PrepareHistories(st.Account, p.in)
	}
}

// take returns what was prepared, once (the contents then belong to the
// store), when o reads the document as Prepare did; nil otherwise.
func (p *prepared) take(o ReplaceOptions) (*store.Contents, []Problem) {
	if p == nil || p.allowPending != o.AllowPending || o.AsCreated || !p.taken.CompareAndSwap(false, true) {
		return nil, nil
	}
	return p.in, p.probs
}

// pendingCount is the number of jobs in progress in st.
func pendingCount(st AccountState) int {
	n := 0
	for _, states := range st.Jobs {
		for i := range states {
			if states[i].Pending != nil {
				n++
			}
		}
	}
	return n
}

// conflictPointer is where in the document what a conflict is about is:
// the relation of an entity, or a kept history or seeded entity collection
// (one of its hidden ids).
func (st *AccountState) conflictPointer(c store.Conflict) string {
	if _, isJobs := c.Collection.IsJobs(); isJobs || c.Relation == nil {
		member := seededMember
		if !isJobs {
			member = catalogMember
		}
		ptr := "/" + member + "/" + c.Collection.Name()
		if c.Hidden >= 0 {
			ptr += fmt.Sprintf("/hidden/%d", c.Hidden)
		}
		return ptr
	}
	return fmt.Sprintf("%s/%d/%s", st.pointer(c.Collection), c.Entity, c.Relation.Name)
}
