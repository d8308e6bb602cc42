package store

import (
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Export is a consistent view of one account's collections for writing
// out. It holds pointers to the account's immutable values, taken under the
// account's lock, so the (possibly slow) write happens without it and costs
// no copy of the account.
type Export struct {
	// Key is the account's key; PublicKey the public key it answers to.
	Key, PublicKey string
	cols           []Collection
	jobs           []*jobSet       // copies on write: written without the lock
	pending        map[string]Work // remaining work of jobs in progress, by id, copied under the lock
	// ents are, in a compact view, each entity kind's entities held (in id
	// order); views, in a whole one, a copy of each kind taken with the
	// view, made from as it is written (in position order).
	ents  [][]*Entity
	views []*seededKind
	// members are, for each entity whose document lists a membership (a
	// category's items), the ids it holds, sorted.
	members map[string][]string
	// kept describes, in a compact view, each entity kind seeded from a
	// source: ents then holds only its held entities.
	kept map[EntityKind]KeptHistory
}

// Export takes a view of the collections cs (every collection that exists
// when cs is empty; naming one generates it).
func (a *Account) Export(cs ...Collection) (Export, error) { return a.export(false, cs...) }

// ExportCompact is Export as the state file keeps an account: an entity
// kind seeded from a source is described by Catalog, and Entities holds
// only the entities requests created or changed.
func (a *Account) ExportCompact(cs ...Collection) (Export, error) { return a.export(true, cs...) }

func (a *Account) export(compact bool, cs ...Collection) (Export, error) {
	if err := a.ensure(cs...); err != nil {
		return Export{}, err
	}
	a.settle()
	a.mu.RLock()
	defer a.mu.RUnlock()
	a.views.Lock()
	defer a.views.Unlock()
	if len(cs) == 0 {
		for _, c := range AllCollections() {
			if a.seeded[c] {
				cs = append(cs, c)
			}
		}
	}
	slices.Sort(cs)
	ex := Export{Key: a.key, PublicKey: a.PublicKey(), cols: slices.Compact(cs), jobs: make([]*jobSet, numJobKinds()),
		ents: make([][]*Entity, len(Kinds())), views: make([]*seededKind, len(Kinds()))}
	for _, c := range ex.cols {
		if k, ok := c.IsJobs(); ok {
			ex.jobs[k] = a.jobs[k].clone()
			// Created jobs in progress: their remaining work changes
			// under the lock, so it is copied now.
			for _, ref := range a.active {
				if ref.kind != k {
					continue
				}
				if j, ok := a.jobs[k].stored(&Job{ID: ref.id}); ok && j.work != nil {
					if ex.pending == nil {
						ex.pending = map[string]Work{}
					}
					ex.pending[j.ID] = *j.work
				}
			}
			continue
		}
		a.exportKindLocked(&ex, EntityKind(c), compact)
	}
	return ex, nil
}

// exportKindLocked adds entity kind k to ex: in a compact view, what its
// source seeds (Catalog) and the entities held; else a copy of the kind
// (its held entities and hidden indexes, O(what requests changed)). The
// memberships its entities list are read now.
func (a *Account) exportKindLocked(ex *Export, k EntityKind, compact bool) {
	sk := a.cat.kinds[k]
	var owners []*Entity
	if compact && sk.src != nil {
		if ex.kept == nil {
			ex.kept = map[EntityKind]KeptHistory{}
		}
		ex.kept[k] = sk.kept()
		for _, e := range sk.held {
			owners = append(owners, e)
		}
		slices.SortFunc(owners, func(x, y *Entity) int { return strings.Compare(x.ID, y.ID) })
		ex.ents[k] = owners
	} else {
		ex.views[k] = sk.snapshot()
	}
	for _, r := range k.OwnRelations() {
		if r.Kind != schema.Members {
			continue
		}
		if ex.views[k] != nil && owners == nil {
			owners = a.cat.all(k)
		}
		if ex.members == nil {
			ex.members = make(map[string][]string, len(owners))
		}
		for _, e := range owners {
			ex.members[e.ID] = sortedCopy(positionIDs(a.cat.related(k, e.ID, r)))
		}
	}
}

// Catalog describes the seeded entities of kind k in a compact view, when
// they come from a source: how many it seeds, the first one's id and the
// ids of those deleted (those replaced are among Entities).
func (ex Export) Catalog(k EntityKind) (KeptHistory, bool) {
	h, ok := ex.kept[k]
	return h, ok
}

// Collections returns the collections exported, in order.
func (ex Export) Collections() []Collection { return ex.cols }

// Count returns the number of objects exported in c.
func (ex Export) Count(c Collection) int {
	if k, ok := c.IsJobs(); ok {
		return ex.jobs[k].len()
	}
	if v := ex.views[EntityKind(c)]; v != nil {
		return v.len()
	}
	return len(ex.ents[EntityKind(c)])
}

// EachEntity calls fn with the entities of kind k exported until fn
// returns false: those of a whole view in position order, seeded ones made
// one at a time (nothing is held for the writing); those of a compact view
// in id order.
func (ex Export) EachEntity(k EntityKind, fn func(*Entity) bool) {
	if v := ex.views[k]; v != nil {
		v.walk(nil, false, nil, fn)
		return
	}
	for _, e := range ex.ents[k] {
		if !fn(e) {
			return
		}
	}
}

// Members returns the ids an exported entity's memberships hold (a
// category's items), sorted: those of its OwnRelations of kind Members.
func (ex Export) Members(id string) []string { return ex.members[id] }

// Jobs calls fn with every exported job of kind k in id order (seeded ones
// made one at a time), each with a copy of its remaining work taken with
// the view (nil for history), until fn returns false.
func (ex Export) Jobs(k JobKind, fn func(*Job, *Work) bool) {
	ex.jobs[k].each(k, func(j *Job) bool { return fn(j, ex.work(j)) })
}

// StoredJobs is Jobs without the jobs of the seeded history (see History).
func (ex Export) StoredJobs(k JobKind, fn func(*Job, *Work) bool) {
	ex.jobs[k].ascend(func(j *Job) bool { return fn(j, ex.work(j)) })
}

// History describes the seeded history of the exported jobs of kind k, if
// they have one: a compact copy holds it as that, beside StoredJobs.
func (ex Export) History(k JobKind) (KeptHistory, bool) {
	s := ex.jobs[k]
	if s.hist == nil || s.hist.Len() == 0 {
		return KeptHistory{}, false
	}
	return KeptHistory{Count: s.hist.Len(), First: s.hist.ID(0), Hidden: s.hiddenIDs()}, true
}

// work returns the copy of j's remaining work taken with the view.
func (ex Export) work(j *Job) *Work {
	if w, ok := ex.pending[j.ID]; ok {
		return &w
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
