package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// AppendEntityState appends e as the control API and the state file write
// an entity: {"id", "external_id", its attributes, and "item" (a variant's
// parent) or "items" (a category's members, given as related)}. With only
// non-zero, just those attributes are written (a pending element's values).
func AppendEntityState(b []byte, e *Entity, only AttrSet, related ...string) []byte {
	b = append(b, `{"id":`...)
	b = jsonw.String(b, e.ID)
	for i, a := range e.Kind.Attrs() {
		if only != 0 && !only.Has(i) {
			continue
		}
		b = jsonw.Key(b, a.Name, false)
		b = a.AppendJSON(b, e)
	}
	switch {
	case e.Kind == VariantKind && only == 0:
		b = append(b, `,"item":`...)
		b = jsonw.String(b, e.Item)
	case e.Kind == CategoryKind && only == 0:
		b = append(b, `,"items":[`...)
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

// EntityFromState reads one entity document of kind (as AppendEntityState
// writes it) at pointer. With full, it is a whole entity: external_id is
// required, the id derived from it (and checked when given), a variant's
// item required. It returns the entity, the category's items (hasRelated
// when given), or every problem found.
func EntityFromState(kind EntityKind, raw []byte, pointer string, full bool) (e *Entity, related []string, hasRelated bool, probs []Problem) {
	fail := func(member, format string, args ...any) {
		probs = append(probs, Problem{pointer + member, fmt.Sprintf(format, args...)})
	}
	obj, prob := stateObject(kind, raw)
	if prob != nil {
		fail(prob.Pointer, "%s", prob.Detail)
		return nil, nil, false, probs
	}
	e = &Entity{Kind: kind}
	id := ""
	for _, k := range obj.Keys {
		v, _ := obj.Get(k)
		member := "/" + pointerToken(k)
		switch {
		case k == "id":
			s, ok := v.(string)
			if !ok {
				fail(member, "Must be a string, got %s.", Kind(v))
			}
			id = s
		case k == "item" && kind == VariantKind:
			s, ok := v.(string)
			if !ok || !ValidEntityID(s) {
				fail(member, "A variant's item must be a catalog item id ('%s<external_id>').", IDPrefix)
			}
			e.Item = s
		case k == "items" && kind == CategoryKind:
			ids, ok := stringList(v)
			if v == nil {
				ids, ok = []string{}, true
			}
			if !ok {
				fail(member, "A category's items must be an array of catalog item ids.")
			}
			related, hasRelated = ids, true
		default:
			_, a, ok := kind.Attr(k)
			if !ok {
				fail(member, "'%s' is not a member of a %s.", k, kind.Type())
				continue
			}
			for _, pr := range a.Set(e, v) {
				fail(member+pr.Pointer, "%s", pr.Detail)
			}
		}
	}
	if !full {
		e.ID = id
		return e, related, hasRelated, probs
	}
	switch {
	case e.ExternalID == "":
		fail("/external_id", "external_id is required.")
	case id == "":
		e.ID = EntityID(e.ExternalID)
	case id != EntityID(e.ExternalID):
		fail("/id", "The id of external_id %q must be %q.", e.ExternalID, EntityID(e.ExternalID))
	default:
		e.ID = id
	}
	if kind == VariantKind && e.Item == "" {
		fail("/item", "A variant needs its parent item's id in 'item'.")
	}
	return e, related, hasRelated, probs
}

// stateObject decodes an entity document: its object, or the problem
// (its pointer relative to the document) that keeps it from being one.
func stateObject(kind EntityKind, raw []byte) (*jsonw.Object, *Problem) {
	node, err := jsonw.Decode(raw)
	var numErr *jsonw.NumberError
	switch {
	case errors.As(err, &numErr):
		return nil, &Problem{numErr.Pointer, numErr.Detail()}
	case err != nil:
		return nil, &Problem{"", fmt.Sprintf("Not valid JSON: %v.", err)}
	}
	obj, ok := node.(*jsonw.Object)
	if !ok {
		return nil, &Problem{"", fmt.Sprintf("A %s must be an object, got %s.", kind.Type(), Kind(node))}
	}
	return obj, nil
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// EntitiesFromState reads a collection of entity documents (base is the
// JSON pointer of the array): each must be whole and valid, ids once. It
// returns the entities and, for categories, the [category, item] pairs.
func EntitiesFromState(kind EntityKind, raws []json.RawMessage, base string) ([]*Entity, [][2]string, []Problem) {
	var probs []Problem
	out := make([]*Entity, 0, len(raws))
	var members [][2]string
	seen := make(map[string]bool, len(raws))
	for i, raw := range raws {
		p := fmt.Sprintf("%s/%d", base, i)
		e, related, _, eprobs := EntityFromState(kind, raw, p, true)
		if len(eprobs) > 0 {
			probs = append(probs, eprobs...)
			continue
		}
		if seen[e.ID] {
			probs = append(probs, Problem{p + "/id", fmt.Sprintf("%s appears twice.", e.ID)})
			continue
		}
		seen[e.ID] = true
		for _, item := range related {
			members = append(members, [2]string{e.ID, item})
		}
		out = append(out, e)
	}
	return out, members, probs
}

// pointerToken escapes a member name for a JSON pointer (RFC 6901: '~' as
// "~0", '/' as "~1"). Most names have neither: they are returned as they
// are, without building a replacer for each member of each entity (a
// quarter of a state file's load time).
func pointerToken(k string) string {
	if !strings.ContainsAny(k, "~/") {
		return k
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}
