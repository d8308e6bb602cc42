package accountdoc

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// AppendEntityState appends e as the control API and the state file write
// an entity: {"id", its attributes, and what its document relations name:
// a variant's "item", a category's "items" (given as related)}. With only
// non-zero, just those attributes are written (a pending element's values).
func AppendEntityState(b []byte, e *store.Entity, only store.AttrSet, related ...string) []byte {
	b = append(b, `{"id":`...)
	b = jsonw.String(b, e.ID)
	for i, a := range e.Kind.Attrs() {
		if only != 0 && !only.Has(i) {
			continue
		}
		b = jsonw.Key(b, a.Name, false)
		b = codec.AppendAttr(b, e, i)
	}
	if only != 0 {
		return append(b, '}')
	}
	for _, r := range e.Kind.OwnRelations() {
		b = jsonw.Key(b, r.Name, false)
		if r.Kind != schema.Members {
			b = jsonw.String(b, e.Ref(r))
			continue
		}
		b = append(b, '[')
		for i, id := range related {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonw.String(b, id)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// Mode is how much of an entity a document must give.
type Mode uint8

// Modes of reading an entity document.
const (
	// Part: only the attributes it gives (a pending job element's values).
	Part Mode = iota
	// Whole: a whole entity, as the state file keeps it: external_id
	// required, the id derived from it (and checked when given), a parent
	// required; an attribute left out gets what a create leaving it out
	// gets. Files written before the rules of AsCreated load.
	Whole
	// AsCreated: Whole, and the entity must be one a create at the newest
	// revision could have made (the control API and the Go package): every
	// member the create requires is there (null only where an update may
	// null it, as an export of what a PATCH nulled writes), the reference
	// its body must name is named, and what an embed identifies is set.
	AsCreated
)

// EntityFromState reads one entity document of kind (as AppendEntityState
// writes it) at pointer, as mode says. It returns the entity, the members
// it lists (hasRelated when given), or every problem found.
func EntityFromState(kind store.EntityKind, raw []byte, pointer string, mode Mode) (e *store.Entity, related []string, hasRelated bool, probs []Problem) {
	return newEntityReader(kind).read(raw, docPointer{pointer, -1}, mode)
}

// docPointer is the JSON pointer of a document: base, then /index when
// index is not negative. It is written out only for a problem.
type docPointer struct {
	base  string
	index int
}

func (p docPointer) String() string {
	if p.index < 0 {
		return p.base
	}
	return p.base + "/" + strconv.Itoa(p.index)
}

// entityReader reads entity documents of one kind: what a document may
// name besides attributes is looked up once, and the members of each
// document are read into a buffer used again.
type entityReader struct {
	kind    store.EntityKind
	rels    []*schema.Relation
	members jsonw.Members
}

func newEntityReader(kind store.EntityKind) *entityReader {
	return &entityReader{kind: kind, rels: kind.OwnRelations()}
}

// read is EntityFromState.
func (er *entityReader) read(raw []byte, at docPointer, mode Mode) (e *store.Entity, related []string, hasRelated bool, probs []Problem) {
	fail := func(member, format string, args ...any) {
		probs = append(probs, Problem{at.String() + member, fmt.Sprintf(format, args...)})
	}
	kind := er.kind
	members, prob := er.stateMembers(raw)
	if prob != nil {
		fail(prob.Pointer, "%s", prob.Detail)
		return nil, nil, false, probs
	}
	e = store.NewEntity(kind, "")
	if mode != Part {
		e.ApplyDefaults()
	}
	id := ""
	d := kind.Decl()
	for _, m := range members {
		k := m.Key
		if k == "id" {
			s, ok := m.Value().(string)
			if !ok {
				fail(memberPointer(k), "Must be a string, got %s.", codec.Kind(m.Value()))
			}
			id = s
			continue
		}
		if r, ok := er.docRelation(k); ok {
			related, hasRelated = readDocRelation(e, r, m.Value(), k, fail, related, hasRelated)
			continue
		}
		i, _, ok := kind.Attr(k)
		if !ok && k == hiddenCreated && mode == Whole && !showsCreated(kind) {
			readHiddenCreated(e, m.Value(), fail)
			continue
		}
		if !ok {
			fail(memberPointer(k), "'%s' is not a member of a %s.", k, kind.Type())
			continue
		}
		for _, pr := range setAttr(e, i, &m) {
			fail(memberPointer(k)+pr.Pointer, "%s", pr.Detail)
		}
	}
	if mode == Part {
		e.ID = id
		return e, related, hasRelated, probs
	}
	wholeID(d, e, id, fail)
	if r, ok := d.Parent(); ok && e.Ref(r) == "" {
		fail("/"+r.Name, "A %s needs its parent %s's id in '%s'.", d.Singular, kind.Target(r).Decl().Singular, r.Name)
	}
	if mode == AsCreated {
		asCreated(d, memberLookup(members), e, fail)
	}
	return e, related, hasRelated, probs
}

// EntitiesFromState reads a collection of entity documents (base is the
// JSON pointer of the array): each must be valid as mode says, ids once.
// It returns the entities and, for categories, the [category, item] pairs.
func EntitiesFromState(kind store.EntityKind, raws []json.RawMessage, base string, mode Mode) ([]*store.Entity, [][2]string, []Problem) {
	return entitiesFromState(newEntityReader(kind), raws, base, mode)
}

// entitiesFromState is EntitiesFromState with the reader er of the kind's
// documents.
func entitiesFromState(er *entityReader, raws []json.RawMessage, base string, mode Mode) ([]*store.Entity, [][2]string, []Problem) {
	kind := er.kind
	var probs []Problem
	if kind.Decl().ID == schema.IDAccount && len(raws) == 0 {
		probs = append(probs, Problem{base, fmt.Sprintf("An account has one %s; leave %s out to keep it.", kind.Type(), kind.Plural())})
	}
	out := make([]*store.Entity, 0, len(raws))
	var members [][2]string
	var seen map[string]bool // past a few: by looking at each before
	if len(raws) > 8 {
		seen = make(map[string]bool, len(raws))
	}
	for i, raw := range raws {
		at := docPointer{base, i}
		e, related, _, eprobs := er.read(raw, at, mode)
		if len(eprobs) > 0 {
			probs = append(probs, eprobs...)
			continue
		}
		if kind.Decl().ID == schema.IDAccount && len(out) > 0 {
			probs = append(probs, Problem{at.String(), fmt.Sprintf("An account has one %s; this is a second.", kind.Type())})
			continue
		}
		if e.ID != "" && store.Listed(out, seen, e.ID) { // "": the store makes its id
			probs = append(probs, Problem{at.String() + "/id", fmt.Sprintf("%s appears twice.", e.ID)})
			continue
		}
		if seen != nil {
			seen[e.ID] = true
		}
		for _, item := range related {
			members = append(members, [2]string{e.ID, item})
		}
		out = append(out, e)
	}
	return out, members, probs
}
