package clock_test

import (
	"strings"
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
	before := time.Now().UTC()
	rs := running.State()
	if rs.Frozen || rs.Offset != 0 || rs.Real.Before(before) || rs.Real.After(before.Add(slack)) {
		t.Errorf("running State %+v, want its reading and the machine's time", rs)
	}
	wantNear(t, "running State's reading", rs.At, rs.Real.Add(5*time.Hour).Add(-time.Microsecond))
	d := clock.NewFrozen(t1)
	if err := d.Restore(rs); err != nil {
		t.Fatal(err)
	}
	if d.Frozen() {
		t.Errorf("restored running clock is frozen")
	}
	wantNear(t, "restored running", d.Now(), before.Add(5*time.Hour).Add(-time.Microsecond))
	wantRuns(t, d)
	// Files of version 3 and before: a running clock as its offset.
	old := clock.NewFrozen(t1)
	if err := old.Restore(clock.State{Offset: 5 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	// The lower bound is read before the clock: arguments are evaluated
	// left to right, and a reading taken after old.Now() can be later.
	beforeOld := time.Now().UTC()
	wantNear(t, "restored from an offset", old.Now(), beforeOld.Add(5*time.Hour).Add(-time.Microsecond))
	// A running state with a reading and no machine time runs from it.
	d.Restore(clock.State{At: t0})
	wantNear(t, "running from At", d.Now(), t0)
	// The zero state is real time.
	d.Restore(clock.State{})
	if got := d.State(); got != (clock.State{}) {
		t.Errorf("the zero state restored as %+v", got)
	}
}

// TestRestore_RefusesAReadingOutsideTheRange: the clock's range is the
// control API's, whatever a file says; a refused state changes nothing.
func TestRestore_RefusesAReadingOutsideTheRange(t *testing.T) {
	for name, s := range map[string]clock.State{
		"frozen at 9999-12-31":  {Frozen: true, At: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
		"frozen at 9000-01-01":  {Frozen: true, At: time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"frozen at year 1":      {Frozen: true, At: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		"frozen without a time": {Frozen: true},
		"offset of -2^63 ns":    {Offset: time.Duration(-1 << 63)},
		"running at 1969-12-31": {At: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), Real: time.Now()},
	} {
		c := clock.NewFrozen(t0)
		err := c.Restore(s)
		if err == nil || !strings.Contains(err.Error(), "it must stay between 1970-01-01 and 9000-01-01") {
			t.Errorf("%s: err = %v", name, err)
		}
		if !c.Frozen() || !c.Now().Equal(t0) {
			t.Errorf("%s: a refused state changed the clock to %v", name, c.Now())
		}
	}
	if err := clock.NewFrozen(t0).Restore(clock.State{Offset: 1<<63 - 1}); err != nil {
		t.Errorf("an offset of 2^63-1 ns (292 years ahead) is in range: %v", err)
	}
	// A running clock saved in range has run on since: it may pass the
	// end, where it stops.
	c := clock.NewFrozen(t0)
	err := c.Restore(clock.State{At: time.Date(8999, 12, 31, 0, 0, 0, 0, time.UTC), Real: time.Now().Add(-48 * time.Hour)})
	if err != nil {
		t.Fatalf("a running clock saved in range was refused: %v", err)
	}
	wantStill(t, c, time.Date(8999, 12, 31, 23, 59, 59, 999999999, time.UTC))
}

func TestRunning_SetFarFromNowStillReadsT(t *testing.T) {
	for _, at := range []time.Time{time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(8999, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)} {
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

// TestState_RunningClockFarFromRealTimeRoundTrips: a running clock set
// centuries away (further than a time.Duration reaches, about 292 years)
// still reads where it was after State and Restore.
func TestState_RunningClockFarFromRealTimeRoundTrips(t *testing.T) {
	for _, at := range []time.Time{time.Date(8999, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)} {
		c := clock.New()
		c.Set(at)
		s := c.State()
		r := clock.NewFrozen(t1)
		r.Restore(s)
		if r.Frozen() {
			t.Errorf("%v: the restored running clock is frozen", at)
		}
		wantNear(t, "restored running clock", r.Now(), at)
	}
}

// TestClock_StopsAtTheEndsOfItsRange: however it is moved (Set, Advance,
// or running on), the clock reads nothing outside 1970-01-01 to
// 9000-01-01, so whatever it reads a state file can hold and read back.
func TestClock_StopsAtTheEndsOfItsRange(t *testing.T) {
	last := time.Date(8999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	first := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	f := clock.NewFrozen(last)
	f.Advance(24 * time.Hour)
	wantAt(t, "frozen, advanced past the end", f.Now(), last)
	if s := f.State(); !s.At.Equal(last) {
		t.Errorf("frozen State past the end: %+v", s)
	}
	f.Set(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
	wantAt(t, "frozen, set before the start", f.Now(), first)
	r := clock.New()
	r.Set(last)
	wantStill(t, r, last) // real time runs on; the clock stays at its end
	if s := r.State(); !s.At.Equal(last) {
		t.Errorf("running State at the end: %+v", s)
	}
}

// TestNewFrozenOn_ARunningClockFollowsTheGivenMachine: unfrozen, and
// restored running, the clock reads on from the machine's time it was
// given, not the real one.
func TestNewFrozenOn_ARunningClockFollowsTheGivenMachine(t *testing.T) {
	machine := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	c := clock.NewFrozenOn(t0, func() time.Time { return machine })
	wantAt(t, "frozen", c.Now(), t0)
	wantAt(t, "machine", c.Machine(), machine)
	c.Unfreeze()
	machine = machine.Add(90 * time.Second)
	wantAt(t, "running, 90s of machine time later", c.Now(), t0.Add(90*time.Second))
	if err := c.Restore(clock.State{At: t1, Real: machine.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	wantAt(t, "restored running, saved an hour of machine time ago", c.Now(), t1.Add(time.Hour))
}

// TestStart_ReadsWhatNowReads checks that Start's reading is the one Now
// would give at that instant, for every kind of clock (real, running from
// a set time, frozen, on a machine of the caller's), and that its
// stopwatch runs.
func TestStart_ReadsWhatNowReads(t *testing.T) {
	machine := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	onMachine := clock.NewFrozenOn(t0, func() time.Time { return machine })
	onMachine.Unfreeze()
	set := clock.New()
	set.Set(t1)
	for name, c := range map[string]*clock.Clock{
		"real": clock.New(), "set": set, "frozen": clock.NewFrozen(t0), "machine": onMachine,
	} {
		before := c.Now()
		at, sw := c.Start()
		after := c.Now()
		if at.Before(before) || at.After(after) {
			t.Errorf("%s: Start read %v, between Now's %v and %v", name, at, before, after)
		}
		if at.Location() != time.UTC || at != at.Round(0) {
			t.Errorf("%s: Start read %#v, want a UTC reading without a monotonic one, as Now's", name, at)
		}
		if sw.Elapsed() < 0 {
			t.Errorf("%s: the stopwatch runs backwards", name)
		}
	}
	if at, _ := onMachine.Start(); !at.Equal(t0) {
		t.Errorf("on the given machine: Start read %v, want %v", at, t0)
	}
}
