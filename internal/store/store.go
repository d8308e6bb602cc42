package store

import (
	"container/list"
	"errors"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"time"
)

// Sentinel errors; handlers map them to Klaviyo-shaped responses.
var (
	// ErrTooManyAccounts: every account held has been changed and a new key
	// would exceed Options.MaxAccounts.
	ErrTooManyAccounts = errors.New("store: account limit reached")
	// ErrTooManyInProgress: the account already has MaxInProgress created
	// jobs queued or processing.
	ErrTooManyInProgress = errors.New("store: too many jobs in progress")
)

// Seeder generates an account's initial jobs (in id order) and items from
// its key. It must be deterministic: an evicted account is regenerated.
type Seeder func(key string) ([]*Job, []*Item)

// Options configure a Store.
type Options struct {
	// Seed makes ids and job errors deterministic; non-zero.
	Seed uint64
	// Seeder generates new accounts; nil leaves them empty.
	Seeder Seeder
	// Now is the server clock.
	Now func() time.Time
	// MaxAccounts bounds the accounts held; 0 means unbounded.
	MaxAccounts int
	// Lifecycle says how created jobs progress.
	Lifecycle Lifecycle

	// compares, when set (by tests), counts the id comparisons the job
	// indexes make and the jobs a page visits, to show a page costs
	// O(page + log n).
	compares *atomic.Int64
}

// Store holds every account.
type Store struct {
	opts Options

	mu       sync.Mutex
	accounts map[string]*list.Element // of *entry
	lru      *list.List               // front: most recently used
}

type entry struct {
	acct    *Account
	changed bool
}

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Now == nil {
		panic("store: Options.Now is required")
	}
	opts.Lifecycle = opts.Lifecycle.withDefaults()
	return &Store{opts: opts, accounts: map[string]*list.Element{}, lru: list.New()}
}

// Options returns the store's options.
func (s *Store) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// Account returns the account for key, creating (and lazily seeding) it.
func (s *Store) Account(key string) (*Account, error) {
	return s.account(key, false)
}

// Mutable returns the account for key and marks it changed, so it is never
// evicted: call it before any change to the account.
func (s *Store) Mutable(key string) (*Account, error) {
	return s.account(key, true)
}

func (s *Store) account(key string, change bool) (*Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.accounts[key]; ok {
		s.lru.MoveToFront(el)
		e := el.Value.(*entry)
		e.changed = e.changed || change
		return e.acct, nil
	}
	if max := s.opts.MaxAccounts; max > 0 && len(s.accounts) >= max {
		if !s.evictLocked() {
			return nil, ErrTooManyAccounts
		}
	}
	e := &entry{acct: newAccount(key, &s.opts), changed: change}
	s.accounts[key] = s.lru.PushFront(e)
	return e.acct, nil
}

// evictLocked drops the least recently used unchanged account.
func (s *Store) evictLocked() bool {
	for el := s.lru.Back(); el != nil; el = el.Prev() {
		e := el.Value.(*entry)
		if !e.changed {
			s.lru.Remove(el)
			delete(s.accounts, e.acct.key)
			return true
		}
	}
	return false
}

// Keys lists the keys of the accounts held, most recently used first, and
// whether each has been changed.
func (s *Store) Keys() (keys []string, changed []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for el := s.lru.Front(); el != nil; el = el.Next() {
		e := el.Value.(*entry)
		keys = append(keys, e.acct.key)
		changed = append(changed, e.changed)
	}
	return keys, changed
}

// Reset drops every account; they regenerate on next use with opts (Seed,
// Seeder) as given, or the current ones when zero.
func (s *Store) Reset(seed uint64, seeder Seeder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seed != 0 {
		s.opts.Seed = seed
	}
	if seeder != nil {
		s.opts.Seeder = seeder
	}
	s.accounts = map[string]*list.Element{}
	s.lru.Init()
}

// Forget drops one account, which regenerates from the seed on next use.
func (s *Store) Forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.accounts[key]; ok {
		s.lru.Remove(el)
		delete(s.accounts, key)
	}
}

// hashKey mixes an account key into 64 bits.
func hashKey(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// AccountSeed derives the seed of one account's fixtures from the server
// seed and the key.
func AccountSeed(seed uint64, key string) uint64 {
	x := seed ^ hashKey(key)
	// splitmix64 finaliser
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	if x == 0 {
		x = 1
	}
	return x
}
