// Command soak runs mixed and hostile load against a mockserver binary for a
// given time and reports its resident memory at intervals and the latency of
// API reads: walks following links.next, job creates and polls, a flood of
// distinct keys, requests with ~1 MB headers, oversized control API bodies
// and resets, clock moves; the connection attacks of attacks.go (idle
// keep-alive connections past --max-connections, silent connections, slow
// bodies) while small requests are timed and health is probed over TCP;
// and the state attacks: second servers on the server's --state-file and a
// handover under load (restarts.go, handover.go), credentials with bytes
// outside printable ASCII (oddkeys.go), and the clock at the ends of its
// range on a quiet server of its own (clockedges.go). It fails (exit 1)
// when a server's RSS ever exceeds its --memory-budget, when it answers a
// 5xx nobody asked for, when a health probe fails, or when a state attack
// finds a violation (each says what it expected and what happened).
//
//	go run ./internal/tools/soak -duration 2m            (scripts/soak wraps it)
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

func main() {
	duration := flag.Duration("duration", time.Minute, "how long to run the load")
	interval := flag.Duration("interval", 5*time.Second, "how often to sample the server's RSS")
	bin := flag.String("bin", "", "mockserver binary (default: build ./cmd/mockserver)")
	budget := flag.String("memory-budget", "512MiB", "the server's --memory-budget")
	var o loads
	flag.IntVar(&o.keyWorkers, "key-workers", 3, "goroutines touching ever new keys")
	flag.IntVar(&o.idleConns, "idle-conns", 1100, "keep-alive connections of the idle flood (more than --max-connections)")
	flag.BoolVar(&o.mixed, "mixed", true, "run the mixed and hostile load besides the connection attacks (false: time the attacks alone)")
	flag.BoolVar(&o.state, "state", true, "run the state file, odd key and clock attacks (restarts.go, oddkeys.go, clockedges.go)")
	flag.Parse()
	if err := run(*duration, *interval, *bin, *budget, o); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// loads says which loads run.
type loads struct {
	keyWorkers int
	idleConns  int
	mixed      bool
	state      bool
}

type stats struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration // of the timed kinds: API reads (walk), small requests, health probes
	statuses  map[string]map[int]int     // status 0: no answer
	unasked5x atomic.Int64               // 5xx other than a 503 with Retry-After
	requests  atomic.Int64
}

func (s *stats) record(kind string, status int, d time.Duration, timed bool) {
	s.requests.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.statuses[kind] == nil {
		s.statuses[kind] = map[int]int{}
	}
	s.statuses[kind][status]++
	if timed && len(s.latencies[kind]) < 2_000_000 {
		s.latencies[kind] = append(s.latencies[kind], d)
	}
}

// print writes the request counts, read latencies and statuses, and sorts
// the latencies.
func (s *stats) print(keys int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.latencies {
		slices.Sort(l)
	}
	reads := s.latencies["walk"]
	fmt.Printf("distinct keys: %d\n", keys)
	fmt.Printf("requests: %d; API reads: p50 %v, p99 %v, max %v\n", s.requests.Load(),
		percentile(reads, 0.5), percentile(reads, 0.99), percentile(reads, 1))
	kinds := make([]string, 0, len(s.statuses))
	for k := range s.statuses {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Printf("  %-14s %v\n", k, s.statuses[k])
	}
}

// percentile is the p-th of sorted durations (0 when there are none).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

func run(duration, interval time.Duration, bin, budget string, o loads) error {
	bin, cleanup, err := proc.Binary(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	budgetBytes, err := parseSize(budget)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "soak-state-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// As many connections as a quarter of the budget holds with 1 MiB headers.
	conns := strconv.FormatInt(min(1024, budgetBytes/4/(1<<20+16<<10)), 10)
	f, err := startFleet(bin, filepath.Join(dir, "state.json"), []string{"--memory-budget", budget, "--job-transition", "duration",
		"--job-duration", "2s", "--max-header-bytes", "1048576", "--rate-limits", "off", "--max-connections", conns})
	if err != nil {
		return err
	}
	fmt.Printf("soak: %s for %v, --memory-budget %s (%d MiB), --max-connections %s, --state-file %s, pid %d\n",
		f.Base(), duration, budget, budgetBytes>>20, conns, f.path, f.current().Pid())

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	st := &stats{statuses: map[string]map[int]int{}, latencies: map[string][]time.Duration{}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	w := &worker{f: f, client: client, st: st, acks: acks{last: map[string]ack{}}}
	var wg sync.WaitGroup
	if o.mixed {
		spawn(ctx, &wg, 6, w.walk)
		spawn(ctx, &wg, 2, w.createAndPoll)
		spawn(ctx, &wg, 2, w.catalogWriter)
		spawn(ctx, &wg, o.keyWorkers, w.distinctKeys)
		spawn(ctx, &wg, 2, w.hugeHeaders)
		spawn(ctx, &wg, 1, w.hostileAdmin)
	}
	atk := startAttacks(ctx, &wg, w, o.idleConns)
	var sa *stateAttacks
	if o.state {
		sa = startStateAttacks(ctx, &wg, w, bin, dir)
	}
	monitor(ctx, f, st, interval)
	wg.Wait()
	f.sample()
	return finish(f, w, atk, sa, budgetBytes)
}

// spawn runs n goroutines of fn until ctx is done.
func spawn(ctx context.Context, wg *sync.WaitGroup, n int, fn func(ctx context.Context, id int)) {
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(id int) { defer wg.Done(); fn(ctx, id) }(i)
	}
}

// monitor prints the current server's RSS every interval until ctx is
// done, recording every server's peak (fleet.sample).
func monitor(ctx context.Context, f *fleet, st *stats, interval time.Duration) {
	start := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			rss := f.sample()
			fmt.Printf("t=%5.0fs rss=%4d MiB requests=%d\n", time.Since(start).Seconds(), rss>>20, st.requests.Load())
		}
	}
}

// finish stops the server (it must save and exit 0), prints what the load
// and the attacks saw, and returns the first kind of failure: a 5xx
// nobody asked for, an RSS over the budget, a failed health probe, a
// violation of the state attacks.
func finish(f *fleet, w *worker, atk *attacks, sa *stateAttacks, budgetBytes int64) error {
	st := w.st
	st.print(w.keys.Load())
	maxRSS, pid := f.peak()
	fmt.Printf("max RSS %d MiB of a %d MiB budget (%.0f%%), pid %d of the servers %v\n", maxRSS>>20, budgetBytes>>20,
		100*float64(maxRSS)/float64(budgetBytes), pid, f.pids)
	attacksErr := atk.report(st.latencies["small"], st.latencies["health"]) // the workers are done
	var stateErr error
	if sa != nil {
		stateErr = sa.finish(f, w, budgetBytes)
	} else if err := f.stop(); err != nil {
		stateErr = err
	}
	switch {
	case st.unasked5x.Load() > 0:
		return fmt.Errorf("%d answers were 5xx", st.unasked5x.Load())
	case maxRSS > budgetBytes:
		return fmt.Errorf("RSS reached %d MiB, over the %d MiB budget", maxRSS>>20, budgetBytes>>20)
	case attacksErr != nil:
		return attacksErr
	}
	return stateErr
}

func parseSize(s string) (int64, error) {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			return n * u.mult, err
		}
	}
	return strconv.ParseInt(s, 10, 64)
}
