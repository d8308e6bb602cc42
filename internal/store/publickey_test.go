package store

import (
	"testing"
	"time"
)

// TestPublicKey_AKeyShownStillReachesItsAccountAfterAReset: resetting an
// account, or everything, returns accounts to their seeded state, in which
// they answer to the public key derived for them; a public key shown
// before the reset (by the web page's address, a storefront's company_id)
// keeps reaching its account rather than an account of its own. A reset
// to another seed derives other public keys, which reach the accounts.
func TestPublicKey_AKeyShownStillReachesItsAccountAfterAReset(t *testing.T) {
	const key = "pk_held_then_reset"
	s := New(Options{Seed: 7, Now: func() time.Time { return t0 }})
	if _, err := s.Account(key); err != nil {
		t.Fatal(err)
	}
	public := s.PublicKeyOf(key)
	s.Forget(key)
	if got := s.KeyOfPublicKey(public); got != key {
		t.Fatalf("after the account's reset, %s reaches %q", public, got)
	}
	if _, err := s.Account(key); err != nil {
		t.Fatal(err)
	}
	s.Reset(0, nil, nil)
	if got := s.KeyOfPublicKey(public); got != key {
		t.Fatalf("after a reset of everything, %s reaches %q", public, got)
	}
	s.Reset(8, nil, nil)
	if got, public8 := s.KeyOfPublicKey(DerivedPublicKey(8, key)), DerivedPublicKey(8, key); got != key || public8 == public {
		t.Fatalf("after a reset to seed 8, %s reaches %q (seed 7: %s)", public8, got, public)
	}
}
