package store

import (
	"slices"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// A large relationship write on the side of a relation whose owners hold
// many (a category's items) is planned under the read lock, which readers
// share, and applied under the write lock with bounded work per changed
// member: one swap of the owner's member tree (built without any lock) and
// one map write for each changed member's own list (worked out under the
// read lock). A write that lands in between (the catalog's version moved)
// makes the plan stale; the write is planned again, and after planTries
// stale plans carried out under the write lock one member at a time, as a
// small write always is, which is always correct.

// smallRelate is the most ids an add or remove sends that is carried out
// under the write lock directly: a bounded amount of work.
const smallRelate = 256

// plannedRelate reports whether a write of n ids through membership r of
// kind is planned: its owners hold many (a tree), each member few (a list),
// and the write is a replacement or more than smallRelate ids.
func plannedRelate(kind EntityKind, r *schema.Relation, act RelAction, n int) bool {
	if r.Kind != schema.Members || !r.Large {
		return false
	}
	inv, _ := kind.Target(r).Decl().Relation(r.Inverse)
	return !inv.Large && (act == RelReplace || n > smallRelate)
}

// memberPlan is a membership write worked out against one version of the
// catalog.
type memberPlan struct {
	ver      uint64
	ownerPos Position
	cur, ps  []Position // the owner's members before, and the ids sent, in order
	tree     *posTree   // the owner's members afterwards
	// changed are the members that come or go; lists their own lists
	// (the relation's other side) afterwards, in the same order (nil for a
	// new owner: worked out under the write lock).
	changed []Position
	added   int
	lists   [][]Position
}

// planTries is how many times a relationship write is planned before one
// that other writes keep making stale is made under the write lock.
const planTries = 3

// relateBulk carries out Relate for a Large relation; see above.
func (a *Account) relateBulk(kind EntityKind, r *schema.Relation, id string, act RelAction, others []string) (*ElementError, error) {
	for try := 1; ; try++ {
		a.settle()
		p, eerr := a.planRelate(kind, r, id, act, others, false)
		if eerr != nil {
			return eerr, nil
		}
		if done, eerr, err := a.applyRelate(kind, r, id, act, others, p, try == planTries); done {
			return eerr, err
		}
	}
}

// applyRelate applies plan p under the write lock when it is current;
// otherwise, when last, it makes the write there one member at a time. It
// reports whether the write is done.
func (a *Account) applyRelate(kind EntityKind, r *schema.Relation, id string, act RelAction, others []string, p *memberPlan, last bool) (bool, *ElementError, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Truncate(time.Microsecond)
	a.settleLocked(now)
	if !a.currentLocked(p) {
		if !last {
			return false, nil, nil // changed meanwhile: plan again
		}
		eerr, err := a.relateLocked(kind, r, id, act, others, now)
		return true, eerr, err
	}
	if act != RelRemove {
		if err := a.reserve(int64(len(others)) * linkBytes); err != nil {
			return true, nil, err
		}
	}
	a.applyMembersLocked(kind, r, id, p, now.Truncate(time.Millisecond))
	return true, nil, nil
}

// planRelate works out, under the read lock (and partly without a lock),
// what act with others does to owner id's members through r. It returns
// the element error of an owner or an id that does not exist.
//
// For a create (the owner is new), the owner must not exist yet, and each
// member's list is left to the write lock: the new owner's position is
// known only there.
func (a *Account) planRelate(kind EntityKind, r *schema.Relation, id string, act RelAction, others []string, create bool) (*memberPlan, *ElementError) {
	a.mu.RLock()
	var eerr *ElementError
	if create && a.cat.get(kind, id) != nil {
		eerr = errExists(kind, id)
	} else if !create {
		eerr = a.checkRelateLocked(kind, r, id, others)
	} else {
		eerr = a.checkOthersLocked(kind, r, others)
	}
	var p memberPlan
	if eerr == nil {
		p = a.readMembersLocked(kind, r, id, others)
	}
	w := a.cat.work
	a.mu.RUnlock()
	if eerr != nil {
		return nil, eerr
	}
	p.plan(act)
	w.unlocked()
	if !create {
		a.mu.RLock()
		a.readListsLocked(kind, r, id, &p)
		a.mu.RUnlock()
	}
	return &p, nil
}

// currentLocked reports whether plan p was worked out against the catalog
// as it is (nothing changed it since).
func (a *Account) currentLocked(p *memberPlan) bool {
	return p != nil && a.ver[versionSlot(catalogVersion)].Load() == p.ver
}

// planWrite plans the membership an entity write sets, as relateBulk
// does, when it is a create or update whose relationship is planned; nil
// otherwise (then the write is made under the lock, which also reports its
// errors).
func (a *Account) planWrite(kind JobKind, el *Element) *memberPlan {
	act := kind.Action()
	if act == schema.Delete || !el.HasRelated {
		return nil
	}
	ek := kind.Entity()
	rel, _ := elementRelation(ek, act)
	if rel == nil || !plannedRelate(ek, rel, RelReplace, len(el.Related)) {
		return nil
	}
	a.settle()
	p, _ := a.planRelate(ek, rel, el.ID, RelReplace, el.Related, act == schema.Create)
	return p
}

// readMembersLocked reads what planning needs: the catalog's version, the
// owner's position and members, and the positions of the ids sent (which
// exist).
func (a *Account) readMembersLocked(kind EntityKind, r *schema.Relation, id string, others []string) memberPlan {
	c := &a.cat
	p := memberPlan{ver: a.ver[versionSlot(catalogVersion)].Load()}
	p.ownerPos, _ = c.position(kind, id)
	p.cur = c.related(kind, id, r)
	t := kind.Target(r)
	p.ps = make([]Position, len(others))
	for i, o := range others {
		p.ps[i], _ = c.position(t, o) // checked before
	}
	return p
}

// plan works out, without any lock, the owner's members after act and the
// members that change.
func (p *memberPlan) plan(act RelAction) {
	slices.SortFunc(p.ps, Position.Compare)
	p.ps = slices.CompactFunc(p.ps, Position.same)
	after := make([]Position, 0, len(p.cur)+len(p.ps))
	var added, removed []Position
	// Walk both lists in order: each position is in the old, the sent or both.
	i, j := 0, 0
	for i < len(p.cur) || j < len(p.ps) {
		switch {
		case j == len(p.ps) || i < len(p.cur) && p.cur[i].Less(p.ps[j]): // held, not sent
			if act == RelReplace {
				removed = append(removed, p.cur[i])
			} else {
				after = append(after, p.cur[i])
			}
			i++
		case i == len(p.cur) || p.ps[j].Less(p.cur[i]): // sent, not held
			if act != RelRemove {
				added = append(added, p.ps[j])
				after = append(after, p.ps[j])
			}
			j++
		default: // both
			if act == RelRemove {
				removed = append(removed, p.cur[i])
			} else {
				after = append(after, p.cur[i])
			}
			i, j = i+1, j+1
		}
	}
	p.tree = newPosTree()
	for _, q := range after {
		p.tree.ReplaceOrInsert(q)
	}
	p.changed, p.added = append(added, removed...), len(added)
}

// readListsLocked works out each changed member's own list afterwards.
func (a *Account) readListsLocked(kind EntityKind, r *schema.Relation, id string, p *memberPlan) {
	if _, _, seeded := a.cat.seededOwner(kind, r, id); seeded {
		return // a seeded owner's members are replaced whole; no member's list changes
	}
	_, _, ii := a.cat.inverse(kind, r)
	p.lists = make([][]Position, len(p.changed))
	for k, q := range p.changed {
		l := slices.Clone(ii.byID[q.ID])
		if k < p.added {
			l = insertPos(l, p.ownerPos)
		} else {
			l = removePos(l, p.ownerPos)
		}
		p.lists[k] = l
	}
}

// applyMembersLocked installs plan p as owner id's members through r at
// time at: the owner's tree swapped, each changed member's list replaced,
// the sides whose relation Touches updated once.
func (a *Account) applyMembersLocked(kind EntityKind, r *schema.Relation, id string, p *memberPlan, at time.Time) {
	if len(p.changed) == 0 {
		return
	}
	c := &a.cat
	t, inv, ii := c.inverse(kind, r)
	if ov, ci, ok := c.seededOwner(kind, r, id); ok {
		// A seeded owner: its member set replaced whole, one step.
		c.work.tree()
		ov.replace(ci, p.tree)
		a.syncOverlayLocked()
		a.finishMembersLocked(kind, r, id, t, inv, p, at, false)
		return
	}
	own := &c.rels[kind][r.Slot]
	c.work.tree()
	if p.tree.Len() == 0 {
		delete(own.byTree, id)
	} else {
		own.trees()[id] = p.tree
	}
	if p.lists == nil { // a new owner: its position is known now
		pos := positionOf(c.get(kind, id))
		for _, q := range p.changed {
			ii.add(q.ID, pos, c.work)
		}
	}
	for k, q := range p.lists {
		c.work.list()
		setOrDelete(&ii.byID, p.changed[k].ID, q)
	}
	a.finishMembersLocked(kind, r, id, t, inv, p, at, true)
}

// finishMembersLocked counts what plan p applied and touches the sides
// whose relation Touches.
func (a *Account) finishMembersLocked(kind EntityKind, r *schema.Relation, id string, t EntityKind, inv *schema.Relation, p *memberPlan, at time.Time, held bool) {
	a.bumpLocked(catalogVersion)
	if held {
		a.growCat(int64(2*p.added-len(p.changed)) * linkBytes)
	}
	if r.Touches {
		a.touchLocked(kind, id, at)
	}
	if inv.Touches {
		for _, q := range p.changed {
			a.touchLocked(t, q.ID, at)
		}
	}
}
