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
	// changed.
	Seeded map[store.JobKind]SeededJobs
	// Catalog names, likewise, the entity collections whose seeded
	// entities are kept (the entities in Entities are then those held
	// beside them: created, or seeded ones changed), each with the ids of
	// the seeded entities deleted ({"seeded_catalog": {"items": {"count":
	// n, "first": id, "hidden": [ids]}}}), so a million seeded items are
	// written as what changed.
	Catalog map[store.EntityKind]SeededJobs
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
	members, ok := jsonw.RawMembers(b)
	if !ok { // not an object: null is an empty document, the rest encoding/json's error
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		for _, name := range memberOrder(b) {
			members = append(members, jsonw.RawMember{Key: name, Value: raw[name]})
		}
	}
	st.Jobs, st.Entities, st.names = map[store.JobKind][]JobState{}, map[store.EntityKind][]json.RawMessage{}, map[store.Collection]string{}
	for _, m := range members { // as written, so a document always gets the same error
		name, v := m.Key, m.Value
		var err error
		switch name {
		case seededMember:
			err = st.readSeeded(name, v)
		case catalogMember:
			err = st.readCatalog(name, v)
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
			err = st.readCollection(name, v, split)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// readSeeded reads the member naming the kept seeded histories.
func (st *AccountState) readSeeded(name string, v json.RawMessage) error {
	names, seeded, err := keptMembers(name, v)
	if err != nil {
		return err
	}
	st.Seeded = make(map[store.JobKind]SeededJobs, len(names))
	for _, cname := range names {
		c, ok := store.CollectionNamed(cname)
		k, isJobs := c.IsJobs()
		if !ok || !isJobs {
			return fmt.Errorf("json: %s: %q is not a job collection", name, cname)
		}
		if _, dup := st.Seeded[k]; dup {
			return fmt.Errorf("json: %s: names %s twice", name, c.Name())
		}
		st.Seeded[k] = seeded[cname]
	}
	return nil
}

// readCatalog reads the member naming the kept seeded entity collections.
func (st *AccountState) readCatalog(name string, v json.RawMessage) error {
	names, seeded, err := keptMembers(name, v)
	if err != nil {
		return err
	}
	st.Catalog = make(map[store.EntityKind]SeededJobs, len(names))
	for _, cname := range names {
		c, ok := store.CollectionNamed(cname)
		k, isEntities := c.Entity()
		if !ok || !isEntities {
			return fmt.Errorf("json: %s: %q is not an entity collection", name, cname)
		}
		if _, dup := st.Catalog[k]; dup {
			return fmt.Errorf("json: %s: names %s twice", name, c.Name())
		}
		st.Catalog[k] = seeded[cname]
	}
	return nil
}

// MemberError is a member of an account document that cannot be read, at
// its name: a collection named twice.
type MemberError struct {
	Member, Detail string
}

// Error returns the member and what is wrong with it.
func (e *MemberError) Error() string { return "json: " + e.Member + ": " + e.Detail }

// readCollection reads the collection member name: jobs strictly, entity
// documents as they are (Replace reads them), set aside when split.
func (st *AccountState) readCollection(name string, v json.RawMessage, split bool) error {
	c, ok := store.CollectionNamed(name)
	if !ok {
		return fmt.Errorf("json: unknown field %q", name)
	}
	if _, dup := st.names[c]; dup {
		return &MemberError{Member: name, Detail: fmt.Sprintf("The document names %s twice (as %q and %q); keep one.",
			c.Name(), st.names[c], name)}
	}
	st.names[c] = name
	if k, ok := c.IsJobs(); ok && string(v) == "[]" { // none, as a server writes them
		st.Jobs[k] = []JobState{}
		return nil
	} else if ok {
		var jobs []JobState
		jd := json.NewDecoder(bytes.NewReader(v))
		jd.DisallowUnknownFields()
		if err := jd.Decode(&jobs); err != nil {
			return prefixField(err, name)
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
			return prefixField(err, name)
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
