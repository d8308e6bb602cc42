package store

import (
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// A compact copy of an account (the state file's) keeps an entity kind
// seeded from a source as what changed: the source's count and first id,
// the ids of the seeded entities deleted (Contents.Catalog), and the
// entities held (created, or seeded ones changed) in Contents.Entities,
// categories with their whole member lists. Restoring it installs the
// source, hides what was deleted and puts the held entities back.

// keptCatalog makes the sources of the entity kinds in keeps (in.Catalog)
// with the store's seeder, checked against what in says of them, into
// in.keptSeeds (by kind, made at the first).
func (a *Account) keptCatalog(in *Contents) []Conflict {
	in.keptSeeds = nil
	for _, k := range Kinds() { // in order, so the same contents get the same answer
		kh, ok := in.Catalog[k]
		if !ok {
			continue
		}
		c := EntityCollection(k)
		if _, ok := in.Entities[k]; !ok {
			return []Conflict{{Collection: c, Hidden: -1, Detail: "The collection is not in the document."}}
		}
		var seed Seed
		if a.seeder != nil {
			seed = a.seeder(a.key, c)
		}
		n, first := 0, ""
		if seed.Source != nil && seed.Source.Len() > 0 {
			n, first = seed.Source.Len(), seed.Source.Position(0).ID
		}
		if seed.Source == nil || n != kh.Count || first != kh.First {
			return []Conflict{{Collection: c, Hidden: -1, Detail: fmt.Sprintf("The seeded %s were %d from %q; this server seeds %d from %q "+
				"(it was started with other --seed, --items, --variants or --categories).", c.Name(), kh.Count, kh.First, n, first)}}
		}
		for i, id := range kh.Hidden {
			if _, ok := seed.Source.Index(id); !ok {
				return []Conflict{{Collection: c, Hidden: i, Detail: fmt.Sprintf("The seeded %s hold no %s.", c.Name(), id)}}
			}
		}
		if in.keptSeeds == nil {
			in.keptSeeds = make([]Seed, len(catalogSchema.Entities()))
		}
		in.keptSeeds[k] = seed
	}
	return nil
}

// keptSeeded reports whether a kept seeded kind t of in holds id as a
// seeded entity (not deleted).
func (in *Contents) keptSeeded(t EntityKind, id string, deleted map[EntityKind]map[string]bool) bool {
	if int(t) >= len(in.keptSeeds) || in.keptSeeds[t].Source == nil {
		return false
	}
	s := in.keptSeeds[t]
	if deleted[t] == nil {
		deleted[t] = map[string]bool{}
		for _, h := range in.Catalog[t].Hidden {
			deleted[t][h] = true
		}
	}
	_, seeded := s.Source.Index(id)
	return seeded && !deleted[t][id]
}

// keepSeededLocked describes kind k of the catalog old, seeded from a
// source, as a compact copy would: into what rebuild installs.
func (a *Account) keepSeededLocked(old *catalog, k EntityKind, b *rebuildPlan) {
	sk := old.kinds[k]
	b.sources[k], b.hidden[k] = a.seeder(a.key, EntityCollection(k)), sk.kept().Hidden
	for _, e := range sk.held {
		cp := *e
		cp.stamp = 0
		b.install[k] = append(b.install[k], &cp)
	}
	for _, r := range k.OwnRelations() {
		if r.Kind != schema.Members {
			continue
		}
		for id := range sk.held {
			for _, other := range positionIDs(old.related(k, id, r)) {
				b.members[k] = append(b.members[k], [2]string{id, other})
			}
		}
	}
}

// rebuildPlan is what rebuildCatalogLocked installs: by kind, the sources
// kept and the ids of their seeded entities deleted, the entities held and
// the [owner, member] pairs of their memberships.
type rebuildPlan struct {
	sources []Seed // a Seed without a Source: none kept
	hidden  [][]string
	install [][]*Entity
	members [][][2]string
}

// newRebuildPlan returns an empty plan, its lists by kind. Its sources are
// kept, when not nil (a list by kind, each a Seed without a Source but
// those kept: Contents.keptSeeds, which the plan then owns), rather than
// made anew.
func newRebuildPlan(kept []Seed) *rebuildPlan {
	n := len(catalogSchema.Entities())
	sources := kept
	if sources == nil {
		sources = make([]Seed, n)
	}
	return &rebuildPlan{sources: sources, hidden: make([][]string, n), install: make([][]*Entity, n), members: make([][][2]string, n)}
}

// installPlanLocked installs b into the (new, empty) catalog.
func (a *Account) installPlanLocked(b *rebuildPlan) {
	for _, k := range Kinds() {
		if s := b.sources[k]; s.Source != nil {
			a.installSourceLocked(k, s)
			sk := a.cat.kinds[k]
			for _, id := range b.hidden[k] {
				if sk.src == nil { // put entity by entity: removed with what it holds
					a.removeEntityLocked(k, id, time.Time{})
					continue
				}
				n := len(sk.hidden)
				sk.remove(id)
				a.growCat(int64(len(sk.hidden)-n) * hiddenBytes)
			}
		}
		parent, hasParent := k.Decl().Parent()
		src := a.cat.kinds[k].src
		for _, e := range b.install[k] {
			if hasParent && a.cat.get(k.Target(parent), e.Ref(parent)) == nil {
				continue
			}
			if i, ok := a.cat.kinds[k].index(e.ID); ok && !writesCreated(k) {
				// A document of this kind has no created: a seeded
				// entity held sorts where its source places it.
				e.Created = time.UnixMicro(src.Position(i).At).UTC()
			}
			a.putEntityLocked(e)
		}
	}
	for _, k := range Kinds() {
		for _, r := range k.OwnRelations() {
			if r.Kind != schema.Members {
				continue
			}
			// A seeded owner's list is its whole member set; the others'
			// pairs are linked one by one.
			var seeded map[string][]string
			var order []string
			for _, m := range b.members[k] {
				if _, _, ok := a.cat.seededOwner(k, r, m[0]); ok {
					if seeded == nil {
						seeded = map[string][]string{}
					}
					if _, seen := seeded[m[0]]; !seen {
						order = append(order, m[0])
					}
					seeded[m[0]] = append(seeded[m[0]], m[1])
					continue
				}
				a.linkLocked(k, r, m[0], m[1], time.Time{})
			}
			for _, owner := range order {
				a.setRelatedLocked(k, r, owner, seeded[owner], time.Time{})
			}
		}
	}
}

// writesCreated reports whether kind's documents hold its created time.
func writesCreated(kind EntityKind) bool {
	for _, at := range kind.Attrs() {
		if at.Role == schema.Created {
			return true
		}
	}
	return false
}
