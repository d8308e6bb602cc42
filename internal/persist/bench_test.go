package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// benchNow is the clock of the benchmarks' stores.
var benchNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// benchStore is a store seeded as the server seeds it with default flags.
func benchStore() *store.Store {
	p := fixtures.Params{Seed: 1, Jobs: fixtures.DefaultJobs}
	return store.New(store.Options{Seed: 1, Seeder: fixtures.Seeder(p), SeedBytes: fixtures.Estimates(p),
		Now: func() time.Time { return benchNow }})
}

// changedAccounts returns exports of n accounts of s whose every
// collection was read (so generated and held: the state file writes them
// out) and that a request changed, as a client's test run leaves them.
func changedAccounts(tb testing.TB, s *store.Store, n int) []store.Export {
	tb.Helper()
	out := make([]store.Export, 0, n)
	for i := range n {
		a, err := s.Mutable(fmt.Sprintf("pk_%034x", i))
		if err != nil {
			tb.Fatal(err)
		}
		ex, err := a.Export(store.AllCollections()...)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

// restoreAll loads the state file at path into a new store as the server
// does at start: the header, then each account through accountdoc.Restore
// (its kept seeded histories made on the reading goroutines).
func restoreAll(tb testing.TB, path string) *store.Store {
	tb.Helper()
	l, ok, err := Load(path)
	if err != nil || !ok {
		tb.Fatal(ok, err)
	}
	s := benchStore()
	l.Prepare = func(a *accountdoc.AccountState) { a.PrepareSeeded(s) }
	if err := l.Accounts(func(a accountdoc.AccountState) error { return accountdoc.Restore(s, a, benchNow) }); err != nil {
		tb.Fatal(err)
	}
	return s
}

// reportCPU reports the process's CPU time per operation since from: on a
// machine shared with other work it moves less than the time per
// operation does.
func reportCPU(b *testing.B, from time.Duration) {
	b.ReportMetric(float64((proc.SelfCPU()-from).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkStateFile saves and loads a state file of N changed accounts
// (default flags: 200 items, 300 variants, 20 categories, seeded job
// histories kept compact), as a server's shutdown and start do. Loading
// reads and checks every value with the API's rules; its target is to take
// no more than twice a save, at 100 MB/s or more (b.SetBytes is the
// file's size). cpu-ms/op is the process's CPU time per operation.
func BenchmarkStateFile(b *testing.B) {
	for _, n := range []int{10, 100} {
		path := filepath.Join(b.TempDir(), "state.json")
		accounts := changedAccounts(b, benchStore(), n)
		if err := Save(path, sample(), accounts); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("save/accounts=%d", n), func(b *testing.B) {
			b.SetBytes(fi.Size())
			cpu := proc.SelfCPU()
			for b.Loop() {
				if err := Save(path, sample(), accounts); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
		b.Run(fmt.Sprintf("load/accounts=%d", n), func(b *testing.B) {
			b.SetBytes(fi.Size())
			cpu := proc.SelfCPU()
			for b.Loop() {
				restoreAll(b, path)
			}
			reportCPU(b, cpu)
		})
	}
}
