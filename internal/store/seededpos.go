package store

// position returns where the entity with id stands in its kind's order,
// and whether there is one, without making a seeded entity: a held one
// gives its own, a shown seeded one its source's.
func (k *seededKind) position(id string) (Position, bool) {
	if e := k.held[id]; e != nil {
		return positionOf(e), true
	}
	if i, ok := k.seeded(id); ok {
		if cs, ok := k.src.(CreatedSource); ok { // its Index accepts only the id Position writes
			return Position{At: cs.CreatedAt(i), ID: id}, true
		}
		return k.src.Position(i), true
	}
	return Position{}, false
}

// position returns where the entity of kind with id stands, and whether
// there is one, making none (see seededKind.position).
func (c *catalog) position(kind EntityKind, id string) (Position, bool) {
	return c.kinds[kind].position(id)
}

// has reports whether the catalog holds an entity of kind with id.
func (c *catalog) has(kind EntityKind, id string) bool {
	_, ok := c.position(kind, id)
	return ok
}
