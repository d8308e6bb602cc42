// Package faults holds the emulator's fault injection: small typed rules
// (match a request, then answer with a status, add latency or drop the
// connection) with a probability and/or a count, a server-wide throttle
// probability, and the Prefer: code=NNN convention. Every random decision
// is a hash of the seed, the rule and the rule's match count, so a run is
// reproducible whatever else the server is doing.
package faults

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Statuses a fault may answer with.
var allowedStatuses = map[int]bool{429: true, 500: true, 502: true, 503: true, 504: true}

// AllowedStatuses lists the statuses a fault or Prefer may simulate.
func AllowedStatuses() []int { return []int{429, 500, 502, 503, 504} }

// Effect is what a fault does to a request.
type Effect struct {
	// Status, when non-zero, answers the request with this Klaviyo-shaped
	// error instead of serving it.
	Status int `json:"status,omitempty"`
	// RetryAfter is the Retry-After of a simulated 429, in seconds (default 1).
	RetryAfter int `json:"retry_after,omitempty"`
	// Latency delays the request before it is served (or failed).
	Latency Duration `json:"latency,omitempty"`
	// Drop closes the connection without a response.
	Drop bool `json:"drop,omitempty"`
}

// Match selects the requests a rule applies to; empty fields match anything.
type Match struct {
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"` // a prefix of the URL path
	Account  string `json:"account,omitempty"`
	Revision string `json:"revision,omitempty"` // the revision that serves the request
}

// Rule is one fault rule.
type Rule struct {
	ID    string `json:"id"`
	Match Match  `json:"match"`
	Effect
	// Probability in (0, 1] that a matching request is hit; 0 means 1.
	Probability float64 `json:"probability,omitempty"`
	// Count, when non-zero, is how many requests the rule still hits; the
	// rule is removed when it reaches zero.
	Count int `json:"count,omitempty"`
	// Matched and Hits count the requests the rule matched and hit.
	Matched int `json:"matched"`
	Hits    int `json:"hits"`
	// Scenario names the preset the rule belongs to ("" none): removing
	// the scenario removes its rules.
	Scenario string `json:"scenario,omitempty"`
}

// Request is what a rule can match on.
type Request struct {
	Method, Path, Account, Revision string
}

func (m Match) matches(r Request) bool {
	return (m.Method == "" || strings.EqualFold(m.Method, r.Method)) &&
		(m.Path == "" || strings.HasPrefix(r.Path, m.Path)) &&
		(m.Account == "" || m.Account == r.Account) &&
		(m.Revision == "" || m.Revision == r.Revision)
}

// Validate checks a rule a client supplied.
func (r *Rule) Validate() error {
	if r.Latency < 0 {
		return errors.New("latency must not be negative")
	}
	if r.Match.Path != "" && !strings.HasPrefix(r.Match.Path, "/") {
		return fmt.Errorf("match.path %q must be a path prefix starting with /, such as /api/catalog-item-bulk-update-jobs", r.Match.Path)
	}
	if r.Match.Revision != "" && !isDate(r.Match.Revision) {
		return fmt.Errorf("match.revision %q must be a revision date such as 2026-07-15", r.Match.Revision)
	}
	if r.Status == 0 && r.Latency <= 0 && !r.Drop {
		return errors.New("a fault needs an effect: status, latency or drop")
	}
	if r.Status != 0 && !allowedStatuses[r.Status] {
		return fmt.Errorf("status %d cannot be simulated; use one of 429, 500, 502, 503, 504", r.Status)
	}
	if r.Status != 0 && r.Drop {
		return errors.New("a fault cannot both answer with a status and drop the connection")
	}
	if r.RetryAfter < 0 || (r.RetryAfter > 0 && r.Status != 429) {
		return errors.New("retry_after applies to status 429 only and must be positive")
	}
	if time.Duration(r.Latency) > 5*time.Minute {
		return errors.New("latency must be at most 5m")
	}
	if r.Probability < 0 || r.Probability > 1 {
		return errors.New("probability must be between 0 and 1")
	}
	if r.Count < 0 {
		return errors.New("count must be 0 (unlimited) or more")
	}
	return nil
}

// isDate reports whether s is a YYYY-MM-DD date.
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Set is the server's fault rules. It is safe for concurrent use.
type Set struct {
	mu       sync.Mutex
	seed     uint64
	rules    []*Rule
	nextID   int
	throttle float64
	seq      map[string]uint64
	// active mirrors "a rule or a throttle probability exists", so that
	// Decide takes no lock on the common path.
	active atomic.Bool
}

// refreshLocked updates active after a change.
func (s *Set) refreshLocked() { s.active.Store(len(s.rules) > 0 || s.throttle > 0) }

// New returns an empty set; throttle is the server-wide probability of a
// simulated 429 (--throttle-probability).
func New(seed uint64, throttle float64) *Set {
	s := &Set{seed: seed, throttle: throttle, seq: map[string]uint64{}}
	s.refreshLocked()
	return s
}

// Add validates r, gives it an id and appends it; rules are tried in order.
func (s *Set) Add(r Rule) (Rule, error) {
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	r.ID = "fault-" + strconv.Itoa(s.nextID)
	r.Matched, r.Hits = 0, 0
	s.rules = append(s.rules, &r)
	s.refreshLocked()
	return r, nil
}

// List returns copies of the rules, in order.
func (s *Set) List() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, len(s.rules))
	for i, r := range s.rules {
		out[i] = *r
	}
	return out
}

// Delete removes one rule; it reports whether it existed.
func (s *Set) Delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rules {
		if r.ID == id {
			s.rules = append(s.rules[:i], s.rules[i+1:]...)
			s.refreshLocked()
			return true
		}
	}
	return false
}

// Clear removes every rule (the server-wide throttle probability stays).
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
	s.refreshLocked()
}

// Reset removes every rule and restarts the random sequences, optionally
// with a new seed.
func (s *Set) Reset(seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seed != 0 {
		s.seed = seed
	}
	s.rules = nil
	s.nextID = 0
	clear(s.seq)
	s.refreshLocked()
}

// Decide returns the effect for req: the first matching rule that hits, or
// the server-wide throttle. It reports false when the request is untouched.
func (s *Set) Decide(req Request) (Effect, string, bool) {
	if !s.active.Load() { // no rule and no throttle probability: no lock
		return Effect{}, "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rules {
		if !r.Match.matches(req) {
			continue
		}
		r.Matched++
		if r.Probability > 0 && r.Probability < 1 && !s.roll(r.ID, uint64(r.Matched), r.Probability) {
			continue
		}
		r.Hits++
		if r.Count > 0 {
			r.Count--
			if r.Count == 0 {
				s.rules = append(s.rules[:i], s.rules[i+1:]...)
				s.refreshLocked()
			}
		}
		return r.Effect, r.ID, true
	}
	if s.throttle > 0 {
		s.seq["throttle"]++
		if s.roll("throttle", s.seq["throttle"], s.throttle) {
			return Effect{Status: 429, RetryAfter: 1}, "throttle-probability", true
		}
	}
	return Effect{}, "", false
}

// roll returns true with probability p, deterministically for (seed, id, n).
func (s *Set) roll(id string, n uint64, p float64) bool {
	h := fnv.New64a()
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(s.seed >> (8 * i))
		b[8+i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(id))
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return float64(x>>11)/float64(1<<53) < p
}

// ParsePrefer reads the Prism convention "Prefer: code=NNN" (other
// preferences, such as return=minimal, are ignored). It returns 0 when no
// code is asked for, and an error for a code that cannot be simulated.
func ParsePrefer(h string) (int, error) {
	for _, part := range strings.FieldsFunc(h, func(r rune) bool { return r == ',' || r == ';' }) {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "code") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		code, err := strconv.Atoi(v)
		if err != nil || !allowedStatuses[code] {
			return 0, fmt.Errorf("code=%s in the Prefer header cannot be simulated; use one of 429, 500, 502, 503, 504", v)
		}
		return code, nil
	}
	return 0, nil
}

// Duration is a time.Duration that reads and writes as a Go duration
// string ("250ms") in JSON, and also reads a number of milliseconds.
type Duration time.Duration

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(time.Duration(d).String())), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if s, err := strconv.Unquote(string(b)); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("invalid duration %q", s)
		}
		*d = Duration(v)
		return nil
	}
	ms, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("invalid duration %s: use a string such as \"250ms\" or a number of milliseconds", b)
	}
	*d = Duration(ms * float64(time.Millisecond))
	return nil
}
