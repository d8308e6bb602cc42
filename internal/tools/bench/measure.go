package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// result is one load run of a row on one server.
type result struct {
	rps float64       // requests per second
	p99 time.Duration // of single requests
	cpu float64       // server CPU µs per request
}

// measure loads each row on its emulator and on the static server for
// o.rounds rounds, in alternating order, and returns every run's result
// by row and side (0 the emulator, 1 the static server).
func measure(rows []*row, stat *proc.Server, o options) ([][2][]result, error) {
	results := make([][2][]result, len(rows))
	for r := 0; r < o.rounds; r++ {
		for i, rw := range rows {
			servers := []*proc.Server{rw.emu, stat}
			if r%2 == 1 {
				servers = []*proc.Server{stat, rw.emu}
			}
			for _, s := range servers {
				if s == rw.emu {
					if err := rw.reset(); err != nil {
						return nil, fmt.Errorf("%s: %w", rw.name, err)
					}
				}
				res, err := load(s, rw, o.duration, o.conns)
				if err != nil {
					return nil, fmt.Errorf("%s on %s: %w", rw.name, s.Base, err)
				}
				side := 0
				if s == stat {
					side = 1
				}
				results[i][side] = append(results[i][side], res)
			}
		}
		fmt.Printf("round %d of %d done\n", r+1, o.rounds)
	}
	return results, nil
}

// report prints each row's medians, the ratios and the worst ones.
func report(rows []*row, results [][2][]result, rounds int) {
	fmt.Println()
	fmt.Printf("%-30s %8s %9s %9s %6s %9s %9s %6s %13s %6s\n", "row", "bytes", "emu req/s", "static", "ratio",
		"emu p99", "static", "ratio", "CPU/req µs", "ratio")
	worstT, worstC, worstP := 1e9, 1e9, 0.0
	for i, rw := range rows {
		e, s := median(results[i][0]), median(results[i][1])
		tr, pr, cr := e.rps/s.rps, float64(e.p99)/float64(s.p99), s.cpu/e.cpu
		worstT, worstP, worstC = min(worstT, tr), max(worstP, pr), min(worstC, cr)
		fmt.Printf("%-30s %8d %9.0f %9.0f %6.2f %9s %9s %6.2f %6.0f/%-6.0f %6.2f\n", rw.name, rw.bytesPerIteration(), e.rps, s.rps, tr,
			e.p99.Round(10*time.Microsecond), s.p99.Round(10*time.Microsecond), pr, e.cpu, s.cpu, cr)
	}
	fmt.Printf("\nratios are the emulator's against the static server's (CPU: static/emulator, so above 1 is cheaper);\n"+
		"worst throughput %.2f, worst CPU per request %.2f, worst p99 %.2f (medians of %d rounds)\n", worstT, worstC, worstP, rounds)
}

func median(rs []result) result {
	pick := func(key func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = key(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return result{
		rps: pick(func(r result) float64 { return r.rps }),
		p99: time.Duration(pick(func(r result) float64 { return float64(r.p99) })),
		cpu: pick(func(r result) float64 { return r.cpu }),
	}
}

// load drives s with conns keep-alive connections, each running the row's
// flow for duration (the first tenth is warm-up, not counted).
func load(s *proc.Server, rw *row, duration time.Duration, conns int) (result, error) {
	host := strings.TrimPrefix(s.Base, "http://")
	warm := duration / 10
	start := time.Now()
	ld := &loader{host: host, row: rw, from: start.Add(warm), end: start.Add(duration), pid: s.Pid()}
	var wg sync.WaitGroup
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ld.connection(c)
		}()
	}
	wg.Wait()
	cpu := proc.CPU(s.Pid()) - ld.cpu0
	if ld.err != nil {
		return result{}, ld.err
	}
	n := ld.count.Load()
	if n == 0 {
		return result{}, errors.New("no request completed")
	}
	slices.Sort(ld.lats)
	return result{
		rps: float64(n) / (duration - warm).Seconds(),
		p99: ld.lats[int(0.99*float64(len(ld.lats)-1))],
		cpu: float64(cpu.Microseconds()) / float64(n),
	}, nil
}

// loader is one load run: every connection runs the row's flow until end,
// and the requests that complete after from are measured.
type loader struct {
	host      string
	row       *row
	from, end time.Time
	pid       int

	count   atomic.Int64
	cpuOnce sync.Once
	cpu0    time.Duration
	mu      sync.Mutex
	lats    []time.Duration
	err     error
}

// connection runs iterations of the flow on one keep-alive connection
// until the end, then adds its latencies (and its error, if the first) to
// the run's.
func (ld *loader) connection(c int) {
	mine := make([]time.Duration, 0, 4096)
	err := func() error {
		cn, err := dial(ld.host, 10*time.Second)
		if err != nil {
			return err
		}
		defer cn.close()
		for n := 0; ; n++ {
			cl := ld.row.flow.first(c, n)
			for step := 0; ; step++ {
				t0 := time.Now()
				if t0.After(ld.end) {
					return nil
				}
				rep, err := cn.do(cl.raw(ld.host, ld.row.account), false, time.Minute)
				if err != nil {
					return err
				}
				if rep.status/100 != 2 {
					return fmt.Errorf("%s %s answered %d: %.200s", cl.Method, cl.Target, rep.status, rep.body)
				}
				if t0.After(ld.from) {
					ld.cpuOnce.Do(func() { ld.cpu0 = proc.CPU(ld.pid) })
					ld.count.Add(1)
					mine = append(mine, time.Since(t0))
				}
				next, ok := ld.row.flow.then(step, rep.body)
				if !ok {
					break
				}
				if step == maxSteps {
					return fmt.Errorf("not over after %d calls", maxSteps)
				}
				cl = next
			}
		}
	}()
	ld.mu.Lock()
	defer ld.mu.Unlock()
	ld.lats = append(ld.lats, mine...)
	if err != nil && ld.err == nil {
		ld.err = err
	}
}
