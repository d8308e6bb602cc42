package store

// Collection is one of an account's collections: the three entity kinds and
// the nine job kinds. Each is generated on first use.
type Collection uint8

// The entity collections; job collections follow (JobCollection).
const (
	Items      = Collection(ItemKind)
	Variants   = Collection(VariantKind)
	Categories = Collection(CategoryKind)
	// NumCollections counts every collection.
	NumCollections = Collection(NumEntityKinds) + Collection(NumJobKinds)
)

// EntityCollection returns the collection of an entity kind.
func EntityCollection(k EntityKind) Collection { return Collection(k) }

// JobCollection returns the collection of a job kind.
func JobCollection(k JobKind) Collection { return Collection(NumEntityKinds) + Collection(k) }

// IsJobs reports whether c holds jobs, and their kind.
func (c Collection) IsJobs() (JobKind, bool) {
	if c < Collection(NumEntityKinds) {
		return 0, false
	}
	return JobKind(c - Collection(NumEntityKinds)), true
}

// Entity returns the entity kind of an entity collection.
func (c Collection) Entity() (EntityKind, bool) {
	if c < Collection(NumEntityKinds) {
		return EntityKind(c), true
	}
	return 0, false
}

// Name returns the collection's name in the control API and the state
// file: "items", "variants", "categories", "item-bulk-create-jobs", ….
func (c Collection) Name() string {
	if k, ok := c.IsJobs(); ok {
		return k.String() + "-jobs"
	}
	return EntityKind(c).Plural()
}

// CollectionNamed returns the collection of a name ("jobs" is the original
// name of item-bulk-update-jobs, still accepted).
func CollectionNamed(name string) (Collection, bool) {
	if name == "jobs" {
		return JobCollection(ItemUpdate), true
	}
	for c := Collection(0); c < NumCollections; c++ {
		if c.Name() == name {
			return c, true
		}
	}
	return 0, false
}

// AllCollections lists every collection, entities first.
func AllCollections() []Collection {
	out := make([]Collection, NumCollections)
	for c := range out {
		out[c] = Collection(c)
	}
	return out
}

// needs lists the collections c's generation reads: variants and
// categories refer to items.
func (c Collection) needs() []Collection {
	switch c {
	case Variants, Categories:
		return []Collection{Items}
	}
	return nil
}
