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

// Seed is the generated content of one collection of an account: its jobs,
// or its entities (and, for categories, their items as [category, item]
// pairs).
type Seed struct {
	// History, for a job collection, makes its seeded jobs on demand;
	// Jobs are stored as given (both may be set).
	History  History
	Jobs     []*Job
	Entities []*Entity
	Members  [][2]string
	// Source, for an entity collection, makes its seeded entities on
	// demand; Relations computes the seeded relations between the
	// collections of one catalog (see EntitySource), and Related is the
	// source of the collection its memberships name (the items a category
	// holds), read only when that collection was replaced since.
	Source    EntitySource
	Relations SeededRelations
	Related   EntitySource
}

// Seeder generates one collection of an account from its key (jobs in id
// order). It must be deterministic: an evicted account is regenerated.
type Seeder func(key string, c Collection) Seed

// Options configure a Store.
type Options struct {
	// Seed makes ids and job errors deterministic; non-zero.
	Seed uint64
	// Seeder generates the accounts' collections; nil leaves them empty.
	Seeder Seeder
	// Now is the server clock.
	Now func() time.Time
	// MaxAccounts bounds the accounts held; 0 means unbounded.
	MaxAccounts int
	// Lifecycle says how created jobs progress.
	Lifecycle Lifecycle
	// MaxBytes bounds the estimated size of all accounts held (0:
	// unbounded): unchanged accounts are evicted to make room, and a new
	// account or a change that still does not fit is refused with
	// ErrMemoryBudget.
	MaxBytes int64
	// SeedBytes estimates the size of one generated collection, set aside
	// before it is generated.
	SeedBytes func(Collection) int64
	// MadeJobBytes bounds the seeded history jobs kept once made, so a
	// page read again takes them instead of making them anew (0: 4 MiB,
	// negative: none kept).
	MadeJobBytes int64
	// MadeEntityBytes bounds the seeded entities (of every declared kind)
	// kept once made, likewise (0: as MadeJobBytes, negative: none kept).
	MadeEntityBytes int64

	// stamps hands out the stamps of stored values and collection
	// versions (set by New; shared by every account, kept across resets).
	stamps *atomic.Uint64
	// made keeps history jobs once made, madeEnts seeded entities (set
	// by New).
	made     *madeJobs
	madeEnts *madeEntities

	// compares, when set (by tests), counts the id comparisons the job
	// indexes make and the jobs a page visits, to show a page costs
	// O(page + log n).
	compares *atomic.Int64
	// lockWork, when set (by tests), counts the index work relationship
	// writes do under an account's lock.
	lockWork *lockWork
}

// Store holds every account.
type Store struct {
	opts Options

	mu       sync.RWMutex
	accounts map[string]*list.Element // of *entry
	pub      publicKeys               // which account answers to each public key
	lru      *list.List               // front: most recently used
	meter    *meter                   // this generation's bytes (a reset starts another)
}

type entry struct {
	acct    *Account
	changed bool
}

// DefaultMadeJobBytes bounds the history jobs kept once made by default.
const DefaultMadeJobBytes = 4 << 20

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Now == nil {
		panic("store: Options.Now is required")
	}
	opts.Lifecycle = opts.Lifecycle.withDefaults()
	opts.stamps = new(atomic.Uint64)
	if opts.MadeJobBytes == 0 {
		opts.MadeJobBytes = DefaultMadeJobBytes
	}
	if opts.MadeEntityBytes == 0 {
		opts.MadeEntityBytes = opts.MadeJobBytes
	}
	opts.made = newMadeJobs(opts.MadeJobBytes)
	opts.madeEnts = newMadeEntities(opts.MadeEntityBytes)
	s := &Store{opts: opts, accounts: map[string]*list.Element{}, lru: list.New(), pub: newPublicKeys()}
	s.meter = s.newMeter()
	return s
}

func (s *Store) newMeter() *meter {
	m := &meter{max: s.opts.MaxBytes}
	m.evict = func(need int64) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.makeRoomLocked(m, need)
	}
	return m
}

// makeRoomLocked evicts unchanged accounts, least recently used first,
// until need more bytes fit in m; it reports whether they do.
func (s *Store) makeRoomLocked(m *meter, need int64) bool {
	for m.max > 0 && m.used.Load()+need > m.max {
		if m != s.meter || !s.evictLocked() {
			return false
		}
	}
	return true
}

// Fits reports whether bytes fit the budget at all (with every other
// account evicted).
func (s *Store) Fits(bytes int64) bool {
	return s.opts.MaxBytes <= 0 || accountBytes+bytes <= s.opts.MaxBytes
}

// Used returns the estimated bytes of every account held, and the bound.
func (s *Store) Used() (used, max int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.meter.used.Load(), s.meter.max
}

// Lifecycle returns how created jobs progress (fixed for the store's life).
func (s *Store) Lifecycle() Lifecycle { return s.opts.Lifecycle }

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
	// The usual request: the account most recently used, already held.
	s.mu.RLock()
	if el, ok := s.accounts[key]; ok && s.lru.Front() == el {
		if e := el.Value.(*entry); e.changed || !change {
			s.mu.RUnlock()
			return e.acct, nil
		}
	}
	s.mu.RUnlock()
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
	if !s.makeRoomLocked(s.meter, accountBytes) {
		return nil, ErrMemoryBudget
	}
	e := &entry{acct: newAccount(key, &s.opts), changed: change}
	if _, taken := s.pub.held[e.acct.PublicKey()]; !taken {
		s.pub.hold(e.acct.PublicKey(), key)
	}
	e.acct.meter.Store(s.meter)
	e.acct.grow(accountBytes)
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
			s.pub.release(e.acct.PublicKey(), e.acct.key, true)
			e.acct.detach()
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

// Reset drops every account; they regenerate on next use with the seed,
// seeder and seeded size given, or the current ones when zero.
func (s *Store) Reset(seed uint64, seeder Seeder, seedBytes func(Collection) int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seed != 0 {
		s.opts.Seed = seed
	}
	if seeder != nil {
		s.opts.Seeder = seeder
	}
	if seedBytes != nil {
		s.opts.SeedBytes = seedBytes
	}
	known := s.pub.keys()
	for el := s.lru.Back(); el != nil; el = el.Prev() {
		known = append(known, el.Value.(*entry).acct.key)
	}
	s.accounts = map[string]*list.Element{}
	s.pub = newPublicKeys()
	for _, key := range known { // seeded again, each answers to its derived key
		s.pub.remember(DerivedPublicKey(s.opts.Seed, key), key)
	}
	s.lru.Init()
	s.meter = s.newMeter()
	if s.opts.made != nil {
		s.opts.made.Clear() // nothing kept can be asked for again
	}
	if s.opts.madeEnts != nil {
		s.opts.madeEnts.Clear()
	}
}

// Forget drops one account, which regenerates from the seed on next use.
func (s *Store) Forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.accounts[key]; ok {
		s.lru.Remove(el)
		delete(s.accounts, key)
		a := el.Value.(*entry).acct
		s.pub.release(a.PublicKey(), key, false)
		s.pub.remember(DerivedPublicKey(s.opts.Seed, key), key) // as seeded again
		a.detach()
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
