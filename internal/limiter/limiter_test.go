package limiter

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// start is 10:00:30.250, a quarter second into a second, mid-minute.
var start = time.Date(2026, 11, 28, 10, 0, 30, 250_000_000, time.UTC)

var key = Key{Account: "pk_a", Operation: "list"}

func TestAllow_BurstLimitThenRetryAfterTheSecond(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	lim := Limits{Burst: 3, Steady: 100}
	for i := 1; i <= 3; i++ {
		d := l.Allow(key, lim)
		if !d.Allowed || d.Steady != (Window{Limit: 100, Remaining: 100 - i, Reset: 29}) || d.Burst != (Window{Limit: 3, Remaining: 3 - i, Reset: 0}) {
			t.Fatalf("request %d: %+v", i, d)
		}
	}
	d := l.Allow(key, lim)
	if d.Allowed || d.RetryAfter != 1 {
		t.Fatalf("4th request in the burst window: %+v, want refused with Retry-After 1", d)
	}
	c.Advance(749 * time.Millisecond) // 10:00:30.999
	if d := l.Allow(key, lim); d.Allowed {
		t.Fatal("admitted before the burst window reset")
	}
	c.Advance(time.Millisecond) // 10:00:31.000: a new second
	if d := l.Allow(key, lim); !d.Allowed || d.Steady.Remaining != 96 || d.Burst.Remaining != 2 || d.Burst.Reset != 1 {
		t.Fatalf("at the boundary: %+v", d)
	}
}

func TestAllow_SteadyLimitBitesAcrossSeconds(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	lim := Limits{Burst: 2, Steady: 5}
	admitted := 0
	for i := 0; i < 10; i++ {
		if l.Allow(key, lim).Allowed {
			admitted++
		}
		c.Advance(500 * time.Millisecond)
	}
	if admitted != 5 {
		t.Fatalf("admitted %d over 5 s, want the steady 5", admitted)
	}
	d := l.Allow(key, lim) // at 10:00:35.250
	if d.Allowed || d.RetryAfter != 25 || d.Steady.Remaining != 0 {
		t.Fatalf("%+v, want refused until the minute: Retry-After 25", d)
	}
	c.Advance(24*time.Second + 750*time.Millisecond) // 10:01:00.000
	if d := l.Allow(key, lim); !d.Allowed || d.Steady.Remaining != 4 || d.Steady.Reset != 60 {
		t.Fatalf("new minute: %+v", d)
	}
}

func TestAllow_WindowsAlignToTheClockNotToTheFirstRequest(t *testing.T) {
	c := clock.NewFrozen(time.Date(2026, 1, 1, 0, 0, 59, 900_000_000, time.UTC))
	l := New(c.Now)
	lim := Limits{Burst: 1, Steady: 1}
	if !l.Allow(key, lim).Allowed {
		t.Fatal("first request refused")
	}
	d := l.Allow(key, lim)
	if d.Allowed || d.RetryAfter != 1 {
		t.Fatalf("%+v: 0.1 s before the minute, Retry-After should round up to 1", d)
	}
	c.Advance(100 * time.Millisecond)
	if !l.Allow(key, lim).Allowed {
		t.Fatal("a request 100 ms later, in a new minute, was refused")
	}
}

func TestAllow_KeysNeverShareCounters(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	lim := Limits{Burst: 1, Steady: 10}
	for _, k := range []Key{{"a", "list"}, {"b", "list"}, {"a", "get"}} {
		if !l.Allow(k, lim).Allowed {
			t.Fatalf("%v refused: counters are shared", k)
		}
	}
	if l.Allow(Key{"a", "list"}, lim).Allowed {
		t.Fatal("second a/list admitted")
	}
	l.ResetAccount("a")
	if !l.Allow(Key{"a", "list"}, lim).Allowed || l.Allow(Key{"b", "list"}, lim).Allowed {
		t.Fatal("ResetAccount cleared the wrong counters")
	}
}

func TestAllow_ExactlyTheLimitUnderConcurrency(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	lim := Limits{Burst: 75, Steady: 750}
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if l.Allow(key, lim).Allowed {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if admitted.Load() != 75 {
		t.Fatalf("admitted %d of 800 concurrent requests, want exactly 75", admitted.Load())
	}
}

func TestAllow_ClockSetBackStartsFreshWindows(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	lim := Limits{Burst: 1, Steady: 1}
	l.Allow(key, lim)
	c.Advance(-time.Hour)
	if !l.Allow(key, lim).Allowed {
		t.Fatal("a window an hour earlier inherited the count")
	}
}

func TestPolicy_ScalesRoundingUpToAtLeastOne(t *testing.T) {
	cases := []struct {
		p    Policy
		in   Limits
		want Limits
	}{
		{Policy{}, Limits{350, 3500}, Limits{350, 3500}},
		{Policy{Scale: 0.01}, Limits{350, 3500}, Limits{4, 35}},
		{Policy{Scale: 0.01}, Limits{75, 750}, Limits{1, 8}},
		{Policy{Scale: 0.001}, Limits{75, 700}, Limits{1, 1}},
		{Policy{Scale: 2}, Limits{75, 700}, Limits{150, 1400}},
		{Policy{Burst: 2, Steady: 10}, Limits{350, 3500}, Limits{2, 10}},
		{Policy{Burst: 10, Scale: 0.5}, Limits{350, 3500}, Limits{5, 1750}},
	}
	for _, c := range cases {
		if got := c.p.Apply(c.in); got != c.want {
			t.Errorf("%+v.Apply(%v) = %v, want %v", c.p, c.in, got, c.want)
		}
	}
}

func TestSweep_DropsIdleCounters(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	for i := 0; i < 100; i++ {
		l.Allow(Key{Account: string(rune('a' + i%26)), Operation: "x"}, Limits{1000, 1000})
	}
	c.Advance(time.Minute)
	for i := 0; i < sweepEvery; i++ {
		l.Allow(key, Limits{1 << 30, 1 << 30})
	}
	l.mu.Lock()
	n := len(l.buckets)
	l.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d counters held after a minute idle, want 1", n)
	}
}

func TestDecision_BindingIsTheWindowCloserToExhaustion(t *testing.T) {
	tests := []struct {
		burst, steady Window
		want          string
	}{
		// Observed on Klaviyo: the first request of a second and a minute.
		{Window{350, 349, 0}, Window{3500, 3499, 59}, "burst"},
		{Window{75, 70, 0}, Window{750, 10, 40}, "steady"},
		{Window{10, 5, 0}, Window{100, 50, 40}, "burst"}, // a tie: the burst window
		{Window{10, 0, 0}, Window{100, 0, 40}, "burst"},
	}
	for _, tt := range tests {
		d := Decision{Burst: tt.burst, Steady: tt.steady}
		got := "burst"
		if d.Binding() == tt.steady && tt.steady != tt.burst {
			got = "steady"
		}
		if got != tt.want {
			t.Errorf("burst %+v steady %+v: binding %s, want %s", tt.burst, tt.steady, got, tt.want)
		}
	}
}

func TestPeek_CountsNothing(t *testing.T) {
	c := clock.NewFrozen(start)
	l := New(c.Now)
	lim := Limits{Burst: 2, Steady: 10}
	l.Allow(key, lim)
	for i := 0; i < 5; i++ {
		if d := l.Peek(key, lim); !d.Allowed || d.Burst.Remaining != 1 || d.Steady.Remaining != 9 {
			t.Fatalf("peek %d: %+v", i, d)
		}
	}
	if d := l.Allow(key, lim); !d.Allowed || d.Burst.Remaining != 0 {
		t.Fatalf("the request after the peeks: %+v", d)
	}
	if d := l.Peek(Key{Account: "other"}, lim); !d.Allowed || d.Steady.Remaining != 10 {
		t.Fatalf("peek of an unknown key: %+v", d)
	}
}
