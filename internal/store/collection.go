package store

import (
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Collection is one of an account's collections: each declared entity kind,
// then each declared job kind. Each is generated on first use.
type Collection uint8

// numCollections counts every collection.
func numCollections() int { return len(catalogSchema.Entities()) + numJobKinds() }

// EntityCollection returns the collection of an entity kind.
func EntityCollection(k EntityKind) Collection { return Collection(k) }

// JobCollection returns the collection of a job kind.
func JobCollection(k JobKind) Collection {
	return Collection(len(catalogSchema.Entities())) + Collection(k)
}

// IsJobs reports whether c holds jobs, and their kind.
func (c Collection) IsJobs() (JobKind, bool) {
	n := Collection(len(catalogSchema.Entities()))
	if c < n {
		return 0, false
	}
	return JobKind(c - n), true
}

// Entity returns the entity kind of an entity collection.
func (c Collection) Entity() (EntityKind, bool) {
	if int(c) < len(catalogSchema.Entities()) {
		return EntityKind(c), true
	}
	return 0, false
}

// Name returns the collection's name in the control API and the state
// file: "items", "variants", "categories", "item-bulk-create-jobs", ….
func (c Collection) Name() string {
	if _, ok := c.IsJobs(); !ok {
		return EntityKind(c).Plural()
	}
	var buf [64]byte
	return string(c.AppendName(buf[:0]))
}

// AppendName appends c's name to b, without making the name (the
// fixtures seed each collection's stream from it): the one place a
// collection's name is written.
func (c Collection) AppendName(b []byte) []byte {
	k, ok := c.IsJobs()
	if !ok {
		return append(b, EntityKind(c).Plural()...)
	}
	return append(k.Decl().AppendName(b), jobsSuffix...)
}

// legacyNames are former names of collections, still accepted: "jobs" was
// the item update jobs when they were the only jobs.
var legacyNames = map[string]string{"jobs": "item-bulk-update-jobs"}

// CollectionNamed returns the collection of a name (or of a former name).
func CollectionNamed(name string) (Collection, bool) {
	if n, ok := legacyNames[name]; ok {
		name = n
	}
	for c := range Collection(numCollections()) {
		if c.named(name) {
			return c, true
		}
	}
	return 0, false
}

// Named reports whether name is c's name (not a former one), without
// making the name.
func (c Collection) Named(name string) bool { return c.named(name) }

// named reports whether name is c's name, without making the name (a
// state file names each account's collections): it is written, as
// AppendName writes it, into a buffer on the stack.
func (c Collection) named(name string) bool {
	var buf [64]byte
	return string(c.AppendName(buf[:0])) == name
}

// jobsSuffix ends a job collection's name, after its kind's.
const jobsSuffix = "-jobs"

// AllCollections lists every collection, entities first.
func AllCollections() []Collection {
	out := make([]Collection, numCollections())
	for c := range out {
		out[c] = Collection(c)
	}
	return out
}

// Needs lists the collections c's generation reads (see needs).
func (c Collection) Needs() []Collection { return c.needs() }

// needs lists the collections c's generation reads: those of the kinds its
// relations refer back to (declared before it: a variant's item, the items
// a category holds). A Reference reads nothing: what it names need not
// exist.
func (c Collection) needs() []Collection {
	k, ok := c.Entity()
	if !ok {
		return nil
	}
	var out []Collection
	d := k.Decl()
	for i := range d.Relations {
		if t := k.Target(&d.Relations[i]); t < k && d.Relations[i].Kind != schema.Reference {
			out = append(out, EntityCollection(t))
		}
	}
	return out
}
