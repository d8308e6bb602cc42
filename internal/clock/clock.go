// Package clock holds the server's one clock. Every component that needs the
// time (job lifecycle, rate limiter, revision checks) reads it from here, so
// tests can freeze, set and advance time instead of sleeping.
package clock

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the server's source of time. The zero value is not usable; use
// New. A running Clock reads base plus the real time elapsed since it was
// set (real time itself when never set); a frozen one reads at, and moves
// only when Set or Advance is called.
type Clock struct {
	mu   sync.Mutex // serialises changes
	real func() time.Time
	// machine is set when real is time.Now, the stopwatch's own reading.
	machine bool
	setting
	// now is a copy of the setting, published after every change, that
	// readers use without a lock (every request reads the clock).
	now atomic.Pointer[setting]
}

type setting struct {
	set    bool      // running: base/since are in use (else real time)
	base   time.Time // running: the reading at since
	since  time.Time // running: the real time base was set
	frozen bool
	at     time.Time
}

// publish makes the current setting the one readers see (with mu held).
func (c *Clock) publish() {
	s := c.setting
	c.now.Store(&s)
}

// The range the clock may be set to: every timestamp derived from it (job
// completion, expiry 30 days on) stays a valid RFC 3339 year. The clock
// reads nothing outside it: moved or running past an end, it stays there
// (at lastTime, its last nanosecond).
var (
	minTime  = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime  = time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)
	lastTime = maxTime.Add(-1)
)

// clamp returns t, or the end of the range it passed.
func clamp(t time.Time) time.Time {
	switch {
	case t.Before(minTime):
		return minTime
	case t.Before(maxTime):
		return t
	}
	return lastTime
}

// InRange reports whether t is a time the clock may be set to (1970-01-01
// up to 9000-01-01).
func InRange(t time.Time) bool { return !t.Before(minTime) && t.Before(maxTime) }

// CheckRange returns, in the control API's words, why the clock may not
// read t (nil when it may): the one rule for POST /__admin/clock and the
// state file's clock.
func CheckRange(t time.Time) error {
	if InRange(t) {
		return nil
	}
	return fmt.Errorf("The clock would read %s; it must stay between 1970-01-01 and 9000-01-01.", t.UTC().Format(time.RFC3339Nano))
}

// New returns a clock that follows real time.
func New() *Clock {
	c := &Clock{real: time.Now, machine: true}
	c.publish()
	return c
}

// NewFrozen returns a clock frozen at t, for tests.
func NewFrozen(t time.Time) *Clock {
	c := &Clock{real: time.Now, machine: true, setting: setting{frozen: true, at: t.UTC()}}
	c.publish()
	return c
}

// NewFrozenOn returns a clock frozen at t on a machine whose time is what
// machine returns, for tests: a running clock restored from a state file
// (which reads on from the machine's time) then reads the same every run.
func NewFrozenOn(t time.Time, machine func() time.Time) *Clock {
	c := &Clock{real: machine, setting: setting{frozen: true, at: t.UTC()}}
	c.publish()
	return c
}

// Now returns the clock's current time in UTC.
func (c *Clock) Now() time.Time { return c.now.Load().read(c.real) }

func (c *Clock) nowLocked() time.Time { return c.setting.read(c.real) }

func (s *setting) read(real func() time.Time) time.Time {
	if s.frozen {
		return clamp(s.at)
	}
	return s.readAt(real())
}

// readAt is the reading at machine time m.
func (s *setting) readAt(m time.Time) time.Time {
	switch {
	case s.frozen:
		return clamp(s.at)
	case s.set:
		return clamp(s.base.Add(m.Sub(s.since)).UTC())
	}
	return m.UTC()
}

// Start returns the clock's reading, as Now, and a stopwatch started at
// that instant: where the clock reads the machine's time itself (New,
// NewFrozen), one reading of it serves both, as a request's start needs
// both (its journal entry's time, its duration).
func (c *Clock) Start() (time.Time, Stopwatch) {
	if !c.machine {
		return c.Now(), StartStopwatch()
	}
	m := time.Now()
	return c.now.Load().readAt(m), Stopwatch{start: m}
}

// Machine returns the machine's time in UTC, not the emulated one: for the
// few things that must tell real time, such as since when a server owns
// its state file.
func (c *Clock) Machine() time.Time { return c.real().UTC() }

// Frozen reports whether the clock is frozen.
func (c *Clock) Frozen() bool { return c.now.Load().frozen }

// Set moves the clock to t. A frozen clock stays frozen at t; a running clock
// keeps running from t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.publish()
	if c.frozen {
		c.at = t.UTC()
		return
	}
	c.runFromLocked(t)
}

func (c *Clock) runFromLocked(t time.Time) {
	c.set, c.base, c.since = true, t.UTC(), c.real()
}

// Advance moves the clock forward (or back, for a negative d) by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.publish()
	switch {
	case c.frozen:
		c.at = c.at.Add(d)
	case c.set:
		c.base = c.base.Add(d)
	default:
		c.set, c.since = true, c.real()
		c.base = c.since.UTC().Add(d)
	}
}

// Freeze stops the clock at its current reading.
func (c *Clock) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.publish()
	if !c.frozen {
		c.at = c.nowLocked()
		c.frozen = true
	}
}

// Unfreeze lets a frozen clock run again from its current reading.
func (c *Clock) Unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.publish()
	if c.frozen {
		c.runFromLocked(c.at)
		c.frozen = false
	}
}

// Reset returns the clock to real time, unfrozen.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.publish()
	c.frozen, c.set = false, false
	c.at, c.base, c.since = time.Time{}, time.Time{}, time.Time{}
}

// State is a clock's setting, for the state file: frozen at At; running,
// reading At when the machine's time was Real (so it keeps following real
// time when restored, however far from it); or, with neither, real time.
// Offset (a running clock's distance from real time) is what files of
// version 3 and before hold; a time.Duration reaches only about 292 years,
// so it is read but no longer written.
type State struct {
	Frozen bool          `json:"frozen"`
	At     time.Time     `json:"at,omitzero"`
	Real   time.Time     `json:"real,omitzero"`
	Offset time.Duration `json:"offset,omitempty"`
}

// State returns the clock's setting.
func (c *Clock) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return State{Frozen: true, At: clamp(c.at)}
	}
	if !c.set {
		return State{}
	}
	real := c.real()
	return State{At: clamp(c.base.Add(real.Sub(c.since)).UTC()), Real: real.UTC()}
}

// Restore applies a setting returned by State. A setting that would read
// outside the clock's range (CheckRange) is an error, and changes nothing.
func (c *Clock) Restore(s State) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	real := c.real()
	// saved is the reading the state holds (a running clock's, when it was
	// saved): it must be one the clock can read. A running clock has run
	// on since, and stops at the end of the range if it passes it.
	saved, reading := s.At, s.At
	switch {
	case s.Frozen:
	case !s.At.IsZero() && !s.Real.IsZero():
		reading = s.At.Add(real.Sub(s.Real))
	case !s.At.IsZero():
	case s.Offset != 0:
		saved = real.Add(s.Offset)
		reading = saved
	default:
		saved, reading = real, real
	}
	if s != (State{}) {
		if err := CheckRange(saved); err != nil {
			return err
		}
	}
	defer c.publish()
	c.frozen, c.set = false, false
	c.at, c.base, c.since = time.Time{}, time.Time{}, time.Time{}
	switch {
	case s.Frozen:
		c.frozen, c.at = true, reading.UTC()
	case s != (State{}):
		c.set, c.since, c.base = true, real, reading.UTC()
	}
	return nil
}

// Stopwatch measures elapsed real (monotonic) time, for access-log latency
// and the network timeouts of connections and request bodies. It is the
// only other place that reads the machine's time.
type Stopwatch struct{ start time.Time }

// StartStopwatch starts a stopwatch.
func StartStopwatch() Stopwatch { return Stopwatch{start: time.Now()} }

// Elapsed returns the real time since the stopwatch started.
func (s Stopwatch) Elapsed() time.Duration { return time.Since(s.start) }

// Deadline returns the instant d after the stopwatch started, for a
// network deadline (which net.Conn takes as an instant).
func (s Stopwatch) Deadline(d time.Duration) time.Time { return s.start.Add(d) }
