package persist

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
)

// TestReadAhead_HandsAccountsOutInOrderWithinItsWindow: whatever order the
// workers finish in, next hands account i out as the i-th, and no more
// than the window are ever read and not taken. Each read is told a worker
// no other read is told at the same time (what it keeps for the next
// account is its own).
func TestReadAhead_HandsAccountsOutInOrderWithinItsWindow(t *testing.T) {
	const n, workers = 50, 3
	var taken, worst atomic.Int64
	var busy [workers]atomic.Bool
	r := newReadAhead(make([]int, n), 0, workers, func(w, i int) (accountdoc.AccountState, error) {
		if w < 0 || w >= workers || !busy[w].CompareAndSwap(false, true) {
			return accountdoc.AccountState{}, fmt.Errorf("account %d read by worker %d, out of range or busy", i, w)
		}
		defer busy[w].Store(false)
		if ahead := int64(i) - taken.Load() + 1; ahead > worst.Load() {
			worst.Store(ahead)
		}
		return accountdoc.AccountState{Account: fmt.Sprint(i)}, nil
	})
	defer r.stop()
	for i := range n {
		a, err := r.next(i)
		if err != nil || a.Account != fmt.Sprint(i) {
			t.Fatalf("next(%d) = %q, %v", i, a.Account, err)
		}
		taken.Add(1)
	}
	// next frees a slot just before the test counts the account taken.
	if w := worst.Load(); w > 2*workers+1 {
		t.Errorf("account %d ahead of the one taken was read; the window is %d", w, 2*workers)
	}
}

// TestReadAhead_StopsWhenTheReaderStopsEarly: a reader that stops at an
// error leaves no worker behind (stop returns), however many accounts
// remain.
func TestReadAhead_StopsWhenTheReaderStopsEarly(t *testing.T) {
	bad := errors.New("bad")
	var reads atomic.Int64
	r := newReadAhead(make([]int, 10000), 0, 4, func(_, i int) (accountdoc.AccountState, error) {
		reads.Add(1)
		if i == 2 {
			return accountdoc.AccountState{}, bad
		}
		return accountdoc.AccountState{}, nil
	})
	for i := 0; ; i++ {
		if _, err := r.next(i); err != nil {
			if !errors.Is(err, bad) || i != 2 {
				t.Fatalf("next(%d): %v", i, err)
			}
			break
		}
	}
	r.stop()
	if n := reads.Load(); n > 3+8 {
		t.Errorf("%d accounts were read after the reader stopped at the third", n)
	}
}

// TestReadAhead_ARunStopsAtItsFirstError: a worker reading a run stops
// after the account that fails; the rest of that run is never read.
func TestReadAhead_ARunStopsAtItsFirstError(t *testing.T) {
	bad := errors.New("bad")
	sizes := []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1} // runs of 5
	var after atomic.Int64
	r := newReadAhead(sizes, 5, 2, func(_, i int) (accountdoc.AccountState, error) {
		switch i {
		case 2:
			return accountdoc.AccountState{}, bad
		case 3, 4:
			after.Add(1)
		}
		return accountdoc.AccountState{Account: fmt.Sprint(i)}, nil
	})
	var err error
	for i := 0; i <= 2 && err == nil; i++ {
		_, err = r.next(i)
	}
	r.stop()
	if !errors.Is(err, bad) || after.Load() != 0 {
		t.Errorf("%v; accounts 3 and 4 read %d times after account 2 failed", err, after.Load())
	}
}

// TestReadAhead_AStoppedWorkerReadsNoFurtherRun: once stopped, a worker
// finishing a run starts no other, even with slots of the window free
// (tried 20 times: a worker that chose at random between a free slot and
// the stop would read on three times in four).
func TestReadAhead_AStoppedWorkerReadsNoFurtherRun(t *testing.T) {
	for range 20 {
		gate, reading := make(chan struct{}), make(chan struct{}, 2)
		var reads atomic.Int64
		r := newReadAhead(make([]int, 100), 0, 2, func(_, i int) (accountdoc.AccountState, error) {
			reads.Add(1)
			if i < 2 {
				reading <- struct{}{}
				<-gate
			}
			return accountdoc.AccountState{}, nil
		})
		<-reading
		<-reading // both workers read a run; 2 slots of 4 are free
		close(r.done)
		close(gate)
		r.wg.Wait()
		if n := reads.Load(); n != 2 {
			t.Fatalf("%d accounts read; the workers were stopped while reading 2", n)
		}
	}
}

// TestLoad_TheFirstBadAccountInTheFileIsTheOneReported: accounts are split
// on several goroutines (in a file larger than smallFile, in runs of a few
// accounts), yet whatever is wrong with an account (a member it may not
// have, no key, a key seen before, bytes that are not JSON) is reported
// for the first account it is wrong with, word for word as a reading of
// one account after another (a load on one core) reports it; and so in a
// small file, read on one goroutine.
func TestLoad_TheFirstBadAccountInTheFileIsTheOneReported(t *testing.T) {
	for _, pad := range []int{0, smallFile / 30} {
		t.Run(fmt.Sprintf("accounts of %d bytes", pad), func(t *testing.T) { firstBadAccountReported(t, pad) })
	}
}

// firstBadAccountReported is TestLoad_TheFirstBadAccountInTheFileIsTheOneReported
// with good accounts holding an item of a title of pad bytes.
func firstBadAccountReported(t *testing.T, pad int) {
	good := func(i int) string {
		return fmt.Sprintf(`{"account":"pk_%034d","items":[{"external_id":"A","title":"%s"}]}`, i, strings.Repeat("t", pad))
	}
	bad := map[string]string{
		"unknown member": `{"account":"pk_x","surprise":1}`,
		"no key":         `{"items":[]}`,
		"twice":          good(0),
		"not JSON":       `{"account":"pk_y",}`,
	}
	for first, firstDoc := range bad {
		for second, secondDoc := range bad {
			for _, at := range []int{1, 9, 30} {
				accounts := make([]string, 40)
				for i := range accounts {
					accounts[i] = good(i)
				}
				accounts[at], accounts[at+3] = firstDoc, secondDoc
				path := filepath.Join(t.TempDir(), "state.json")
				os.WriteFile(path, []byte(`{"version":3,"accounts":[`+strings.Join(accounts, ",")+`]}`), 0o600)
				_, _, err := Load(path)
				want := sequentialLoad(path)
				if err == nil || want == nil || err.Error() != want.Error() || !strings.Contains(err.Error(), fmt.Sprintf("account %d ", at)) {
					t.Errorf("%s at %d, then %s: %v\nwant %v", first, at, second, err, want)
				}
			}
		}
	}
}

// sequentialLoad is the error Load returns for the file at path on one
// core, where every account is split on the loading goroutine, one after
// another.
func sequentialLoad(path string) error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	_, _, err := Load(path)
	return err
}

// TestAccounts_EachAccountIsPreparedBeforeItIsRestored: Loaded.Prepare
// sees every account, on the reading goroutines, before restore takes it,
// and what it sets is what restore is handed.
func TestAccounts_EachAccountIsPreparedBeforeItIsRestored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	l, ok, err := Load(path)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	var prepared atomic.Int64
	l.Prepare = func(a *accountdoc.AccountState) {
		prepared.Add(1)
		a.PublicKey = "prepared " + a.Account
	}
	n := 0
	err = l.Accounts(func(a accountdoc.AccountState) error {
		n++
		if a.PublicKey != "prepared "+a.Account {
			return fmt.Errorf("account %s was not prepared", a.Account)
		}
		return nil
	})
	if err != nil || n != 2 || prepared.Load() != 2 {
		t.Fatalf("%v: %d restored, %d prepared", err, n, prepared.Load())
	}
}

// TestReadAhead_ReadsRunsOfConsecutiveAccounts: a worker reads a run of
// consecutive accounts of at least batch bytes, in order, and next hands
// every account out in order; with one worker, or accounts that make one
// run, next reads each itself on the caller's goroutine.
func TestReadAhead_ReadsRunsOfConsecutiveAccounts(t *testing.T) {
	const n = 100
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = 10
	}
	for _, c := range []struct {
		batch, workers int
		here           bool
	}{{250, 2, false}, {250, 1, true}, {1000, 4, true}} {
		me := goroutine()
		var mu sync.Mutex
		by := make([]string, n) // the goroutine that read each
		r := newReadAhead(sizes, c.batch, c.workers, func(w, i int) (accountdoc.AccountState, error) {
			mu.Lock()
			by[i] = goroutine()
			mu.Unlock()
			return accountdoc.AccountState{Account: fmt.Sprint(i)}, nil
		})
		for i := range n {
			if a, err := r.next(i); err != nil || a.Account != fmt.Sprint(i) {
				t.Fatalf("next(%d) = %q, %v", i, a.Account, err)
			}
		}
		r.stop()
		for i := range n {
			first := by[i/25*25] // runs of 25 accounts of 10 bytes
			if c.here && by[i] != me || !c.here && (by[i] == me || by[i] != first) {
				t.Fatalf("batch %d, %d workers: account %d read by goroutine %s, its run's first by %s, the caller is %s",
					c.batch, c.workers, i, by[i], first, me)
			}
		}
	}
}

// TestReadAhead_ARunIsAsManyAccountsAsFitInTheBatch: a run ends before an
// account that would not fit in it, and after one that fills it; an
// account larger than the batch is a run of its own; 0 makes each account
// a run. This is endsBefore's test: the checking pass's runs end where it
// says too.
func TestReadAhead_ARunIsAsManyAccountsAsFitInTheBatch(t *testing.T) {
	for _, c := range []struct {
		sizes []int
		batch int
		want  string
	}{
		{[]int{100, 100, 300, 100, 50, 100}, 250, "[2 3 6]"},
		{[]int{100, 150, 1, 600}, 250, "[2 3 4]"},
		{[]int{0, 0, 0}, 0, "[1 2 3]"},
		{[]int{10, 10}, 1000, "[2]"},
		{[]int{100, 150, 0}, 250, "[2 3]"}, // a full run ends, even before an empty account
		{nil, 250, "[]"},
	} {
		r := newReadAhead(c.sizes, c.batch, 2, func(int, int) (accountdoc.AccountState, error) {
			return accountdoc.AccountState{}, nil
		})
		r.stop()
		if got := fmt.Sprint(r.ends); got != c.want {
			t.Errorf("sizes %v, batch %d: runs end at %s, want %s", c.sizes, c.batch, got, c.want)
		}
	}
}
