package persist

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
)

// goroutine names the goroutine that calls it (the number its stack
// trace starts with).
func goroutine() string {
	b := make([]byte, 64)
	return strings.Fields(string(b[:runtime.Stack(b, false)]))[1]
}

// TestAccounts_ASmallFileIsReadOnTheGoroutineThatLoadsIt: a file of fewer
// bytes than a run (batchBytes) is read, prepared and restored by the
// goroutine that calls Accounts, one account after another. Handing its
// accounts to other goroutines one by one cost, on two cores, about half
// as much CPU again as reading them (each handoff may wake an idle core
// that spins before it sleeps).
func TestAccounts_ASmallFileIsReadOnTheGoroutineThatLoadsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	l, ok, err := Load(path)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	var mu sync.Mutex
	var where []string
	here := func(what, account string) {
		mu.Lock()
		defer mu.Unlock()
		where = append(where, what+" "+account+" on "+goroutine())
	}
	l.Prepare = func(a *accountdoc.AccountState) { here("prepared", a.Account) }
	if err := l.Accounts(func(a accountdoc.AccountState) error { here("restored", a.Account); return nil }); err != nil {
		t.Fatal(err)
	}
	me := goroutine()
	want := fmt.Sprintf("[prepared pk_a on %[1]s restored pk_a on %[1]s prepared pk_b on %[1]s restored pk_b on %[1]s]", me)
	if got := fmt.Sprint(where); got != want {
		t.Errorf("%s\nwant %s", got, want)
	}
}

// TestSplitting_AccountsAreSplitInRunsThatFillTheBatch: accounts are
// handed to the splitting goroutines in runs of as many consecutive ones
// as fit in batch bytes, copied into one buffer a run (used again once
// the run is split); fewer accounts than a run are split by the goroutine
// that adds them, which starts none. Either way every account is checked,
// in order.
func TestSplitting_AccountsAreSplitInRunsThatFillTheBatch(t *testing.T) {
	for _, c := range []struct {
		batch, accounts  int
		started, maxMade int
	}{
		{batch: 1 << 20, accounts: 50, started: 0, maxMade: 1},
		{batch: 300, accounts: 200, started: 2, maxMade: 4}, // runs of 10 accounts (30 bytes each)
	} {
		var checked []string
		p := &splitting{window: 2, batch: c.batch, check: func(s split) error {
			checked = append(checked, s.a.Account)
			return s.err
		}}
		for i := range c.accounts {
			raw := []byte(fmt.Sprintf(`{"account":"k%03d","items":[]}`, i)) // 30 bytes
			if err := p.add(extent{index: i}, raw, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.then(nil); err != nil {
			t.Fatal(err)
		}
		p.stop()
		if len(checked) != c.accounts || checked[0] != "k000" || checked[c.accounts-1] != fmt.Sprintf("k%03d", c.accounts-1) {
			t.Fatalf("batch %d: checked %v", c.batch, checked)
		}
		if p.started != c.started || p.made > c.maxMade {
			t.Errorf("batch %d, %d accounts: %d goroutines started (want %d), %d copies made (want at most %d)",
				c.batch, c.accounts, p.started, c.started, p.made, c.maxMade)
		}
	}
}

// TestSplitting_OnOneCoreEveryRunIsSplitWhereItIsAdded: with inline set
// (one core, where another goroutine would only take turns with the one
// reading the file), no goroutine is started, and the first bad account
// is still the one reported.
func TestSplitting_OnOneCoreEveryRunIsSplitWhereItIsAdded(t *testing.T) {
	var checked int
	p := &splitting{window: 2, batch: 60, inline: true, check: func(s split) error {
		checked++
		return s.err
	}}
	defer p.stop()
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		raw := []byte(fmt.Sprintf(`{"account":"k%03d","items":[]}`, i))
		if i == 41 {
			raw = []byte(`{"account":"k041","items":[],}`)
		}
		err = p.add(extent{index: i}, raw, false)
	}
	if err == nil {
		err = p.then(nil)
	}
	if err == nil || checked != 42 || p.started != 0 {
		t.Fatalf("%v after %d accounts checked; %d goroutines started", err, checked, p.started)
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
// account that would not fit in it; an account larger than the batch is
// a run of its own; 0 makes each account a run.
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
