package store

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/splitmix"
)

// Public keys: every account has one, six letters and digits as Klaviyo's
// are (its "company id" or "site id", which /client requests name), made
// from the seed and the account's key, or bound to the account through the
// control API. The store knows which account answers to each.

// publicAlphabet is what public keys are made of (Klaviyo's mix case).
const publicAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// PublicKeyLen is the length of a public key.
const PublicKeyLen = 6

// ValidPublicKey reports whether s has the form of a public key: six
// letters and digits.
func ValidPublicKey(s string) bool {
	if len(s) != PublicKeyLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(publicAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// DerivedPublicKey returns the public key an account has until another is
// bound to it: its own for an account reached by a public key
// ("company:K"), else six characters drawn from the seed and the key.
func DerivedPublicKey(seed uint64, key string) string {
	if k, ok := strings.CutPrefix(key, secret.CompanyPrefix); ok {
		return k
	}
	x := splitmix.Mix(AccountSeed(seed, key) ^ 0x7075626c6963) // "public"
	b := make([]byte, PublicKeyLen)
	for i := range b {
		b[i] = publicAlphabet[x%uint64(len(publicAlphabet))]
		x = splitmix.Mix(x + splitmix.Golden)
	}
	return string(b)
}

// CompanyKey is the key of the account a public key reaches when no other
// account answers to it.
func CompanyKey(public string) string { return secret.CompanyPrefix + public }

// maxRemembered bounds the public keys of accounts no longer held that the
// store still routes (an unchanged account evicted regenerates with the
// same public key, so a key once shown keeps reaching it).
const maxRemembered = 1 << 16

// publicKeys maps public keys to the account keys that answer to them.
type publicKeys struct {
	held map[string]string // public key -> account key, for accounts held
	// gone remembers public keys of accounts not held (evicted, or shown
	// before they were made), oldest first.
	gone      map[string]string
	goneOrder []string
}

func newPublicKeys() publicKeys {
	return publicKeys{held: map[string]string{}, gone: map[string]string{}}
}

// lookup returns the account key that answers to public.
func (p *publicKeys) lookup(public string) (string, bool) {
	if k, ok := p.held[public]; ok {
		return k, true
	}
	k, ok := p.gone[public]
	return k, ok
}

// keys returns the account keys of the public keys remembered for
// accounts not held.
func (p *publicKeys) keys() []string {
	out := make([]string, 0, len(p.goneOrder))
	for _, public := range p.goneOrder {
		if key, ok := p.gone[public]; ok {
			out = append(out, key)
		}
	}
	return out
}

// hold records that account key answers to public.
func (p *publicKeys) hold(public, key string) {
	p.held[public] = key
	delete(p.gone, public)
}

// release forgets that a held account answers to public; remember keeps
// routing it (the account regenerates identically).
func (p *publicKeys) release(public, key string, remember bool) {
	if p.held[public] == key {
		delete(p.held, public)
	}
	if remember {
		p.remember(public, key)
	}
}

// remember keeps routing public to account key while no account held
// answers to it (an account evicted, or not made yet, that regenerates
// with that key).
func (p *publicKeys) remember(public, key string) {
	if _, held := p.held[public]; held || p.gone[public] == key {
		return
	}
	if len(p.goneOrder) >= maxRemembered {
		oldest := p.goneOrder[0]
		p.goneOrder = p.goneOrder[1:]
		if _, held := p.held[oldest]; !held {
			delete(p.gone, oldest)
		}
	}
	p.gone[public] = key
	p.goneOrder = append(p.goneOrder, public)
}

// setPublicKey makes the account answer to public, and its account entity
// (a kind whose ids are the account's public key) carry it.
func (a *Account) setPublicKey(public string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.public.Store(&public)
	for _, k := range Kinds() {
		if k.Decl().ID != schema.IDAccount {
			continue
		}
		for _, e := range a.allLocked(k) {
			cp := *e
			cp.stamp = 0
			a.removeEntityLocked(k, e.ID, time.Time{})
			a.putEntityLocked(&cp)
		}
	}
}

// stampPublicKey gives an entity whose id is its account's public key that
// key, as its id and in its public-key attribute.
func (a *Account) stampPublicKey(e *Entity) {
	if e.Kind.Decl().ID != schema.IDAccount {
		return
	}
	public := a.PublicKey()
	e.ID = public
	e.Vals = slices.Clone(e.Vals)
	for i, at := range e.Kind.Attrs() {
		if at.Role == schema.PublicKey {
			e.Set(i, &public)
		}
	}
}

// allLocked returns every entity of kind held, in no order.
func (a *Account) allLocked(k EntityKind) []*Entity {
	return a.cat.all(k)
}

// AccountByPublicKey returns the account that answers to a public key (a
// /client request's company_id): the account it was derived for or bound
// to, else an account of its own (CompanyKey), as unknown private keys are.
func (s *Store) AccountByPublicKey(public string) (*Account, error) {
	s.mu.Lock()
	key, ok := s.pub.lookup(public)
	s.mu.Unlock()
	if !ok {
		key = CompanyKey(public)
	}
	return s.account(key, false)
}

// KeyOfPublicKey returns the key of the account that answers to public:
// the account it was derived for or bound to, else CompanyKey(public).
func (s *Store) KeyOfPublicKey(public string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key, ok := s.pub.lookup(public); ok {
		return key
	}
	return CompanyKey(public)
}

// PublicKeyOf returns the public key account key answers to: its bound
// one when held, else the one derived for it, which from then on reaches
// it (a key once shown reaches its account, held or not: the account is
// made when it is first used).
func (s *Store) PublicKeyOf(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.accounts[key]; ok {
		return el.Value.(*entry).acct.PublicKey()
	}
	public := DerivedPublicKey(s.opts.Seed, key)
	s.pub.remember(public, key)
	return public
}

// ErrPublicKeyTaken: another account held answers to the public key.
var ErrPublicKeyTaken = errors.New("store: another account answers to the public key")

// BindPublicKey makes account key answer to public (a storefront's
// production public key, say) instead of the one it has, and marks it
// changed. It refuses a key another account held answers to.
func (s *Store) BindPublicKey(key, public string) error {
	a, err := s.Mutable(key)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if other, taken := s.pub.held[public]; taken && other != key {
		return ErrPublicKeyTaken
	}
	s.pub.release(a.PublicKey(), key, false)
	s.pub.hold(public, key)
	a.setPublicKey(public)
	return nil
}
