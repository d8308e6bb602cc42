package accountdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// keptMember is one collection a member naming kept seeded collections
// names, and what it says of it.
type keptMember struct {
	name []byte
	kept SeededJobs
}

// keptMembers reads v, a member naming kept seeded collections
// ({"items": {"count": n, "first": id, "hidden": [ids]}, …}), as
// encoding/json reads it into a map with unknown fields refused: each
// collection's name once, in the order the document first writes it, with
// what it says (a repeated name or field: its last value). A document
// written plainly, as a server saves it, is read in place; any other form
// (escapes, fields of another case, values of another type, null, more
// than maxPlainMembers names) through encoding/json, which says what is
// wrong.
func keptMembers(name string, v json.RawMessage, into []keptMember) ([]keptMember, error) {
	if kept, ok := plainKept(v, into); ok {
		return kept, nil
	}
	return keptMembersJSON(name, v)
}

// keptMembersJSON is keptMembers through encoding/json.
func keptMembersJSON(name string, v json.RawMessage) ([]keptMember, error) {
	var kept map[string]SeededJobs
	sd := json.NewDecoder(bytes.NewReader(v))
	sd.DisallowUnknownFields()
	if err := sd.Decode(&kept); err != nil {
		return nil, prefixField(err, name)
	}
	names := memberOrder(v)
	out := make([]keptMember, 0, len(names))
	for _, n := range names {
		h := kept[n]
		h.Hidden = append([]string{}, h.Hidden...)
		out = append(out, keptMember{[]byte(n), h})
	}
	return out, nil
}

// plainKept reads v as keptMembers does when every value in it is written
// plainly: an object of at most maxPlainMembers objects, each name once,
// whose members are exactly "count" (an integer), "first" (a string) and
// "hidden" (an array of strings), every string printable ASCII without
// escapes. It reports false otherwise (encoding/json reads a repeated
// name's every value). The names are v's bytes; the members are appended
// to into.
func plainKept(v []byte, into []keptMember) ([]keptMember, bool) {
	out := into
	ok := plainObject(v, func(name []byte, value []byte) bool {
		h, ok := plainSeeded(value)
		if !ok || len(out) == maxPlainMembers {
			return false
		}
		for i := range out {
			if bytes.Equal(out[i].name, name) {
				return false
			}
		}
		out = append(out, keptMember{name, h})
		return true
	})
	return out, ok
}

// plainSeeded reads one kept collection written plainly (see plainKept).
func plainSeeded(v []byte) (SeededJobs, bool) {
	h := SeededJobs{Hidden: []string{}}
	var seen [3]bool
	ok := plainObject(v, func(field []byte, value []byte) bool {
		var ok bool
		switch string(field) {
		case "count":
			h.Count, ok = plainInt(value)
			ok = ok && !seen[0]
			seen[0] = true
		case "first":
			h.First, ok = plainString(value)
			ok = ok && !seen[1]
			seen[1] = true
		case "hidden":
			h.Hidden, ok = plainStrings(value)
			ok = ok && !seen[2]
			seen[2] = true
		}
		return ok // false too for another case of a name, or an unknown one
	})
	return h, ok
}

// plainObject calls fn with each member of the object v, whose names must
// be plain strings (jsonw.PlainString), until fn returns false. It
// reports whether v is such an object and fn took every member.
func plainObject(v []byte, fn func(name []byte, value []byte) bool) bool {
	end, ok := jsonw.WalkObject(v, 0, func(name []byte, start int) (int, bool) {
		stop := jsonw.Skip(v, start)
		return stop, start < stop && fn(name, v[start:stop])
	})
	return ok && end == len(v)
}

// plainInt reads an integer written as digits (a minus sign first, at
// most 18 digits, no leading zero), which an int holds.
func plainInt(v []byte) (int, bool) {
	d := v
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 18 || (d[0] == '0' && len(d) > 1) {
		return 0, false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(string(v))
	return n, err == nil
}

// plainString reads a string whose text is its bytes (jsonw.PlainString).
func plainString(v []byte) (string, bool) {
	s, end, ok := jsonw.PlainString(v, 0)
	if !ok || end != len(v) {
		return "", false
	}
	return string(s), true
}

// plainStrings reads an array of strings whose texts are their bytes.
func plainStrings(v []byte) ([]string, bool) {
	out := []string{}
	i := jsonw.SkipSpace(v, 1)
	if len(v) == 0 || v[0] != '[' || i >= len(v) {
		return nil, false
	}
	if v[i] == ']' {
		return out, i+1 == len(v)
	}
	for {
		s, end, ok := jsonw.PlainString(v, i)
		if !ok {
			return nil, false
		}
		out = append(out, string(s))
		if i = jsonw.SkipSpace(v, end); i >= len(v) {
			return nil, false
		}
		switch v[i] {
		case ']':
			return out, i+1 == len(v)
		case ',':
			i = jsonw.SkipSpace(v, i+1)
		default:
			return nil, false
		}
	}
}

// readSeeded reads the member naming the kept seeded histories.
func (st *AccountState) readSeeded(name string, v json.RawMessage) (err error) {
	st.Seeded, err = readKept(name, v, store.Collection.IsJobs, "a job collection")
	return err
}

// readCatalog reads the member naming the kept seeded entity collections.
func (st *AccountState) readCatalog(name string, v json.RawMessage) (err error) {
	st.Catalog, err = readKept(name, v, store.Collection.Entity, "an entity collection")
	return err
}

// readKept reads the member name, kept seeded collections by their names:
// each must be a collection kindOf takes (what names those), named once.
func readKept[K comparable](name string, v json.RawMessage, kindOf func(store.Collection) (K, bool), what string) (map[K]store.KeptHistory, error) {
	var buf [12]keptMember
	kept, err := keptMembers(name, v, buf[:0])
	if err != nil {
		return nil, err
	}
	out := make(map[K]store.KeptHistory, len(kept))
	for _, m := range kept {
		c, ok := store.CollectionNamed(string(m.name))
		k, isKind := kindOf(c)
		if !ok || !isKind {
			return nil, fmt.Errorf("json: %s: %q is not %s", name, m.name, what)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("json: %s: names %s twice", name, c.Name())
		}
		out[k] = store.KeptHistory(m.kept)
	}
	return out, nil
}
