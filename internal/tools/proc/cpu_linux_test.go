package proc

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// TestCPU_CountsFinerThanAClockTick: a few milliseconds of work show as
// what they took, not as 0 or 10 ms. Before, CPU read clock ticks, so the
// state row's save (about 7 ms) often showed 0 ms and its ratio nothing.
func TestCPU_CountsFinerThanAClockTick(t *testing.T) {
	if _, ok := threadsCPU(os.Getpid()); !ok {
		t.Skip("this kernel keeps no per-thread run time")
	}
	var d time.Duration
	for range 5 { // each round a different amount of work
		before := CPU(os.Getpid())
		burn(1_000_000)
		d = CPU(os.Getpid()) - before
		if d > 0 && d%(10*time.Millisecond) != 0 {
			return
		}
	}
	t.Fatalf("CPU moved by %v, whole clock ticks: it is not read in nanoseconds", d)
}

// TestCPU_NeverGoesBack: the figure a row subtracts only grows.
func TestCPU_NeverGoesBack(t *testing.T) {
	last := CPU(os.Getpid())
	for range 50 {
		burn(10_000)
		now := CPU(os.Getpid())
		if now < last {
			t.Fatalf("CPU went back from %v to %v", last, now)
		}
		last = now
	}
}

// burn does n rounds of arithmetic.
func burn(n int) {
	x := uint64(n) | 1
	for i := range n {
		x = x*6364136223846793005 + uint64(i)
	}
	runtime.KeepAlive(x)
}
