package accountdoc

import (
	"bytes"
	"encoding/json"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// docMember is a member of an object as an account document is read: its
// name as written (the text of a plain string) and its value as written.
type docMember struct {
	name  []byte
	value json.RawMessage
}

// maxPlainMembers is how many members docMembers compares each name with;
// an object with more is read by jsonw.RawMembers, which indexes them. A
// server writes about twenty members of an account.
const maxPlainMembers = 32

// docMembers returns the members of the object b, a text that
// jsonw.ValueEnd accepted, as jsonw.RawMembers does (each name once, at its
// first position, with its last value), appended to into: when every name
// is a plain string (jsonw.PlainString) and there are at most
// maxPlainMembers, without making a string of each name or an index of
// them. It returns false when b is not an object.
func docMembers(b []byte, into []docMember) ([]docMember, bool) {
	out := into
	end, ok := jsonw.WalkObject(b, jsonw.SkipSpace(b, 0), func(name []byte, at int) (int, bool) {
		stop := jsonw.Skip(b, at)
		if at >= stop {
			return 0, false
		}
		v := json.RawMessage(b[at:stop:stop])
		for j := range out {
			if bytes.Equal(out[j].name, name) {
				out[j].value = v
				return stop, true
			}
		}
		if len(out) == maxPlainMembers {
			return 0, false
		}
		out = append(out, docMember{name, v})
		return stop, true
	})
	if ok && jsonw.SkipSpace(b, end) == len(b) {
		return out, true
	}
	raw, ok := jsonw.RawMembers(b)
	if !ok {
		return nil, false
	}
	out = into
	for _, m := range raw {
		out = append(out, docMember{[]byte(m.Key), m.Value})
	}
	return out, true
}
