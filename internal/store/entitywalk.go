package store

import (
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// walker walks positions strictly after from (from the start when nil),
// ascending or descending, until fn returns false.
type walker func(from *Position, desc bool, fn func(Position) bool)

// indexWalkerIn is the walker of the index the filter names (nil: none
// does): the ids listed, the entities related to an id, those holding an
// indexed value.
func (a *Account) indexWalkerIn(c *catalog, kind EntityKind, f *EntityFilter) walker {
	switch {
	case len(f.IDs) > 0:
		var ps []Position
		for _, id := range f.IDs[0] {
			if e := c.get(kind, id); e != nil {
				ps = insertPos(ps, positionOf(e))
			}
		}
		return sliceWalker(ps)
	case len(f.Related) > 0:
		return a.relatedWalkerLocked(kind, f.Related[0])
	}
	for _, cond := range f.Equals {
		if vi := c.values[kind][cond.Attr]; vi.on {
			s, _ := cond.Value.(string)
			ps := vi.byValue[s]
			k := c.kinds[kind]
			if k.src != nil {
				if i, ok := k.src.Lookup(cond.Attr, s); ok {
					if _, h := k.hidden[i]; !h {
						ps = insertPos(slices.Clone(ps), k.src.Position(i))
					}
				}
			}
			return sliceWalker(ps)
		}
	}
	return nil
}

// relatedWalkerLocked walks the entities of kind related to cond.ID: the
// other side's index of that id.
func (a *Account) relatedWalkerLocked(kind EntityKind, cond RelatedCond) walker {
	c := &a.cat
	r := cond.Rel
	switch r.Kind {
	case schema.Reference:
		return sliceWalker(c.rels[kind][r.Slot].byID[cond.ID])
	case schema.Children: // the parent of that child
		t, inv, _ := c.inverse(kind, r)
		return sliceWalker(c.related(t, cond.ID, inv))
	}
	t, inv, _ := c.inverse(kind, r)
	if r.Kind == schema.Parent {
		if c.get(t, cond.ID) == nil {
			return sliceWalker(nil)
		}
		return c.childWalker(t, cond.ID, inv)
	}
	if c.get(t, cond.ID) == nil {
		return sliceWalker(nil)
	}
	return c.memberWalker(t, cond.ID, inv)
}

func treeWalker(t *posTree) walker {
	return func(from *Position, desc bool, fn func(Position) bool) { walkTree(t, from, desc, fn) }
}

// walkTree calls fn with t's positions strictly after from (from the
// start when nil), ascending or descending, until fn returns false.
func walkTree(t *posTree, from *Position, desc bool, fn func(Position) bool) {
	skip := func(p Position) bool { return from != nil && p.same(*from) || fn(p) }
	switch {
	case from == nil && !desc:
		t.Ascend(fn)
	case from == nil:
		t.Descend(fn)
	case !desc:
		t.AscendGreaterOrEqual(*from, skip)
	default:
		t.DescendLessOrEqual(*from, skip)
	}
}

func sliceWalker(ps []Position) walker {
	return func(from *Position, desc bool, fn func(Position) bool) {
		if !desc {
			i := 0
			if from != nil {
				i, _ = slices.BinarySearchFunc(ps, *from, Position.Compare)
				if i < len(ps) && ps[i].same(*from) {
					i++
				}
			}
			for ; i < len(ps); i++ {
				if !fn(ps[i]) {
					return
				}
			}
			return
		}
		i := len(ps) - 1
		if from != nil {
			j, _ := slices.BinarySearchFunc(ps, *from, Position.Compare)
			i = j - 1
		}
		for ; i >= 0; i-- {
			if !fn(ps[i]) {
				return
			}
		}
	}
}
