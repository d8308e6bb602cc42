// Package clock holds the server's one clock. Every component that needs the
// time (job lifecycle, rate limiter, revision checks) reads it from here, so
// tests can freeze, set and advance time instead of sleeping.
package clock

import (
	"sync"
	"time"
)

// Clock is the server's source of time. The zero value is not usable; use
// New. A Clock follows real time shifted by an offset until it is frozen,
// after which it only moves when Set or Advance is called.
type Clock struct {
	mu     sync.RWMutex
	real   func() time.Time
	offset time.Duration
	frozen bool
	at     time.Time
}

// New returns a clock that follows real time.
func New() *Clock {
	return &Clock{real: time.Now}
}

// NewFrozen returns a clock frozen at t, for tests.
func NewFrozen(t time.Time) *Clock {
	return &Clock{real: time.Now, frozen: true, at: t.UTC()}
}

// Now returns the clock's current time in UTC.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.frozen {
		return c.at
	}
	return c.real().Add(c.offset).UTC()
}

// Frozen reports whether the clock is frozen.
func (c *Clock) Frozen() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.frozen
}

// Set moves the clock to t. A frozen clock stays frozen at t; a running clock
// keeps running from t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = t.UTC()
		return
	}
	c.offset = t.Sub(c.real())
}

// Advance moves the clock forward (or back, for a negative d) by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
		return
	}
	c.offset += d
}

// Freeze stops the clock at its current reading.
func (c *Clock) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		c.at = c.nowLocked()
		c.frozen = true
	}
}

// Unfreeze lets a frozen clock run again from its current reading.
func (c *Clock) Unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.offset = c.at.Sub(c.real())
		c.frozen = false
	}
}

// Reset returns the clock to real time, unfrozen and without offset.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen = false
	c.offset = 0
	c.at = time.Time{}
}

// State is a clock's setting, for the state file: frozen at At, or running
// Offset ahead of real time.
type State struct {
	Frozen bool          `json:"frozen"`
	At     time.Time     `json:"at,omitzero"`
	Offset time.Duration `json:"offset"`
}

// State returns the clock's setting.
func (c *Clock) State() State {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return State{Frozen: c.frozen, At: c.at, Offset: c.offset}
}

// Restore applies a setting returned by State.
func (c *Clock) Restore(s State) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen, c.at, c.offset = s.Frozen, s.At.UTC(), s.Offset
	if !s.Frozen {
		c.at = time.Time{}
	}
}

// Stopwatch measures elapsed real (monotonic) time, for access-log latency.
// It is the only other place that reads the machine's time.
type Stopwatch struct{ start time.Time }

// StartStopwatch starts a stopwatch.
func StartStopwatch() Stopwatch { return Stopwatch{start: time.Now()} }

// Elapsed returns the real time since the stopwatch started.
func (s Stopwatch) Elapsed() time.Duration { return time.Since(s.start) }
