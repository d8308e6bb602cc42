package store

// The catalog made on demand: the declarations a seeded entity
// collection's generator implements, as a History does for jobs. The
// catalog keeps each kind as its source less what requests hid, plus what
// they hold (seededkind.go); every list merges a source's stream with the
// held positions (overlay.go); a seeded membership is computed, with what
// requests changed in it (memberoverlay.go, seededrel.go).

// EntitySource is one seeded entity collection made on demand: entity i is
// a pure function of the account's seed, the kind and i, so a million
// seeded entities cost what the source holds, not the entities. Indexes
// are in position order: Position(i) sorts before Position(i+1).
type EntitySource interface {
	// Len returns how many entities the collection seeds.
	Len() int
	// Position returns where entity i sorts (its created time and id)
	// without making it.
	Position(i int) Position
	// At makes entity i (a new value on every call).
	At(i int) *Entity
	// Index returns the index of the seeded entity with id, reporting
	// false for an id the collection never seeds.
	Index(id string) (int, bool)
	// Lookup returns the index of the one seeded entity whose attribute
	// attr (an index into the kind's attributes) equals value, for the
	// attributes the kind filters by equality and keeps unique (a
	// variant's SKU); ok is false when none has it or attr is not such an
	// attribute.
	Lookup(attr int, value string) (i int, ok bool)
	// Bytes estimates what the source holds (in the units of SizeOf).
	Bytes() int64
}

// SeededRelations are the seeded catalog's relations, computable from
// either side in O(1) or O(page), without making an entity.
type SeededRelations interface {
	// Parent returns the item index variant v belongs to.
	Parent(v int) int
	// Children returns the variant indexes [lo, hi) of item i: variants
	// are laid out item-major, so they are in position order too.
	Children(i int) (lo, hi int)
	// Members calls fn with the indexes of category c's items from item
	// index from on, ascending (descending when desc, from from down),
	// until fn returns false.
	Members(c, from int, desc bool, fn func(i int) bool)
	// MemberOf returns the indexes of the categories item i is in,
	// ascending.
	MemberOf(i int) []int
}

// PartSource is an EntitySource that also makes some attributes of an
// entity without making the rest of it: a filter no index covers
// (contains(title,…), published) reads them for every entity it passes
// and makes only the entities they match, so a scan of a million costs a
// million titles, not a million entities.
type PartSource interface {
	EntitySource
	// Part sets on e (an entity of the source's kind) the attributes of
	// want that the source makes alone for entity i, with the values At(i)
	// holds, and returns those it set. Several walks may call it at once.
	Part(i int, want AttrSet, e *Entity) AttrSet
}

// CreatedSource is an EntitySource that also tells where entity i sorts
// by its created time alone (Position(i).At), without writing its id: a
// lookup by an id the caller holds (every id of a large relationship
// write) needs nothing else. Its Index must accept only the ids Position
// writes.
type CreatedSource interface {
	EntitySource
	// CreatedAt returns Position(i).At.
	CreatedAt(i int) int64
}
