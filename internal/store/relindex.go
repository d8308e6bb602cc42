package store

import (
	"slices"
	"sync/atomic"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// relIndex is one side of a relation for held entities: the related
// positions of each owner, by the owner's id (an item's variants held, a
// Reference's holders, memberships), in a tree when an owner may hold
// many. Its map is made at its first write (most restored accounts never
// write most indexes): until then it reads as empty.
type relIndex struct {
	rel     *schema.Relation
	byID    map[string][]Position
	byTree  map[string]*posTree
	tree    bool // each owner's list is a tree (byTree), not a slice (byID)
	holders bool // byID holds the entities naming each id (a Reference)
}

// ids returns byID, made when it is not yet.
func (ri *relIndex) ids() map[string][]Position {
	if ri.byID == nil {
		ri.byID = map[string][]Position{}
	}
	return ri.byID
}

// trees returns byTree, made when it is not yet.
func (ri *relIndex) trees() map[string]*posTree {
	if ri.byTree == nil {
		ri.byTree = map[string]*posTree{}
	}
	return ri.byTree
}

// setOrDelete sets k's list in *m to l, or deletes k when l is empty; *m
// is made when a list is set in it first.
func setOrDelete(m *map[string][]Position, k string, l []Position) {
	switch {
	case len(l) > 0 && *m == nil:
		*m = map[string][]Position{k: l}
	case len(l) > 0:
		(*m)[k] = l
	default:
		delete(*m, k)
	}
}

// move replaces position from with to in owner's list of this index.
func (ri *relIndex) move(owner string, from, to Position) {
	if ri.tree {
		if t := ri.byTree[owner]; t != nil {
			t.Delete(from)
			t.ReplaceOrInsert(to)
		}
		return
	}
	setOrDelete(&ri.byID, owner, insertPos(removePos(ri.byID[owner], from), to))
}

// add puts p in owner's list; it reports false when it was there.
func (ri *relIndex) add(owner string, p Position, w *lockWork) bool {
	if ri.tree {
		w.tree()
		t := ri.byTree[owner]
		if t == nil {
			t = newPosTree()
			ri.trees()[owner] = t
		}
		_, dup := t.ReplaceOrInsert(p)
		return !dup
	}
	w.list()
	l := ri.byID[owner]
	if _, found := slices.BinarySearchFunc(l, p, Position.Compare); found {
		return false
	}
	ri.ids()[owner] = insertPos(l, p)
	return true
}

// remove takes the entry of id out of owner's list, reporting whether it
// was there. at is the entry's position when the entity still exists;
// otherwise (it is being removed) the entry is found by id.
func (ri *relIndex) remove(owner, id string, at *Position, w *lockWork) bool {
	if ri.tree {
		w.tree()
		t := ri.byTree[owner]
		if t == nil {
			return false
		}
		found := false
		if at != nil {
			_, found = t.Delete(*at)
		} else {
			var p Position
			t.Ascend(func(q Position) bool {
				if q.ID == id {
					p, found = q, true
					return false
				}
				return true
			})
			if found {
				t.Delete(p)
			}
		}
		if t.Len() == 0 {
			delete(ri.byTree, owner)
		}
		return found
	}
	w.list()
	l := ri.byID[owner]
	for i, p := range l {
		if p.ID == id {
			setOrDelete(&ri.byID, owner, slices.Delete(l, i, i+1))
			return true
		}
	}
	return false
}

// has reports whether owner's list holds id.
func (ri *relIndex) has(owner, id string) bool {
	if ri.tree {
		return false // asked of the other side, whose lists are small
	}
	for _, p := range ri.byID[owner] {
		if p.ID == id {
			return true
		}
	}
	return false
}

// lockWork counts, in tests, the index work done under an account's lock:
// operations on member trees (O(log n) each), steps on small lists, and
// copies of an entity (a touch); between, when set, runs while a planned
// relationship write holds no lock (a test lands a write there). Its
// methods do nothing on a nil receiver.
type lockWork struct {
	trees, lists, copies atomic.Int64
	between              func()
}

func (w *lockWork) unlocked() {
	if w != nil && w.between != nil {
		w.between()
	}
}

func (w *lockWork) tree() {
	if w != nil {
		w.trees.Add(1)
	}
}

func (w *lockWork) list() {
	if w != nil {
		w.lists.Add(1)
	}
}

func (w *lockWork) copied() {
	if w != nil {
		w.copies.Add(1)
	}
}

// reset zeroes the counts.
func (w *lockWork) reset() { w.trees.Store(0); w.lists.Store(0); w.copies.Store(0) }
