package store

import (
	"slices"
)

// move replaces position from with to in owner's list of this index.
func (ri *relIndex) move(owner string, from, to Position) {
	if ri.byTree != nil {
		if t := ri.byTree[owner]; t != nil {
			t.Delete(from)
			t.ReplaceOrInsert(to)
		}
		return
	}
	ri.byID[owner] = insertPos(removePos(ri.byID[owner], from), to)
}

// add puts p in owner's list; it reports false when it was there.
func (ri *relIndex) add(owner string, p Position) bool {
	if ri.byTree != nil {
		t := ri.byTree[owner]
		if t == nil {
			t = newPosTree()
			ri.byTree[owner] = t
		}
		_, dup := t.ReplaceOrInsert(p)
		return !dup
	}
	l := ri.byID[owner]
	if _, found := slices.BinarySearchFunc(l, p, Position.Compare); found {
		return false
	}
	ri.byID[owner] = insertPos(l, p)
	return true
}

// remove takes the entry of id out of owner's list, reporting whether it
// was there. at is the entry's position when the entity still exists;
// otherwise (it is being removed) the entry is found by id.
func (ri *relIndex) remove(owner, id string, at *Position) bool {
	if ri.byTree != nil {
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
	l := ri.byID[owner]
	for i, p := range l {
		if p.ID == id {
			setOrDelete(ri.byID, owner, slices.Delete(l, i, i+1))
			return true
		}
	}
	return false
}

// has reports whether owner's list holds id.
func (ri *relIndex) has(owner, id string) bool {
	if ri.byTree != nil {
		return false // asked of the other side, whose lists are small
	}
	for _, p := range ri.byID[owner] {
		if p.ID == id {
			return true
		}
	}
	return false
}
