package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
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

// paddedFile writes a state file of n accounts of about size bytes each
// (an item whose title pads it) and returns its path.
func paddedFile(t *testing.T, n, size int) string {
	t.Helper()
	return gappedFile(t, n, size, 0)
}

// gappedFile is paddedFile with gap spaces between accounts.
func gappedFile(t *testing.T, n, size, gap int) string {
	t.Helper()
	accounts := make([]string, n)
	for i := range accounts {
		accounts[i] = fmt.Sprintf(`{"account":"pk_%034d","items":[{"external_id":"A","title":"%s"}]}`, i, strings.Repeat("t", size))
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"version":3,"accounts":[`+strings.Join(accounts, ","+strings.Repeat(" ", gap))+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// loadedWhere loads the file at path and returns, for each account in
// order, the goroutine that prepared it and the one that restored it.
func loadedWhere(t *testing.T, path string) (prepared, restored map[string]string, order []string) {
	t.Helper()
	l, ok, err := Load(path)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	var mu sync.Mutex
	prepared, restored = map[string]string{}, map[string]string{}
	l.Prepare = func(a *accountdoc.AccountState) {
		mu.Lock()
		defer mu.Unlock()
		prepared[a.Account] = goroutine()
	}
	err = l.Accounts(func(a accountdoc.AccountState) error {
		restored[a.Account] = goroutine()
		order = append(order, a.Account)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return prepared, restored, order
}

// TestAccounts_ASmallFileIsReadOnTheGoroutineThatLoadsIt: a file of at
// most smallFile bytes is read, prepared and restored by the goroutine
// that calls Accounts, even when its accounts make several runs (here 8
// accounts of 16 KB: 128 KB, two runs of batchBytes). Handing its
// accounts to other goroutines one by one cost, on two cores, about 30%
// more CPU than reading them on one (each handoff may wake an idle core
// that spins before it sleeps).
func TestAccounts_ASmallFileIsReadOnTheGoroutineThatLoadsIt(t *testing.T) {
	const n, size = 8, 16 << 10
	if n*size <= batchBytes || n*size >= smallFile-(4<<10) {
		t.Fatalf("%d accounts of %d bytes must be more than a run and a small file", n, size)
	}
	path := paddedFile(t, n, size)
	runtime.GC() // the collector's workers are started before counting
	before := goroutinesCreated()
	prepared, restored, order := loadedWhere(t, path)
	// The checking pass (Load) starts its splitting goroutines, 2 a core,
	// all at once, and Accounts its readers, one a core: neither may.
	if created, procs := goroutinesCreated()-before, runtime.GOMAXPROCS(0); procs > 1 && created >= uint64(procs) {
		t.Errorf("%d goroutines were started to load a file of %d KB", created, n*size>>10)
	}
	me := goroutine()
	for i := range n {
		key := fmt.Sprintf("pk_%034d", i)
		if i >= len(order) || order[i] != key || prepared[key] != me || restored[key] != me {
			t.Fatalf("account %d: restored %v; prepared on %s and restored on %s, the caller is %s", i, order, prepared[key], restored[key], me)
		}
	}
}

// goroutinesCreated is how many goroutines the process has started.
func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestAccounts_ALargerFileIsReadOnOtherGoroutines: a file of more than
// smallFile bytes is read and prepared on other goroutines (restore still
// runs on the caller's, in order), when there is more than one core.
func TestAccounts_ALargerFileIsReadOnOtherGoroutines(t *testing.T) {
	if runtime.GOMAXPROCS(0) == 1 {
		t.Skip("one core: every file is read on the loading goroutine")
	}
	const n, size = 40, 16 << 10 // 640 KB
	prepared, restored, order := loadedWhere(t, paddedFile(t, n, size))
	me, elsewhere := goroutine(), 0
	for i := range n {
		key := fmt.Sprintf("pk_%034d", i)
		if i >= len(order) || order[i] != key || restored[key] != me {
			t.Fatalf("account %d: restored %v, on %s; the caller is %s", i, order, restored[key], me)
		}
		if prepared[key] != me {
			elsewhere++
		}
	}
	if elsewhere == 0 {
		t.Errorf("all %d accounts of a file over smallFile were prepared on the caller's goroutine", n)
	}
}

// TestAccounts_ASmallFileIsOneOfAtMostSmallFileBytes: whether a file is
// small is its size, for both passes: a file over smallFile whose
// accounts take less (here 128 KB of accounts, 640 KB of file) is read on
// other goroutines.
func TestAccounts_ASmallFileIsOneOfAtMostSmallFileBytes(t *testing.T) {
	if runtime.GOMAXPROCS(0) == 1 {
		t.Skip("one core: every file is read on the loading goroutine")
	}
	const n, size = 8, 16 << 10
	prepared, _, order := loadedWhere(t, gappedFile(t, n, size, 64<<10))
	me := goroutine()
	for i, key := range order {
		if prepared[key] == me {
			t.Fatalf("account %d of a file over smallFile was prepared on the caller's goroutine", i)
		}
	}
	if len(order) != n {
		t.Fatalf("restored %v", order)
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
		var checked, want []string
		p := &splitting{window: 2, batch: c.batch, check: func(s split) error {
			checked = append(checked, s.a.Account)
			return s.err
		}}
		for i := range c.accounts {
			want = append(want, fmt.Sprintf("k%03d", i))
			raw := []byte(fmt.Sprintf(`{"account":"%s","items":[]}`, want[i])) // 30 bytes
			if err := p.add(extent{index: i}, raw, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.then(nil); err != nil {
			t.Fatal(err)
		}
		p.stop()
		if fmt.Sprint(checked) != fmt.Sprint(want) {
			t.Fatalf("batch %d: checked %v\nwant %v", c.batch, checked, want)
		}
		if p.started != c.started || p.made > c.maxMade {
			t.Errorf("batch %d, %d accounts: %d goroutines started (want %d), %d copies made (want at most %d)",
				c.batch, c.accounts, p.started, c.started, p.made, c.maxMade)
		}
	}
}

// TestSplitting_TheLastRunIsSplitWhereItIsAdded: the last run added,
// which the checking goroutine would only wait for, is split on that
// goroutine, even when it is full: an account that fills a run alone
// starts no goroutine.
func TestSplitting_TheLastRunIsSplitWhereItIsAdded(t *testing.T) {
	raw := []byte(`{"account":"k000","items":[]}`)
	for _, batch := range []int{0, len(raw)} {
		var checked []string
		p := &splitting{window: 2, batch: batch, check: func(s split) error {
			checked = append(checked, s.a.Account)
			return s.err
		}}
		err := p.add(extent{}, raw, false)
		if err == nil {
			err = p.then(nil)
		}
		p.stop()
		if err != nil || fmt.Sprint(checked) != "[k000]" || p.started != 0 {
			t.Errorf("batch %d: %v; checked %v; %d goroutines started", batch, err, checked, p.started)
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
