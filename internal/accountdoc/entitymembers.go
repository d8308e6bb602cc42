package accountdoc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// setAttr sets attribute i of e to member m's value: an object already
// written as its encoding is kept as it is, without decoding it.
func setAttr(e *store.Entity, i int, m *jsonw.Member) []codec.Problem {
	if raw, ok := m.Compact(); ok {
		if probs, took := codec.SetCompactObject(e, i, raw); took {
			return probs
		}
	}
	return codec.SetAttr(e, i, m.Value())
}

// wholeID sets a whole entity's id as its kind makes ids: derived from
// its external_id (and checked when given), given (a server-made id), or
// its account's public key (stamped by the store: a given one is ignored).
func wholeID(d *schema.Entity, e *store.Entity, id string, fail func(string, string, ...any)) {
	switch d.ID {
	case schema.IDAccount:
		return
	case schema.IDServer:
		e.ID = id // the store makes one when none is given
		return
	}
	switch {
	case e.ExternalID == "":
		fail("/external_id", "external_id is required.")
	case id == "":
		e.ID = store.EntityID(e.ExternalID)
	case id != store.EntityID(e.ExternalID):
		fail("/id", "The id of external_id %q must be %q.", e.ExternalID, store.EntityID(e.ExternalID))
	default:
		e.ID = id
	}
}

// docRelation returns the kind's document relation named name.
func (er *entityReader) docRelation(name string) (*schema.Relation, bool) {
	for _, r := range er.rels {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// readDocRelation reads what a document relation names: one id, or a list.
// key is its member's name.
func readDocRelation(e *store.Entity, r *schema.Relation, v any, key string, fail func(string, string, ...any), related []string, has bool) ([]string, bool) {
	d, t := e.Kind.Decl(), e.Kind.Target(r).Decl()
	switch r.Kind {
	case schema.Reference:
		s, ok := v.(string)
		if !ok || !schema.ValidAnyCatalogID(s) {
			fail(memberPointer(key), "A %s's %s must be a %s id of any integration ('integrationType:::catalogId:::externalId', e.g. '%s<external_id>').",
				d.Type, r.Name, t.Type, store.IDPrefix)
		}
		e.SetRef(r, s)
		return related, has
	case schema.Parent:
		s, ok := v.(string)
		if !ok || !store.ValidEntityID(s) {
			fail(memberPointer(key), "A %s's %s must be a catalog %s id ('%s<external_id>').", d.Singular, r.Name, t.Singular, store.IDPrefix)
		}
		e.SetRef(r, s)
		return related, has
	}
	ids, ok := stringList(v)
	if v == nil {
		ids, ok = []string{}, true
	}
	if !ok {
		fail(memberPointer(key), "A %s's %s must be an array of catalog %s ids.", d.Singular, r.Name, t.Singular)
	}
	return ids, true
}

// memberLookup finds a member's value among members by its name.
func memberLookup(members []jsonw.Member) func(string) (any, bool) {
	return func(k string) (any, bool) {
		for i := range members {
			if members[i].Key == k {
				return members[i].Value(), true
			}
		}
		return nil, false
	}
}

// memberPointer is the JSON pointer of member k of a document.
func memberPointer(k string) string { return "/" + escapePointer(k) }

// escapePointer escapes a member name for a JSON pointer (RFC 6901: '~'
// as "~0", '/' as "~1"); most names have neither and are returned as they
// are.
func escapePointer(k string) string {
	if !strings.ContainsAny(k, "~/") {
		return k
	}
	return pointerEscaper.Replace(k)
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// stateMembers decodes an entity document's members (each key once, in
// document order), or returns the problem (its pointer relative to the
// document) that keeps it from being an object. The members are valid
// until the next call.
func (er *entityReader) stateMembers(raw []byte) ([]jsonw.Member, *Problem) {
	if members, ok := er.members.Decode(raw); ok {
		return members, nil
	}
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
		return nil, &Problem{"", fmt.Sprintf("A %s must be an object, got %s.", er.kind.Type(), codec.Kind(node))}
	}
	members := make([]jsonw.Member, 0, len(obj.Keys))
	for _, k := range obj.Keys {
		v, _ := obj.Get(k)
		members = append(members, jsonw.MemberOf(k, v))
	}
	return members, nil
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
