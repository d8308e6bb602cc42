package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// AccountState is an account's content as the control API, the Go package
// and the state file exchange it: the collections present, by name
// ({"account": key, "items": […], "item-bulk-update-jobs": […], …}; "jobs"
// is accepted for item-bulk-update-jobs, its original name).
type AccountState struct {
	// Account is the whole key in the state file; in the control API's
	// documents it is a label (an export shows the key's fingerprint).
	Account  string
	Jobs     map[JobKind][]JobState
	Entities map[EntityKind][]json.RawMessage
	// Seeded names the job collections whose seeded history is kept (the
	// jobs in Jobs are then those stored beside it), each with the ids of
	// the history jobs deleted or replaced: the state file's compact form
	// ({"seeded_jobs": {"item-bulk-update-jobs": {"count": n, "first": id,
	// "hidden": [ids]}}}), so a million seeded jobs are written as what
	// changed.
	Seeded map[JobKind]SeededJobs
	// names are the names the document used ("jobs"), for pointers.
	names map[Collection]string
}

// SeededJobs is what a state document says of a kept seeded history: how
// many jobs it had and the first one's id when it was written (so a server
// started with other flags, which would make another history, refuses it
// rather than mix the two), and the ids of its jobs deleted or replaced.
type SeededJobs struct {
	Count  int      `json:"count"`
	First  string   `json:"first"`
	Hidden []string `json:"hidden"`
}

// Name sets the name collection c goes by in problems' pointers (as a
// document would name it, e.g. "jobs").
func (st *AccountState) Name(c Collection, name string) {
	if st.names == nil {
		st.names = map[Collection]string{}
	}
	st.names[c] = name
}

// NameOf returns the name collection c went by.
func (st *AccountState) NameOf(c Collection) string { return strings.TrimPrefix(st.pointer(c), "/") }

// pointer is the JSON pointer of collection c in the document.
func (st *AccountState) pointer(c Collection) string {
	if n, ok := st.names[c]; ok {
		return "/" + n
	}
	return "/" + c.Name()
}

// Has reports whether the state holds collection c.
func (st *AccountState) Has(c Collection) bool {
	if k, ok := c.IsJobs(); ok {
		_, has := st.Jobs[k]
		return has
	}
	_, has := st.Entities[EntityKind(c)]
	return has
}

// UnmarshalJSON reads an account document strictly: unknown members and
// unknown members of jobs are errors.
func (st *AccountState) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	st.Jobs, st.Entities, st.names = map[JobKind][]JobState{}, map[EntityKind][]json.RawMessage{}, map[Collection]string{}
	for name, v := range raw {
		if name == seededMember {
			var seeded map[string]SeededJobs
			sd := json.NewDecoder(bytes.NewReader(v))
			sd.DisallowUnknownFields()
			if err := sd.Decode(&seeded); err != nil {
				return prefixField(err, name)
			}
			st.Seeded = map[JobKind]SeededJobs{}
			for cname, h := range seeded {
				c, ok := CollectionNamed(cname)
				k, isJobs := c.IsJobs()
				if !ok || !isJobs {
					return fmt.Errorf("json: %s: %q is not a job collection", name, cname)
				}
				if _, dup := st.Seeded[k]; dup {
					return fmt.Errorf("json: %s: names %s twice", name, c.Name())
				}
				h.Hidden = append([]string{}, h.Hidden...)
				st.Seeded[k] = h
			}
			continue
		}
		if name == "account" {
			if err := json.Unmarshal(v, &st.Account); err != nil {
				return &json.UnmarshalTypeError{Value: "non-string", Field: "account", Type: reflect.TypeOf("")}
			}
			continue
		}
		c, ok := CollectionNamed(name)
		if !ok {
			return fmt.Errorf("json: unknown field %q", name)
		}
		if _, dup := st.names[c]; dup {
			return fmt.Errorf("json: unknown field %q: the document names %s twice", name, c.Name())
		}
		st.names[c] = name
		if k, ok := c.IsJobs(); ok {
			var jobs []JobState
			jd := json.NewDecoder(bytes.NewReader(v))
			jd.DisallowUnknownFields()
			if err := jd.Decode(&jobs); err != nil {
				return prefixField(err, name)
			}
			if jobs == nil {
				jobs = []JobState{}
			}
			st.Jobs[k] = jobs
			continue
		}
		var ents []json.RawMessage
		if err := json.Unmarshal(v, &ents); err != nil {
			return prefixField(err, name)
		}
		if ents == nil {
			ents = []json.RawMessage{}
		}
		st.Entities[EntityKind(c)] = ents
	}
	return nil
}

// prefixField names the collection in a decoding error.
func prefixField(err error, name string) error {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		if te.Field == "" {
			te.Field = name
		} else {
			te.Field = name + "." + te.Field
		}
		return te
	}
	return err
}

// ReplaceOptions say how Replace treats the collections a state leaves out
// and what it admits.
type ReplaceOptions struct {
	// Whole: collections the state leaves out become empty (a PUT of the
	// whole account); otherwise they are kept as they are, or generated on
	// first use (the state file).
	Whole bool
	// AllowPending admits jobs still in progress (the state file).
	AllowPending bool
	// Now stamps entities supplied without created/updated.
	Now time.Time
}

// Replace validates st and, only if every part is valid and fits the
// memory budget, makes its collections the account's. What entities name
// (a variant's item, a category's items) must be in the resulting catalog;
// replacing the items drops the variants and memberships of items that
// are gone. It returns the problems found (nothing changes then), or
// ErrMemoryBudget.
func (a *Account) Replace(st AccountState, o ReplaceOptions) ([]Problem, error) {
	in, probs := decodeState(st, o, a.life.MaxInProgress)
	if len(probs) > 0 {
		return probs, nil
	}
	// Collections kept as they are must exist before they are checked against.
	if err := a.ensure(keptTargets(st, o)...); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// Job elements that came due before the replace are applied before it,
	// whether or not anyone looked since.
	a.settleLocked(a.now().Truncate(time.Microsecond))
	if probs := a.checkReferencesLocked(st, o, in); len(probs) > 0 {
		return probs, nil
	}
	hists, hidden, histBytes, probs := a.keptHistories(st)
	if len(probs) > 0 {
		return probs, nil
	}
	if err := a.reserve(in.size() + histBytes); err != nil {
		return nil, err
	}
	a.replaceLocked(st, o, in)
	for k, h := range hists {
		a.attachHistoryLocked(k, h, hidden[k])
	}
	return nil, nil
}

// decoded is a state's collections made into store values.
type decoded struct {
	jobs map[JobKind][]*Job
	ents map[EntityKind][]*Entity
	// members are each kind's [owner, member] pairs its documents list.
	members map[EntityKind][][2]string
}

// size is what the decoded collections take once installed.
func (in *decoded) size() int64 {
	var n int64
	for _, js := range in.jobs {
		n += SizeOf(Seed{Jobs: js})
	}
	for _, es := range in.ents {
		n += SizeOf(Seed{Entities: es})
	}
	for _, ms := range in.members {
		n += int64(len(ms)) * linkBytes
	}
	return n
}

// decodeState validates every collection of st on its own.
func decodeState(st AccountState, o ReplaceOptions, maxInProgress int) (*decoded, []Problem) {
	var probs []Problem
	if n := pendingCount(st); n > maxInProgress {
		probs = append(probs, Problem{"", fmt.Sprintf("%d jobs are in progress; the API lets at most %d be at one time.", n, maxInProgress)})
	}
	in := &decoded{jobs: map[JobKind][]*Job{}, ents: map[EntityKind][]*Entity{}, members: map[EntityKind][][2]string{}}
	for k, states := range st.Jobs {
		js, jp := JobsFromState(k, states, st.pointer(JobCollection(k)), o.AllowPending)
		probs = append(probs, jp...)
		in.jobs[k] = js
	}
	for k, raws := range st.Entities {
		es, ms, ep := EntitiesFromState(k, raws, st.pointer(EntityCollection(k)))
		probs = append(probs, ep...)
		for _, e := range es {
			if e.Created.IsZero() {
				e.Created = o.Now
			}
			if e.Updated.IsZero() {
				e.Updated = e.Created
			}
		}
		in.ents[k] = es
		if len(ms) > 0 {
			in.members[k] = ms
		}
	}
	return in, probs
}

// keptTargets are the collections a partial replace checks supplied
// entities against without replacing them (the items supplied variants
// and categories name).
func keptTargets(st AccountState, o ReplaceOptions) []Collection {
	var keep []Collection
	if o.Whole {
		return nil
	}
	for _, k := range Kinds() {
		if !st.Has(EntityCollection(k)) {
			continue
		}
		for _, r := range docRelations(k) {
			if t := EntityCollection(k.Target(r)); !st.Has(t) && !slices.Contains(keep, t) {
				keep = append(keep, t)
			}
		}
	}
	return keep
}

// checkReferencesLocked reports what supplied entities name that the
// resulting catalog would not hold: a parent, or a member.
func (a *Account) checkReferencesLocked(st AccountState, o ReplaceOptions, in *decoded) []Problem {
	var probs []Problem
	held := map[EntityKind]map[string]bool{}
	holds := func(t EntityKind, id string) bool {
		if held[t] == nil {
			held[t] = map[string]bool{}
			if es, ok := in.ents[t]; ok {
				for _, e := range es {
					held[t][e.ID] = true
				}
			} else if !o.Whole {
				for id := range a.cat.ents[t] {
					held[t][id] = true
				}
			}
		}
		return held[t][id]
	}
	for _, k := range Kinds() {
		index := map[string]int{}
		for i, e := range in.ents[k] {
			index[e.ID] = i
		}
		for _, r := range docRelations(k) {
			t := k.Target(r)
			missing := fmt.Sprintf("%s %%s does not exist.", capitalize(t.Decl().Singular))
			switch r.Kind {
			case schema.Parent:
				for i, e := range in.ents[k] {
					if !holds(t, e.Ref(r)) {
						probs = append(probs, Problem{fmt.Sprintf("%s/%d/%s", st.pointer(EntityCollection(k)), i, r.Name), fmt.Sprintf(missing, e.Ref(r))})
					}
				}
			case schema.Members:
				for _, m := range in.members[k] {
					if !holds(t, m[1]) {
						probs = append(probs, Problem{fmt.Sprintf("%s/%d/%s", st.pointer(EntityCollection(k)), index[m[0]], r.Name), fmt.Sprintf(missing, m[1])})
					}
				}
			}
		}
	}
	return probs
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// keptHistories makes the seeded histories st keeps, from the seed as
// generating them would, checked against what the document says of them,
// with the indexes of their hidden jobs and what they take.
func (a *Account) keptHistories(st AccountState) (map[JobKind]History, map[JobKind][]int, int64, []Problem) {
	hists := map[JobKind]History{}
	hidden := map[JobKind][]int{}
	var size int64
	for k, sj := range st.Seeded {
		ptr := "/" + seededMember + "/" + JobCollection(k).Name()
		if _, ok := st.Jobs[k]; !ok {
			return nil, nil, 0, []Problem{{ptr, "The collection is not in the document."}}
		}
		var h History
		if a.seeder != nil {
			h = a.seeder(a.key, JobCollection(k)).History
		}
		if h == nil || h.Len() == 0 || h.Len() != sj.Count || h.ID(0) != sj.First || len(sj.Hidden) > h.Len() {
			n, first := 0, ""
			if h != nil && h.Len() > 0 {
				n, first = h.Len(), h.ID(0)
			}
			return nil, nil, 0, []Problem{{ptr, fmt.Sprintf("The seeded history was %d jobs from %q; this server seeds %d from %q "+
				"(it was started with other --seed, --jobs, --epoch, --items, --variants or --categories).", sj.Count, sj.First, n, first)}}
		}
		idx := make([]int, 0, len(sj.Hidden))
		for i, id := range sj.Hidden {
			x := sort.Search(h.Len(), func(x int) bool { return h.ID(x) >= id })
			if x == h.Len() || h.ID(x) != id {
				return nil, nil, 0, []Problem{{fmt.Sprintf("%s/hidden/%d", ptr, i), fmt.Sprintf("The seeded history has no job %s.", id)}}
			}
			idx = append(idx, x)
		}
		hists[k], hidden[k] = h, idx
		size += historyBytes + h.Bytes() + int64(len(idx))*hiddenBytes
	}
	return hists, hidden, size, nil
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

// seededMember is the account document's member naming the job
// collections whose seeded history is kept (AccountState.Seeded).
const seededMember = "seeded_jobs"

// attachHistoryLocked puts seeded history h back under the stored jobs of
// kind k, less the jobs hidden (by id) and those a stored job replaces.
func (a *Account) attachHistoryLocked(k JobKind, h History, hidden []int) {
	s := a.jobs[k]
	s.hist = h
	s.histBase = a.stamps.Add(uint64(h.Len())) - uint64(h.Len()) + 1
	a.ids.Observe(h.ID(h.Len() - 1))
	a.grow(historyBytes + h.Bytes())
	n := len(s.hidden)
	if s.hidden == nil {
		s.hidden = map[int]struct{}{}
	}
	for _, i := range hidden {
		s.hidden[i] = struct{}{}
	}
	s.all.Ascend(func(j *Job) bool {
		s.hide(j.ID)
		return true
	})
	a.grow(int64(len(s.hidden)-n) * hiddenBytes)
	a.bumpLocked(JobCollection(k))
}

// replaceLocked installs validated collections.
func (a *Account) replaceLocked(st AccountState, o ReplaceOptions, in *decoded) {
	catalogChanged := false
	for _, c := range AllCollections() {
		if !st.Has(c) && !o.Whole {
			continue
		}
		a.markSeededLocked(c)
		k, ok := c.IsJobs()
		if !ok {
			catalogChanged = true
			continue
		}
		a.clearJobsLocked(k)
		for _, j := range in.jobs[k] {
			a.insertJobLocked(j)
		}
	}
	if catalogChanged {
		a.rebuildCatalogLocked(st, o, in)
	}
	a.nActive.Store(int32(len(a.active)))
}

// rebuildCatalogLocked builds the catalog anew from the entities supplied
// for the collections st holds and the current ones for the others:
// entities whose parent is gone and memberships of entities that are gone
// are dropped. Supplied entities bring the memberships their documents
// list; otherwise the current ones are kept.
func (a *Account) rebuildCatalogLocked(st AccountState, o ReplaceOptions, in *decoded) {
	old := &a.cat
	replaced := func(k EntityKind) bool { return o.Whole || st.Has(EntityCollection(k)) }
	members := map[EntityKind][][2]string{}
	install := make([][]*Entity, len(Kinds()))
	for _, k := range Kinds() {
		if replaced(k) {
			install[k], members[k] = in.ents[k], in.members[k]
			continue
		}
		for _, r := range docRelations(k) {
			if r.Kind != schema.Members {
				continue
			}
			for owner := range old.ents[k] {
				for _, other := range positionIDs(old.related(k, owner, r)) {
					members[k] = append(members[k], [2]string{owner, other})
				}
			}
		}
		for _, e := range old.ents[k] {
			// A copy with a new stamp: what it shows (an item's variants,
			// a category's items) may change with the rest.
			cp := *e
			cp.stamp = 0
			install[k] = append(install[k], &cp)
		}
	}
	a.grow(-a.catalogBytesLocked())
	a.cat = newCatalog()
	a.bumpLocked(catalogVersion)
	for _, k := range Kinds() {
		parent, hasParent := k.Decl().Parent()
		for _, e := range install[k] {
			if hasParent && a.cat.ents[k.Target(parent)][e.Ref(parent)] == nil {
				continue
			}
			a.putEntityLocked(e)
		}
	}
	for _, k := range Kinds() {
		for _, r := range docRelations(k) {
			if r.Kind != schema.Members {
				continue
			}
			for _, m := range members[k] {
				a.linkLocked(k, r, m[0], m[1], time.Time{})
			}
		}
	}
}

// catalogBytesLocked is the estimated size of the catalog.
func (a *Account) catalogBytesLocked() int64 {
	var n int64
	for _, m := range a.cat.ents {
		for _, e := range m {
			n += e.memSize() + indexSize(e)
		}
	}
	for _, k := range Kinds() {
		for _, r := range docRelations(k) {
			if r.Kind != schema.Members {
				continue
			}
			for owner := range a.cat.ents[k] {
				n += int64(len(a.cat.related(k, owner, r))) * linkBytes
			}
		}
	}
	return n
}

func (a *Account) clearJobsLocked(k JobKind) {
	s := a.jobs[k]
	s.all.Ascend(func(j *Job) bool {
		a.grow(-j.memSize())
		return true
	})
	if s.hist != nil {
		a.grow(-historyBytes - s.hist.Bytes() - int64(len(s.hidden))*hiddenBytes)
	}
	a.jobs[k] = newJobSet(a.work, a.made)
	a.bumpLocked(JobCollection(k))
	keep := a.active[:0]
	for _, r := range a.active {
		if r.kind != k {
			keep = append(keep, r)
		}
	}
	a.active = keep
}

// Restore validates a saved account (pending jobs allowed) and, if valid,
// makes it the content of the account key, marked changed. Collections the
// file does not hold regenerate on first use. A value that breaks a rule is
// returned as the first Problem found (an error); nothing changes then.
func (s *Store) Restore(st AccountState, now time.Time) error {
	a, err := s.Mutable(st.Account)
	if err != nil {
		return err
	}
	probs, err := a.Replace(st, ReplaceOptions{AllowPending: true, Now: now})
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		return probs[0] // the caller names the account
	}
	return nil
}
