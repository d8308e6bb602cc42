package store

import (
	"slices"

	"github.com/google/btree"
)

// Position is where an entity sorts in lists: by creation time (Unix
// microseconds), then id. It never changes after creation.
type Position struct {
	At int64
	ID string
}

// positionOf returns e's position.
func positionOf(e *Entity) Position { return Position{e.Created.UnixMicro(), e.ID} }

// same reports whether two positions are the same place in the order.
func (p Position) same(o Position) bool { return p.At == o.At && p.ID == o.ID }

// Less orders positions.
func (p Position) Less(o Position) bool {
	if p.At != o.At {
		return p.At < o.At
	}
	return p.ID < o.ID
}

// Compare orders positions for slices functions.
func (p Position) Compare(o Position) int {
	switch {
	case p.same(o):
		return 0
	case p.Less(o):
		return -1
	}
	return 1
}

type posTree = btree.BTreeG[Position]

func newPosTree() *posTree { return btree.NewG(16, Position.Less) }

// insertPos adds p to a slice in position order.
func insertPos(s []Position, p Position) []Position {
	i, found := slices.BinarySearchFunc(s, p, Position.Compare)
	if found {
		return s
	}
	return slices.Insert(s, i, p)
}

// removePos removes p from a slice in position order.
func removePos(s []Position, p Position) []Position {
	if i, found := slices.BinarySearchFunc(s, p, Position.Compare); found {
		return slices.Delete(s, i, i+1)
	}
	return s
}
