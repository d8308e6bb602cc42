package payload

import (
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// A list of resource identifiers (a relationship write's data, a
// category's items in an entity write) can hold 65,000 of them, four MB:
// decoded into a tree, each costs an object, its map, its keys and its
// boxed strings, and the list costs more than the write. So the list is
// read where it stands (readIDList), keeping only the ids, and the rest of
// the document, the list replaced by [], goes through the tree as before.
//
// That path answers only bodies the tree accepts, with the same answer:
// it gives up (and the tree reads the whole body, and says what is wrong)
// on anything it does not read exactly as the tree would: a list member
// or key along the way written with escapes or repeated, an identifier
// whose type or id is not a plain string or is wrong, a value that is not
// valid where it stands. Equal answers on every body are checked against
// the tree (TestParseIdentifiers_AnswersAsTheDecodedTree,
// FuzzIdentifiers_AgreeWithTheTree).

// idList is a list of identifiers found in a body by findIDList.
type idList struct {
	ids        []string
	start, end int // the list's bytes in the body
}

// findIDList finds the member at path (each step an object member) in the
// JSON object body and reads it as a list of identifiers of type typ
// (readIDList). It gives up (false) when a key on the way is not a plain
// string, a step's key is there twice, a step is not an object, or a value
// passed is not valid JSON; the tree decides those.
func findIDList(body []byte, path []string, typ string) (idList, bool) {
	var l idList
	_, ok := l.object(body, jsonw.SkipSpace(body, 0), 0, path, typ)
	return l, ok
}

// object walks the object at b[i] (depth its nesting) for path, and
// returns its end.
func (l *idList) object(b []byte, i, depth int, path []string, typ string) (int, bool) {
	found := false
	end, ok := jsonw.WalkObject(b, i, func(key []byte, at int) (int, bool) {
		switch {
		case string(key) != path[0]:
			end, err := jsonw.ValueEnd(b, at)
			return end, err == nil
		case found:
			return 0, false // a repeated step: the tree keeps the last
		case len(path) == 1:
			found, l.start = true, at
			var ok bool
			l.ids, l.end, ok = readIDList(b, at, depth+1, typ)
			return l.end, ok
		default:
			found = true
			return l.object(b, at, depth+1, path[1:], typ)
		}
	})
	return end, ok && found
}

// spliced returns body with the list replaced by an empty one: the
// document the tree reads for the rest.
func (l idList) spliced(body []byte) []byte {
	out := make([]byte, 0, len(body)-(l.end-l.start)+2)
	out = append(out, body[:l.start]...)
	out = append(out, "[]"...)
	return append(out, body[l.end:]...)
}

// minIdentifier is the length of the shortest identifier readIDList takes
// of type typ, without the type.
var minIdentifier = len(`{"type":"","id":""},`) + len(store.IDPrefix)

// readIDList reads the array at b[i] (depth its nesting) when each element
// is a resource identifier the tree accepts as one of type typ ({"type":
// typ, "id": a valid entity id}, other members ignored) and the tree would
// read it all without error; it returns the ids in order and the array's
// end. The ids are made in room for as many as the rest of the body could
// hold, then kept at about their own size.
func readIDList(b []byte, i, depth int, typ string) ([]string, int, bool) {
	if i >= len(b) || b[i] != '[' {
		return nil, 0, false
	}
	ids := make([]string, 0, (len(b)-i)/(minIdentifier+len(typ))+1)
	i = jsonw.SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return ids, i + 1, true
	}
	for {
		id, end, ok := readIdentifier(b, i, depth+1, typ)
		if i = jsonw.SkipSpace(b, end); !ok || i >= len(b) {
			return nil, 0, false
		}
		ids = append(ids, id)
		switch b[i] {
		case ']':
			if cap(ids) > 2*len(ids)+16 { // the body held more than the list
				ids = slices.Clone(ids)
			}
			return ids, i + 1, true
		case ',':
			i = jsonw.SkipSpace(b, i+1)
		default:
			return nil, 0, false
		}
	}
}

// readIdentifier reads the identifier at b[i] (depth its nesting): its id
// and its end. A repeated type or id counts at its last, as in the tree.
func readIdentifier(b []byte, i, depth int, typ string) (string, int, bool) {
	if i >= len(b) || b[i] != '{' {
		return "", 0, false
	}
	var id []byte
	typed, hasID := false, false
	for i = jsonw.SkipSpace(b, i+1); ; i = jsonw.SkipSpace(b, i+1) {
		key, next, ok := jsonw.PlainString(b, i)
		if i = jsonw.SkipSpace(b, next); !ok || i >= len(b) || b[i] != ':' {
			return "", 0, false
		}
		i = jsonw.SkipSpace(b, i+1)
		switch string(key) {
		case "type", "id":
			text, end, ok := jsonw.PlainString(b, i)
			if !ok {
				return "", 0, false
			}
			if key[0] == 't' {
				typed = string(text) == typ
			} else {
				id, hasID = text, true
			}
			i = end
		default:
			if i, ok = jsonw.ValueAt(b, i, depth+1); !ok {
				return "", 0, false
			}
		}
		if i = jsonw.SkipSpace(b, i); i >= len(b) || b[i] != ',' {
			break
		}
	}
	if i >= len(b) || b[i] != '}' || !typed || !hasID {
		return "", 0, false
	}
	s := string(id)
	return s, i + 1, store.ValidEntityID(s)
}
