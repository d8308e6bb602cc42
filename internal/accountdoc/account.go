// Package accountdoc is the account document: an account's collections as
// JSON, as the control API exports them and takes them back (GET and PUT
// of /__admin/accounts/{key}), as the Go package reads and sets them, and
// as the state file keeps them. It reads a document strictly into the
// store's values, each problem at its JSON pointer (Replace), and streams an
// account's consistent view out one object at a time (WriteJSON,
// WriteState). The store holds and checks the values; the members, their
// names and where a problem is in a document are this package's.
package accountdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// AccountState is an account's content as the control API, the Go package
// and the state file exchange it: the collections present, by name
// ({"account": key, "items": […], "item-bulk-update-jobs": […], …}; "jobs"
// is accepted for item-bulk-update-jobs, its original name).
type AccountState struct {
	// Account is the whole key in the state file; in the control API's
	// documents it is a label (an export shows the key's fingerprint).
	Account string
	// PublicKey is the public key the account answers to: the state file
	// restores it; the control API's documents show it, and PUT reads it
	// as a label (PUT /__admin/accounts/{key}/public-key binds one).
	PublicKey string
	Jobs      map[store.JobKind][]JobState
	Entities  map[store.EntityKind][]json.RawMessage
	// Seeded names the job collections whose seeded history is kept (the
	// jobs in Jobs are then those stored beside it), each with the ids of
	// the history jobs deleted or replaced: the state file's compact form
	// ({"seeded_jobs": {"item-bulk-update-jobs": {"count": n, "first": id,
	// "hidden": [ids]}}}), so a million seeded jobs are written as what
	// changed. The store's own values: Replace hands the map on as it is.
	Seeded map[store.JobKind]store.KeptHistory
	// Catalog names, likewise, the entity collections whose seeded
	// entities are kept (the entities in Entities are then those held
	// beside them: created, or seeded ones changed), each with the ids of
	// the seeded entities deleted ({"seeded_catalog": {"items": {"count":
	// n, "first": id, "hidden": [ids]}}}), so a million seeded items are
	// written as what changed. Also handed on as it is.
	Catalog map[store.EntityKind]store.KeptHistory
	// names are the names the document used ("jobs"), for pointers.
	names map[store.Collection]string
	// prepared is what Prepare decoded, for the Replace that takes it.
	prepared *prepared
}

// SeededJobs is what a state document says of a kept seeded history (see
// store.KeptHistory): how many jobs it had and the first one's id when it
// was written, and the ids of its jobs deleted or replaced.
type SeededJobs struct {
	Count  int      `json:"count"`
	First  string   `json:"first"`
	Hidden []string `json:"hidden"`
}

// seededMember is the account document's member naming the job
// collections whose seeded history is kept (AccountState.Seeded).
const seededMember = "seeded_jobs"

// catalogMember is the account document's member naming the entity
// collections whose seeded entities are kept (AccountState.Catalog).
const catalogMember = "seeded_catalog"

// Name sets the name collection c goes by in problems' pointers (as a
// document would name it, e.g. "jobs").
func (st *AccountState) Name(c store.Collection, name string) {
	if st.names == nil {
		st.names = map[store.Collection]string{}
	}
	st.names[c] = name
}

// NameOf returns the name collection c went by.
func (st *AccountState) NameOf(c store.Collection) string {
	return strings.TrimPrefix(st.pointer(c), "/")
}

// pointer is the JSON pointer of collection c in the document.
func (st *AccountState) pointer(c store.Collection) string {
	if n, ok := st.names[c]; ok {
		return "/" + n
	}
	return "/" + c.Name()
}

// Has reports whether the state holds collection c.
func (st *AccountState) Has(c store.Collection) bool {
	if k, ok := c.IsJobs(); ok {
		_, has := st.Jobs[k]
		return has
	}
	_, has := st.Entities[store.EntityKind(c)]
	return has
}

// UnmarshalJSON reads an account document strictly: unknown members and
// unknown members of jobs are errors. b must be one JSON value, as
// encoding/json and jsonw.ValueEnd check it; the members are split and
// each entity document set aside without decoding it (Replace reads them).
func (st *AccountState) UnmarshalJSON(b []byte) error { return st.unmarshal(b, true) }

// CheckJSON reads b as UnmarshalJSON does, returning the same error, but
// without setting entity documents aside: the collections are present
// (Has), empty. The state file's checking pass reads each account so, and
// reads it whole again where it restores it.
func (st *AccountState) CheckJSON(b []byte) error { return st.unmarshal(b, false) }

// unmarshal is UnmarshalJSON, setting entity documents aside only when
// split.
func (st *AccountState) unmarshal(b []byte, split bool) error {
	var buf [24]docMember
	members, ok := docMembers(b, buf[:0])
	if !ok { // not an object: null is an empty document, the rest encoding/json's error
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		members = members[:0]
		for _, name := range memberOrder(b) {
			members = append(members, docMember{[]byte(name), raw[name]})
		}
	}
	nJobs, nEntities := collectionCounts(members)
	st.Jobs, st.Entities, st.names = make(map[store.JobKind][]JobState, nJobs), make(map[store.EntityKind][]json.RawMessage, nEntities), nil
	var seen [256]bool          // by store.Collection
	for _, m := range members { // as written, so a document always gets the same error
		name, v := m.name, m.value
		var err error
		switch string(name) {
		case seededMember:
			err = st.readSeeded(seededMember, v)
		case catalogMember:
			err = st.readCatalog(catalogMember, v)
		case "account":
			if key, plain := plainString(v); plain {
				st.Account = key
			} else if json.Unmarshal(v, &st.Account) != nil {
				err = &json.UnmarshalTypeError{Value: "non-string", Field: "account", Type: reflect.TypeOf("")}
			}
		case "public_key":
			if key, plain := plainString(v); plain {
				st.PublicKey = key
			} else if json.Unmarshal(v, &st.PublicKey) != nil {
				err = &json.UnmarshalTypeError{Value: "non-string", Field: "public_key", Type: reflect.TypeOf("")}
			}
		default:
			err = st.readCollection(name, v, split, &seen)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// collectionCounts is about how many job and entity collections members
// name (each map is made at about its size once).
func collectionCounts(members []docMember) (jobs, entities int) {
	for _, m := range members {
		switch string(m.name) {
		case seededMember, catalogMember, "account", "public_key":
		default:
			c, ok := store.CollectionNamed(string(m.name))
			if _, isJobs := c.IsJobs(); !ok {
				continue // refused when it is read
			} else if isJobs {
				jobs++
			} else {
				entities++
			}
		}
	}
	return jobs, entities
}

// MemberError is a member of an account document that cannot be read, at
// its name: a collection named twice.
type MemberError struct {
	Member, Detail string
}

// Error returns the member and what is wrong with it.
func (e *MemberError) Error() string { return "json: " + e.Member + ": " + e.Detail }

// readCollection reads the collection member name: jobs strictly, entity
// documents as they are (Replace reads them), set aside when split. seen
// marks the collections read before.
func (st *AccountState) readCollection(name []byte, v json.RawMessage, split bool, seen *[256]bool) error {
	c, ok := store.CollectionNamed(string(name))
	if !ok {
		return fmt.Errorf("json: unknown field %q", name)
	}
	if seen[c] {
		return &MemberError{Member: string(name), Detail: fmt.Sprintf("The document names %s twice (as %q and %q); keep one.",
			c.Name(), st.NameOf(c), name)}
	}
	seen[c] = true
	if !c.Named(string(name)) { // a former name, for pointers
		st.Name(c, string(name))
	}
	if k, ok := c.IsJobs(); ok && string(v) == "[]" { // none, as a server writes them
		st.Jobs[k] = []JobState{}
		return nil
	} else if ok {
		var jobs []JobState
		jd := json.NewDecoder(bytes.NewReader(v))
		jd.DisallowUnknownFields()
		if err := jd.Decode(&jobs); err != nil {
			return prefixField(err, string(name))
		}
		if jobs == nil {
			jobs = []JobState{}
		}
		st.Jobs[k] = jobs
		return nil
	}
	var ents []json.RawMessage
	isArray := len(v) > 0 && v[0] == '[' // an array: the caller's ValueEnd checked it
	if split {
		ents, isArray = jsonw.Elements(v, []json.RawMessage{})
	}
	if !isArray { // not an array: null is an empty one, the rest encoding/json's error
		ents = nil
		if err := json.Unmarshal(v, &ents); err != nil {
			return prefixField(err, string(name))
		}
		if ents == nil {
			ents = []json.RawMessage{}
		}
	}
	st.Entities[store.EntityKind(c)] = ents
	return nil
}

// memberOrder returns the names of the members of object b (already
// decoded without error), once each, in the order the document writes
// them.
func memberOrder(b []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil
	}
	var names []string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		name, ok := tok.(string)
		var skip json.RawMessage
		if err != nil || !ok || dec.Decode(&skip) != nil {
			break
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

// prefixField names the collection in a decoding error.
func prefixField(err error, name string) error {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		if te.Field == "" {
			te.Field = name
		} else {
			te.Field = name + "." + te.Field
		}
		return te
	}
	return err
}
