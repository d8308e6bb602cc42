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
