package httpx

import (
	"bytes"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// bodyPatience bounds how long a test waits for a take to be answered.
const bodyPatience = 5 * time.Second

// takeNow takes between lo and hi of c's room, failing unless it is
// granted at once.
func takeNow(t *testing.T, c *Share, lo, hi int64) int64 {
	t.Helper()
	got, err := c.Take(lo, hi, time.Hour, nil)
	if err != nil {
		t.Fatalf("take(%d, %d): %v", lo, hi, err)
	}
	return got
}

type taken struct {
	got int64
	err error
}

// takeLater takes in the background; the answer comes on the channel.
func takeLater(c *Share, lo, hi int64) chan taken {
	ch := make(chan taken, 1)
	go func() {
		got, err := c.Take(lo, hi, time.Hour, nil)
		ch <- taken{got, err}
	}()
	return ch
}

// answer waits for a take's answer, failing after bodyPatience.
func answer(t *testing.T, ch chan taken) taken {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(bodyPatience):
		t.Fatal("a take was never answered")
		return taken{}
	}
}

// waitingCount polls until n takes wait.
func waitingCount(t *testing.T, a *Allowance, n int) {
	t.Helper()
	deadline := time.Now().Add(bodyPatience)
	for {
		a.mu.Lock()
		got := a.waiters.Len()
		a.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d takes waiting, want %d", got, n)
		}
	}
}

// Two bodies each hold part of the room and both need more: the newest is
// refused, and the room it gives back lets the oldest go on, instead of
// both waiting out admissionWait.
func TestAllowance_WhenEveryHolderWaitsTheNewestIsRefused(t *testing.T) {
	a := NewAllowance(100)
	old, young := a.Open(), a.Open()
	takeNow(t, old, 50, 50)
	takeNow(t, young, 40, 40)
	oldMore := takeLater(old, 20, 20)
	waitingCount(t, a, 1) // young still reads: nothing is stuck
	youngMore := takeLater(young, 20, 20)
	if r := answer(t, youngMore); r.err != errNoRoom {
		t.Fatalf("the newest holder waiting: %+v, want refused", r)
	}
	select {
	case r := <-oldMore:
		t.Fatalf("the oldest was answered %+v before the newest gave its room back", r)
	default:
	}
	young.Close()
	if r := answer(t, oldMore); r.err != nil || r.got != 20 {
		t.Fatalf("the oldest after the newest gave back: %+v", r)
	}
}

// A body larger than the whole allowance holds at its inflation, with
// nothing else holding room, goes on past it; another body waits until it
// is done.
func TestAllowance_ABodyAloneMayGoPastTheAllowance(t *testing.T) {
	a := NewAllowance(100)
	big := a.Open()
	takeNow(t, big, 100, 100)
	if r := answer(t, takeLater(big, 10, 10)); r.err != nil || r.got != 10 {
		t.Fatalf("alone past the allowance: %+v", r)
	}
	small := a.Open()
	smallTake := takeLater(small, 1, 1)
	waitingCount(t, a, 1)
	big.Close()
	if r := answer(t, smallTake); r.err != nil || r.got != 1 {
		t.Fatalf("after the large body: %+v", r)
	}
	if a.used != 1 {
		t.Fatalf("used %d after the large body was answered, want 1", a.used)
	}
}

// Under concurrent takes and gives the room in use never exceeds the total,
// and it is all given back at the end.
func TestAllowance_NeverGivesMoreThanItHas(t *testing.T) {
	const total = 1000
	a := NewAllowance(total)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			c := a.Open()
			defer c.Close()
			for range 500 {
				hi := 1 + rng.Int64N(200)
				got, err := c.Take(min(hi, 10), hi, time.Hour, nil)
				if err != nil {
					return // refused as newest while stuck: its request ends
				}
				a.mu.Lock()
				used := a.used
				a.mu.Unlock()
				if used > total {
					t.Errorf("%d in use of %d", used, total)
				}
				c.Give(rng.Int64N(got + 1))
			}
		}()
	}
	wg.Wait()
	if a.used != 0 || a.busy != 0 || a.waiters.Len() != 0 {
		t.Fatalf("after every account closed: used %d, busy %d, %d waiting", a.used, a.busy, a.waiters.Len())
	}
}

// BenchmarkBodyMeter reads a 5 MB body through the meter (room taken and
// given back per read) as the API's body reader does.
func BenchmarkBodyMeter(b *testing.B) {
	bodies := NewBodies(BodyOptions{Allowance: NewAllowance(64 << 20), Grace: 2 * time.Second, Rate: 64 << 10,
		Logger: slog.New(slog.DiscardHandler)})
	body := bytes.Repeat([]byte("x"), 5<<20)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/api/catalog-items", bytes.NewReader(body))
		m := bodies.Meter(httptest.NewRecorder(), r, 4, true)
		if _, err := io.ReadAll(r.Body); err != nil {
			b.Fatal(err)
		}
		m.Release()
	}
}
