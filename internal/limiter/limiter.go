// Package limiter emulates Klaviyo's rate limiter: two fixed windows, a
// 1-second burst window and a 60-second steady window, aligned to the
// clock's whole seconds and minutes and counted per key (account and
// operation). It reads time only from the injected clock, so tests move
// time instead of sleeping. It knows nothing of HTTP or the store.
package limiter

import (
	"math"
	"sync"
	"time"
)

// Limits are requests admitted per burst (1 s) and steady (60 s) window.
type Limits struct {
	Burst  int
	Steady int
}

// Key identifies one counter: an account and an operation.
type Key struct {
	Account   string
	Operation string
}

// Window is the state of one window after a decision.
type Window struct {
	// Limit is the window's limit.
	Limit int
	// Remaining is what is left of the window after this request.
	Remaining int
	// Reset is the whole seconds (rounded down) until the window resets.
	Reset int
}

// Decision is the limiter's answer for one request.
type Decision struct {
	// Allowed reports whether the request is admitted (and counted).
	Allowed bool
	// Burst and Steady are the 1-second and 60-second windows.
	Burst, Steady Window
	// RetryAfter is, for a refused request, the whole seconds (at least 1)
	// until a request would be admitted (Retry-After).
	RetryAfter int
}

// Binding returns the window closer to exhaustion (the smaller share left;
// the burst window on a tie), the one RateLimit-Remaining and -Reset
// describe.
func (d Decision) Binding() Window {
	if int64(d.Steady.Remaining)*int64(d.Burst.Limit) < int64(d.Burst.Remaining)*int64(d.Steady.Limit) {
		return d.Steady
	}
	return d.Burst
}

type bucket struct {
	sec, min           int64
	secCount, minCount int
}

// sweepEvery is how many calls pass between sweeps of stale counters.
const sweepEvery = 4096

// Limiter counts requests per key. It is safe for concurrent use; exactly
// the limit is admitted per window whatever the concurrency.
type Limiter struct {
	now func() time.Time

	mu      sync.Mutex
	buckets map[Key]*bucket
	calls   int
}

// New returns a limiter reading time from now.
func New(now func() time.Time) *Limiter {
	return &Limiter{now: now, buckets: map[Key]*bucket{}}
}

// Allow decides on one request for key under lim, counting it if admitted.
func (l *Limiter) Allow(key Key, lim Limits) Decision { return l.decide(key, lim, true) }

// Peek returns what Allow would answer for key under lim now, without
// counting anything: the headers of a response the limiter did not decide
// (a simulated fault).
func (l *Limiter) Peek(key Key, lim Limits) Decision { return l.decide(key, lim, false) }

func (l *Limiter) decide(key Key, lim Limits, count bool) Decision {
	now := l.now()
	ns := now.UnixNano()
	sec := floorDiv(ns, int64(time.Second))
	min := floorDiv(sec, 60)

	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%sweepEvery == 0 {
		l.sweepLocked(min)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{sec: sec, min: min}
		if count {
			l.buckets[key] = b
		}
	}
	if b.sec != sec {
		b.sec, b.secCount = sec, 0
	}
	if b.min != min {
		b.min, b.minCount = min, 0
	}
	untilSecond := (sec+1)*int64(time.Second) - ns
	untilMinute := (min+1)*60*int64(time.Second) - ns
	d := Decision{
		Burst:  Window{Limit: lim.Burst, Reset: int(untilSecond / int64(time.Second))},
		Steady: Window{Limit: lim.Steady, Reset: int(untilMinute / int64(time.Second))},
	}
	switch {
	case !count:
		d.Allowed = true // a peek is never refused for looking
	case b.minCount >= lim.Steady:
		d.RetryAfter = ceilSeconds(untilMinute)
	case b.secCount >= lim.Burst:
		d.RetryAfter = ceilSeconds(untilSecond)
	default:
		b.secCount++
		b.minCount++
		d.Allowed = true
	}
	d.Burst.Remaining = max(lim.Burst-b.secCount, 0)
	d.Steady.Remaining = max(lim.Steady-b.minCount, 0)
	if !d.Allowed {
		d.RetryAfter = max(d.RetryAfter, 1)
	}
	return d
}

// Reset clears every counter.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.buckets)
}

// ResetAccount clears the counters of one account.
func (l *Limiter) ResetAccount(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.buckets {
		if k.Account == account {
			delete(l.buckets, k)
		}
	}
}

// sweepLocked drops counters whose steady window is over, so idle accounts
// do not hold memory.
func (l *Limiter) sweepLocked(min int64) {
	for k, b := range l.buckets {
		if b.min != min {
			delete(l.buckets, k)
		}
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// ceilSeconds rounds a positive nanosecond span up to whole seconds (at
// least 1).
func ceilSeconds(ns int64) int {
	s := int((ns + int64(time.Second) - 1) / int64(time.Second))
	return max(s, 1)
}

// Policy adjusts Klaviyo's limits for a test run.
type Policy struct {
	// Off disables rate limiting (and its headers).
	Off bool
	// Scale multiplies every limit (rounded up, at least 1); 0 means 1.
	Scale float64
	// Burst and Steady, when non-zero, replace every operation's limits
	// (before scaling).
	Burst, Steady int
}

// Apply returns lim as the policy says.
func (p Policy) Apply(lim Limits) Limits {
	if p.Burst > 0 {
		lim.Burst = p.Burst
	}
	if p.Steady > 0 {
		lim.Steady = p.Steady
	}
	if p.Scale > 0 && p.Scale != 1 {
		lim.Burst = scale(lim.Burst, p.Scale)
		lim.Steady = scale(lim.Steady, p.Scale)
	}
	return lim
}

func scale(n int, f float64) int {
	return max(int(math.Ceil(float64(n)*f-1e-9)), 1)
}
