package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// slack bounds how far a running clock may be from where it should be: the
// time a test takes between two readings. Generous, so a loaded CI machine
// does not flake; the assertions that matter are the exact frozen ones.
const slack = time.Minute

var (
	t0 = time.Date(2026, 9, 30, 23, 55, 29, 946027000, time.UTC)
	t1 = time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
)

// wantAt fails unless got is exactly want and in UTC.
func wantAt(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %v, want exactly %v (off by %v)", what, got, want, got.Sub(want))
	}
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
}

// wantNear fails unless lo <= got <= lo+slack and got is in UTC.
func wantNear(t *testing.T, what string, got, lo time.Time) {
	t.Helper()
	if got.Before(lo) || got.After(lo.Add(slack)) {
		t.Errorf("%s: got %v, want within [%v, +%v]", what, got, lo, slack)
	}
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
}

// wantRuns fails unless c moves forward on its own, spinning (not
// sleeping) on real time until it does.
func wantRuns(t *testing.T, c *clock.Clock) {
	t.Helper()
	first := c.Now()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c.Now().After(first) {
			return
		}
	}
	t.Errorf("clock stayed at %v for 10s of real time, want it running", first)
}

// wantStill fails unless c reads exactly at while real time passes.
func wantStill(t *testing.T, c *clock.Clock, at time.Time) {
	t.Helper()
	start := time.Now()
	for i := 0; time.Since(start) < 2*time.Millisecond || i < 1000; i++ {
		if got := c.Now(); !got.Equal(at) {
			t.Fatalf("frozen clock moved from %v to %v", at, got)
		}
	}
}

func TestNew_FollowsRealTime(t *testing.T) {
	before := time.Now()
	c := clock.New()
	got := c.Now()
	wantNear(t, "New().Now()", got, before.Truncate(time.Microsecond).Add(-time.Microsecond))
	if c.Frozen() {
		t.Errorf("New() is frozen")
	}
	wantRuns(t, c)
}

func TestNewFrozen_ReadsExactlyTheGivenTimeInUTC(t *testing.T) {
	c := clock.NewFrozen(t0)
	wantAt(t, "NewFrozen(t0).Now()", c.Now(), t0)
	if !c.Frozen() {
		t.Errorf("NewFrozen is not frozen")
	}
	wantStill(t, c, t0)

	local := t0.In(time.FixedZone("+05:45", 5*3600+45*60))
	wantAt(t, "NewFrozen(non-UTC).Now()", clock.NewFrozen(local).Now(), t0)
}

func TestFrozen_SetMovesExactlyAndStaysFrozen(t *testing.T) {
	c := clock.NewFrozen(t0)
	c.Set(t1)
	wantAt(t, "after Set(t1)", c.Now(), t1)
	if !c.Frozen() {
		t.Errorf("Set unfroze the clock")
	}
	wantStill(t, c, t1)
	c.Set(t0) // backwards is allowed
	wantAt(t, "after Set(t0)", c.Now(), t0)
	c.Set(t1.In(time.FixedZone("-03:00", -3*3600)))
	wantAt(t, "after Set(non-UTC)", c.Now(), t1)
}

func TestFrozen_AdvanceMovesExactly(t *testing.T) {
	c := clock.NewFrozen(t0)
	c.Advance(90 * time.Second)
	wantAt(t, "after Advance(90s)", c.Now(), t0.Add(90*time.Second))
	c.Advance(-2 * time.Hour)
	wantAt(t, "after Advance(-2h)", c.Now(), t0.Add(90*time.Second-2*time.Hour))
	c.Advance(0)
	wantAt(t, "after Advance(0)", c.Now(), t0.Add(90*time.Second-2*time.Hour))
	c.Advance(time.Nanosecond)
	wantAt(t, "after Advance(1ns)", c.Now(), t0.Add(90*time.Second-2*time.Hour+time.Nanosecond))
	if !c.Frozen() {
		t.Errorf("Advance unfroze the clock")
	}
	wantStill(t, c, t0.Add(90*time.Second-2*time.Hour+time.Nanosecond))
}

func TestRunning_SetKeepsRunningFromT(t *testing.T) {
	for _, at := range []time.Time{t0, t1, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)} {
		c := clock.New()
		c.Set(at)
		wantNear(t, "Now() after Set", c.Now(), at)
		if c.Frozen() {
			t.Errorf("Set froze a running clock")
		}
		wantRuns(t, c)
		wantNear(t, "Now() later", c.Now(), at)
	}
}

func TestRunning_AdvanceShiftsByD(t *testing.T) {
	c := clock.New()
	c.Set(t0)
	c.Advance(time.Hour)
	wantNear(t, "after Advance(1h)", c.Now(), t0.Add(time.Hour))
	c.Advance(-3 * time.Hour)
	wantNear(t, "after Advance(-3h)", c.Now(), t0.Add(-2*time.Hour))
	wantRuns(t, c)

	r := clock.New()
	before := time.Now().UTC()
	r.Advance(24 * time.Hour)
	wantNear(t, "real clock advanced a day", r.Now(), before.Add(24*time.Hour).Add(-time.Microsecond))
}

func TestFreeze_StopsAtTheCurrentReading(t *testing.T) {
	c := clock.New()
	c.Set(t0)
	c.Freeze()
	if !c.Frozen() {
		t.Fatalf("Freeze did not freeze")
	}
	at := c.Now()
	wantNear(t, "frozen reading", at, t0)
	wantStill(t, c, at)
	c.Freeze() // idempotent: a second Freeze does not move the reading
	wantAt(t, "after a second Freeze", c.Now(), at)
}

func TestFreezeUnfreeze_ContinuesFromTheFrozenReading(t *testing.T) {
	c := clock.New()
	c.Set(t0)
	c.Freeze()
	at := c.Now()
	c.Advance(time.Hour)
	c.Unfreeze()
	if c.Frozen() {
		t.Fatalf("Unfreeze left the clock frozen")
	}
	wantNear(t, "after Unfreeze", c.Now(), at.Add(time.Hour))
	wantRuns(t, c)
}

func TestNewFrozen_UnfreezeRunsFromT(t *testing.T) {
	c := clock.NewFrozen(t1)
	c.Unfreeze()
	wantNear(t, "after Unfreeze", c.Now(), t1)
	wantRuns(t, c)
	c.Freeze()
	at := c.Now()
	wantNear(t, "frozen again", at, t1)
	wantStill(t, c, at)
}

func TestUnfreeze_OnARunningClockChangesNothing(t *testing.T) {
	c := clock.New()
	c.Set(t0)
	c.Unfreeze()
	wantNear(t, "after Unfreeze of a running clock", c.Now(), t0)
	if c.Frozen() {
		t.Errorf("Unfreeze froze the clock")
	}
}

func TestReset_ReturnsToRealTime(t *testing.T) {
	for name, c := range map[string]*clock.Clock{
		"frozen":  clock.NewFrozen(t0),
		"shifted": clock.New(),
	} {
		c.Advance(-48 * time.Hour)
		c.Reset()
		before := time.Now().UTC()
		wantNear(t, name+" after Reset", c.Now(), before.Add(-time.Microsecond))
		if c.Frozen() {
			t.Errorf("%s: Reset left the clock frozen", name)
		}
		if s := c.State(); s != (clock.State{}) {
			t.Errorf("%s: State after Reset %+v, want the zero state", name, s)
		}
		wantRuns(t, c)
	}
}

func TestState_RoundTripsThroughRestore(t *testing.T) {
	frozen := clock.NewFrozen(t0)
	frozen.Advance(time.Minute)
	s := frozen.State()
	if !s.Frozen || !s.At.Equal(t0.Add(time.Minute)) || s.Offset != 0 {
		t.Errorf("frozen State %+v", s)
	}
	c := clock.New()
	c.Restore(s)
	wantAt(t, "restored frozen", c.Now(), t0.Add(time.Minute))
	if !c.Frozen() {
		t.Errorf("restored clock is not frozen")
	}

	running := clock.New()
	running.Advance(5 * time.Hour)
	rs := running.State()
	if rs.Frozen || !rs.At.IsZero() || rs.Offset != 5*time.Hour {
		t.Errorf("running State %+v, want offset 5h", rs)
	}
	d := clock.NewFrozen(t1)
	d.Restore(rs)
	if d.Frozen() {
		t.Errorf("restored running clock is frozen")
	}
	before := time.Now().UTC()
	wantNear(t, "restored running", d.Now(), before.Add(5*time.Hour).Add(-time.Microsecond))
	if d.State() != rs {
		t.Errorf("State after Restore %+v, want %+v", d.State(), rs)
	}
	// A running state carries no stale At.
	d.Restore(clock.State{Frozen: false, At: t0, Offset: 0})
	if got := d.State(); !got.At.IsZero() {
		t.Errorf("running Restore kept At %v", got.At)
	}
}

func TestRunning_SetFarFromNowStillReadsT(t *testing.T) {
	for _, at := range []time.Time{time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		c := clock.New()
		c.Set(at)
		wantNear(t, "running Set far away", c.Now(), at)
		f := clock.NewFrozen(at)
		f.Unfreeze()
		wantNear(t, "Unfreeze far away", f.Now(), at)
	}
}

func TestConcurrentUse_IsRaceFreeAndExact(t *testing.T) {
	const workers, steps = 8, 500
	c := clock.NewFrozen(t0)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range steps {
				c.Advance(time.Second)
			}
		}()
	}
	end := t0.Add(workers * steps * time.Second)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := t0
			for range steps {
				now := c.Now()
				if now.Before(last) || now.After(end) {
					t.Errorf("reading %v outside [%v, %v]", now, last, end)
					return
				}
				last = now
				_ = c.Frozen()
				_ = c.State()
			}
		}()
	}
	wg.Wait()
	wantAt(t, "after concurrent Advances", c.Now(), end)
}

func TestConcurrentUse_AllOperationsUnderRace(t *testing.T) {
	c := clock.New()
	var wg sync.WaitGroup
	ops := []func(i int){
		func(int) { c.Now() },
		func(i int) { c.Set(t0.Add(time.Duration(i) * time.Second)) },
		func(int) { c.Advance(time.Millisecond) },
		func(int) { c.Freeze() },
		func(int) { c.Unfreeze() },
		func(int) { c.Frozen() },
		func(int) { c.Restore(c.State()) },
		func(i int) {
			if i%50 == 0 {
				c.Reset()
			}
		},
	}
	for _, op := range ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				op(i)
			}
		}()
	}
	wg.Wait()
	// Whatever the interleaving, the clock still works afterwards.
	c.Freeze()
	c.Set(t1)
	wantAt(t, "after the storm", c.Now(), t1)
	c.Reset()
	before := time.Now().UTC()
	wantNear(t, "reset after the storm", c.Now(), before.Add(-time.Microsecond))
}

func TestStopwatch_ElapsedIsNonNegativeAndGrows(t *testing.T) {
	s := clock.StartStopwatch()
	first := s.Elapsed()
	if first < 0 {
		t.Fatalf("Elapsed %v < 0", first)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s.Elapsed() > first {
			return
		}
	}
	t.Errorf("Elapsed stayed at %v", first)
}
