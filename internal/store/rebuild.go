package store

import (
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// attachHistoryLocked puts seeded history h back under the stored jobs of
// kind k, less the jobs hidden (by id) and those a stored job replaces.
func (a *Account) attachHistoryLocked(k JobKind, h History, hidden []int) {
	s := a.jobs[k]
	s.hist = h
	s.histBase = a.stamps.Add(uint64(h.Len())) - uint64(h.Len()) + 1
	a.ids.Observe(h.ID(h.Len() - 1))
	a.grow(historyBytes + h.Bytes())
	n := len(s.hidden)
	if s.hidden == nil && len(hidden) > 0 { // none: hide makes it
		s.hidden = make(map[int]struct{}, len(hidden))
	}
	for _, i := range hidden {
		s.hidden[i] = struct{}{}
	}
	s.ascend(func(j *Job) bool {
		s.hide(j.ID)
		return true
	})
	a.grow(int64(len(s.hidden)-n) * hiddenBytes)
	a.bumpLocked(JobCollection(k))
}

// replaceLocked installs validated collections.
func (a *Account) replaceLocked(in *Contents, o ReplaceOptions) {
	catalogChanged := false
	for _, c := range AllCollections() {
		if !in.Has(c) && !wholeReplaces(c, o) {
			continue
		}
		a.markSeededLocked(c)
		k, ok := c.IsJobs()
		if !ok {
			catalogChanged = true
			continue
		}
		a.clearJobsLocked(k)
		for _, j := range in.Jobs[k] {
			a.insertJobLocked(j)
		}
	}
	if catalogChanged {
		a.rebuildCatalogLocked(in, o)
	}
	a.nActive.Store(int32(len(a.active)))
}

// rebuildCatalogLocked builds the catalog anew from the entities supplied
// for the collections in holds and the current ones for the others:
// entities whose parent is gone and memberships of entities that are gone
// are dropped. Supplied entities bring the memberships their documents
// list; otherwise the current ones are kept. A kind seeded from a source
// stays so when it is kept, or supplied as a compact copy keeps it.
func (a *Account) rebuildCatalogLocked(in *Contents, o ReplaceOptions) {
	old := &a.cat
	a.forgetPagesLocked()
	replaced := func(k EntityKind) bool { return in.Has(EntityCollection(k)) || wholeReplaces(EntityCollection(k), o) }
	b := newRebuildPlan(in.keptSeeds) // a kept kind is a replaced one: its source is in place
	in.keptSeeds = nil                // the plan owns the list now, and writes other kinds' sources into it
	for _, k := range Kinds() {
		switch {
		case replaced(k):
			b.install[k], b.members[k] = in.Entities[k], in.Members[k]
			if b.sources[k].Source != nil {
				b.hidden[k] = in.Catalog[k].Hidden
			}
		case old.kinds[k].src != nil && a.seeder != nil:
			a.keepSeededLocked(old, k, b)
		default:
			a.keepHeldLocked(old, k, b)
		}
	}
	a.grow(-a.cat.bytes)
	prev := a.cat
	if o.Notify || !a.cat.empty() { // an empty one (a new account's, restored) is as new
		a.cat = newCatalog(a.cat.work)
	}
	a.bumpLocked(catalogVersion)
	a.installPlanLocked(b)
	if o.Notify {
		a.notifyAllLocked(&prev, a.now().Truncate(time.Millisecond))
	}
}

// keepHeldLocked copies kind k of the catalog old, with its memberships,
// into what rebuild installs.
func (a *Account) keepHeldLocked(old *catalog, k EntityKind, b *rebuildPlan) {
	for _, r := range k.OwnRelations() {
		if r.Kind != schema.Members {
			continue
		}
		old.each(k, func(e *Entity) bool {
			for _, other := range positionIDs(old.related(k, e.ID, r)) {
				b.members[k] = append(b.members[k], [2]string{e.ID, other})
			}
			return true
		})
	}
	old.each(k, func(e *Entity) bool {
		// A copy with a new stamp: what it shows (an item's variants,
		// a category's items) may change with the rest.
		cp := *e
		cp.stamp = 0
		b.install[k] = append(b.install[k], &cp)
		return true
	})
}

func (a *Account) clearJobsLocked(k JobKind) {
	s := a.jobs[k]
	s.ascend(func(j *Job) bool {
		a.grow(-j.memSize())
		return true
	})
	if s.hist != nil {
		a.grow(-historyBytes - s.hist.Bytes() - int64(len(s.hidden))*hiddenBytes)
	}
	if !s.empty() { // an empty one (every kind of an account being restored) is as new
		a.jobs[k] = newJobSet(a.work, a.made)
	}
	a.bumpLocked(JobCollection(k))
	keep := a.active[:0]
	for _, r := range a.active {
		if r.kind != k {
			keep = append(keep, r)
		}
	}
	a.active = keep
}

// wholeReplaces reports whether a whole replace empties collection c when
// the contents leave it out: every collection but an account's own record
// (the account a key reaches always has one; it is kept).
func wholeReplaces(c Collection, o ReplaceOptions) bool {
	if k, ok := c.Entity(); ok && k.Decl().ID == schema.IDAccount {
		return false
	}
	return o.Whole
}

// empty reports whether c holds nothing, as newCatalog makes it: no kind
// seeded from a source or holding an entity, no index entry, no overlay.
// It names each field by hand (a walk would cost a restore its shortcut);
// TestCatalogEmpty_ReadsEveryFieldThatCanHoldSomething fails on a field it
// does not read.
func (c *catalog) empty() bool {
	if c.rel != nil || c.bytes != 0 || c.ovN != 0 {
		return false
	}
	for k, sk := range c.kinds {
		if sk.src != nil || len(sk.hidden)+len(sk.gone)+len(sk.held) > 0 || (sk.order != nil && sk.order.Len() > 0) {
			return false
		}
		for _, ri := range c.rels[k] {
			if len(ri.byID)+len(ri.byTree) > 0 {
				return false
			}
		}
		for _, ov := range c.members[k] {
			if ov != nil {
				return false
			}
		}
		for _, vi := range c.values[k] {
			if len(vi.byValue) > 0 {
				return false
			}
		}
	}
	return true
}
