package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// Contents are collections to make an account's with Replace, as values. A
// collection is supplied when its map holds its kind (an empty list: an
// empty collection).
type Contents struct {
	// Jobs are each job collection's jobs, valid on their own (see
	// CheckJob), in id order.
	Jobs map[JobKind][]*Job
	// Entities are each entity collection's entities, whole and valid on
	// their own, each id once. Replace stamps those without created or
	// updated.
	Entities map[EntityKind][]*Entity
	// Members are, by entity kind, the [owner, member] pairs of the
	// memberships its entities hold (its OwnRelations of kind Members).
	Members map[EntityKind][][2]string
	// Seeded names the job collections whose seeded history is kept, the
	// jobs in Jobs being those stored beside it.
	Seeded map[JobKind]KeptHistory
	// Catalog names the entity kinds whose seeded entities are kept (made
	// from the source this server seeds), the entities in Entities being
	// those held beside them; Hidden are the seeded ids deleted.
	Catalog map[EntityKind]KeptHistory
	// keptSeeds are the sources of Catalog by kind (a Seed without a
	// Source: not kept; nil: none), made and checked by Replace.
	keptSeeds []Seed

	// prepared are the kept histories made ahead (PrepareHistories).
	prepared *preparedHistories
}

// KeptHistory is what a compact copy of an account says of a job
// collection's seeded history: how many jobs it had and the first one's id
// when it was written (so a server started with other flags, which would
// make another history, refuses it rather than mix the two), and the ids of
// its jobs deleted or replaced. So a million seeded jobs are kept as what
// changed.
type KeptHistory struct {
	Count  int
	First  string
	Hidden []string
}

// Has reports whether in supplies collection c.
func (in *Contents) Has(c Collection) bool {
	if k, ok := c.IsJobs(); ok {
		_, has := in.Jobs[k]
		return has
	}
	_, has := in.Entities[EntityKind(c)]
	return has
}

// size is what the contents take once installed.
func (in *Contents) size() int64 {
	var n int64
	for _, js := range in.Jobs {
		n += SizeOf(Seed{Jobs: js})
	}
	for _, es := range in.Entities {
		n += SizeOf(Seed{Entities: es})
	}
	for _, ms := range in.Members {
		n += int64(len(ms)) * linkBytes
	}
	return n
}

// stamp gives entities supplied without created now, and those without
// updated their created.
func (in *Contents) stamp(now time.Time) {
	for _, es := range in.Entities {
		for _, e := range es {
			if e.Created.IsZero() {
				e.Created = now
			}
			if e.Updated.IsZero() {
				e.Updated = e.Created
			}
		}
	}
}

// Conflict is why contents valid on their own cannot become the account's:
// an entity names what the resulting catalog would not hold, or a kept
// seeded history is not the one this server makes.
type Conflict struct {
	// Collection is the supplied collection at fault.
	Collection Collection
	// Entity is, in an entity collection, the position of the entity at
	// fault among those supplied, and Relation the relation naming what is
	// missing.
	Entity   int
	Relation *schema.Relation
	// Hidden is, for a kept history, the position among its hidden ids of
	// one it does not hold; -1 when the history as a whole is not this
	// server's.
	Hidden int
	Detail string
}

// ReplaceOptions say how Replace treats the collections contents leave
// out.
type ReplaceOptions struct {
	// Whole: collections the contents leave out become empty (a PUT of the
	// whole account); otherwise they are kept as they are, or generated on
	// first use (the state file).
	Whole bool
	// Now stamps entities supplied without created/updated.
	Now time.Time
	// Notify carries out the declared notify rules (schema.Notify) for
	// what the contents change, as an API write would: a control API PUT
	// does, a state file being restored does not (its records were kept).
	Notify bool
}

// CheckInProgress says why n jobs in progress are more than the account
// may hold at one time, or "" when they are not.
func (a *Account) CheckInProgress(n int) string {
	if n <= a.life.MaxInProgress {
		return ""
	}
	return fmt.Sprintf("%d jobs are in progress; the API lets at most %d be at one time.", n, a.life.MaxInProgress)
}

// Replace makes in's collections the account's, only if they agree with
// what they are checked against and fit the memory budget. What entities
// name (a variant's item, a category's items) must be in the resulting
// catalog; replacing the items drops the variants and memberships of items
// that are gone. It returns the conflicts found (nothing changes then), or
// ErrMemoryBudget.
func (a *Account) Replace(in *Contents, o ReplaceOptions) ([]Conflict, error) {
	in.stamp(o.Now)
	// Collections kept as they are must exist before they are checked against.
	if err := a.ensure(keptTargets(in, o)...); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// Job elements that came due before the replace are applied before it,
	// whether or not anyone looked since.
	a.settleLocked(a.now().Truncate(time.Microsecond))
	a.makeIDsLocked(in)
	if cs := a.keptCatalog(in); len(cs) > 0 {
		return cs, nil
	}
	if cs := a.checkReferencesLocked(in, o); len(cs) > 0 {
		return cs, nil
	}
	hists, hidden, histBytes, cs := a.keptHistories(in)
	if len(cs) > 0 {
		return cs, nil
	}
	if err := a.reserve(in.size() + histBytes); err != nil {
		return nil, err
	}
	a.replaceLocked(in, o)
	for k, h := range hists {
		if h != nil {
			var hid []int
			if hidden != nil {
				hid = hidden[k]
			}
			a.attachHistoryLocked(JobKind(k), h, hid)
		}
	}
	return nil, nil
}

// keptTargets are the collections a partial replace checks supplied
// entities against without replacing them (the items supplied variants
// and categories name).
func keptTargets(in *Contents, o ReplaceOptions) []Collection {
	var keep []Collection
	if o.Whole {
		return nil
	}
	for _, k := range Kinds() {
		if !in.Has(EntityCollection(k)) {
			continue
		}
		for _, r := range k.OwnRelations() {
			if r.Kind == schema.Reference {
				continue // nothing is checked: what it names need not exist
			}
			if t := EntityCollection(k.Target(r)); !in.Has(t) && !slices.Contains(keep, t) {
				keep = append(keep, t)
			}
		}
	}
	return keep
}

// checkReferencesLocked reports what supplied entities name that the
// resulting catalog would not hold: a parent, or a member.
func (a *Account) checkReferencesLocked(in *Contents, o ReplaceOptions) []Conflict {
	var found []Conflict
	holds := a.heldLocked(in, o)
	for _, k := range Kinds() {
		index := map[string]int{}
		for i, e := range in.Entities[k] {
			index[e.ID] = i
		}
		for _, r := range k.OwnRelations() {
			t := k.Target(r)
			missing := func(i int, id string) {
				found = append(found, Conflict{Collection: EntityCollection(k), Entity: i, Relation: r, Hidden: -1,
					Detail: fmt.Sprintf("%s %s does not exist.", capitalize(t.Decl().Singular), id)})
			}
			switch r.Kind {
			case schema.Parent:
				for i, e := range in.Entities[k] {
					if !holds(t, e.Ref(r)) {
						missing(i, e.Ref(r))
					}
				}
			case schema.Members:
				for _, m := range in.Members[k] {
					if !holds(t, m[1]) {
						missing(index[m[0]], m[1])
					}
				}
			}
		}
	}
	return found
}

// heldLocked returns whether the catalog resulting from in would hold an
// entity of kind t with an id.
func (a *Account) heldLocked(in *Contents, o ReplaceOptions) func(t EntityKind, id string) bool {
	held, deleted := map[EntityKind]map[string]bool{}, map[EntityKind]map[string]bool{}
	return func(t EntityKind, id string) bool {
		es, ok := in.Entities[t]
		if !ok {
			return !o.Whole && a.cat.get(t, id) != nil
		}
		if held[t] == nil {
			held[t] = map[string]bool{}
			for _, e := range es {
				held[t][e.ID] = true
			}
		}
		return held[t][id] || in.keptSeeded(t, id, deleted)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
