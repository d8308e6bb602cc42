package store

import (
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// An account's own entity comes from fixtures and state documents with
// no id: putting it stamps the account's public key as its id before it
// is looked up, so putting it again replaces the one held (one entity,
// one place in the order, the bytes of one) rather than missing it under
// the empty id and holding a second.
func TestPutEntity_AnAccountEntityWithNoIDReplacesTheOneHeld(t *testing.T) {
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }})
	a, err := s.Mutable("k")
	if err != nil {
		t.Fatal(err)
	}
	var kind EntityKind
	found := false
	for _, k := range Kinds() {
		if k.Decl().ID == schema.IDAccount {
			kind, found = k, true
		}
	}
	if !found {
		t.Fatal("no kind has the account's public key as its id")
	}
	i, at, ok := firstStringAttr(kind)
	if !ok {
		t.Fatalf("%s has no string attribute", kind.Type())
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	put := func(v string, created time.Time) {
		e := NewEntity(kind, "")
		e.Created = created
		e.Set(i, &v)
		a.putEntityLocked(e)
	}
	put("first", t0)
	one := a.cat.bytes
	put("again", t0.Add(time.Second))
	k := a.cat.kinds[kind]
	if len(k.held) != 1 || k.order.Len() != 1 {
		t.Errorf("two puts of the account entity: %d held, %d places in the order, want 1 and 1", len(k.held), k.order.Len())
	}
	if a.cat.bytes != one {
		t.Errorf("two puts of the account entity count %d bytes, one counts %d", a.cat.bytes, one)
	}
	if e := k.get(a.PublicKey()); e == nil || attrStr(e, at.Name) != "again" {
		t.Errorf("the account entity under its public key: %+v", e)
	}
}

// firstStringAttr returns the index of kind's first string attribute that
// is not its public key.
func firstStringAttr(kind EntityKind) (int, schema.Attr, bool) {
	for i, at := range kind.Attrs() {
		if at.Type == schema.String && at.Role != schema.PublicKey {
			return i, at, true
		}
	}
	return 0, schema.Attr{}, false
}

// A job's element goes in through putFoundLocked, which takes its id as
// final: no kind a job writes may have the account's public key as its
// id, which only putEntityLocked stamps.
func TestJobKinds_NoneWritesAnAccountsOwnEntity(t *testing.T) {
	for _, jk := range JobKinds() {
		if jk.Entity().Decl().ID == schema.IDAccount {
			t.Errorf("job %s writes %s, whose id is the account's public key", jk, jk.Entity().Type())
		}
	}
}
