package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// stateAttacks are the attacks on the state file (restarts.go), on
// credentials (oddkeys.go) and on the clock's range (clockedges.go); any
// violation they find fails the soak.
type stateAttacks struct {
	v   *verdicts
	r   *restarts
	odd *oddKeys
	e   *edges
}

// startStateAttacks starts the three attacks: restarts and odd keys
// against the fleet, the clock edges on a quiet server of their own with
// a state file in dir.
func startStateAttacks(ctx context.Context, wg *sync.WaitGroup, w *worker, bin, dir string) *stateAttacks {
	v := &verdicts{}
	sa := &stateAttacks{v: v, r: &restarts{f: w.f, w: w, v: v}, odd: &oddKeys{f: w.f, v: v}}
	sa.e = &edges{bin: bin, v: v, odd: sa.odd, args: []string{"--memory-budget", "256MiB", "--freeze-clock",
		"--clock", "2026-11-28T12:00:00Z", "--job-transition", "duration", "--job-duration", "24h", "--jobs", "5",
		"--state-file", filepath.Join(dir, "edges.json")}}
	spawn(ctx, wg, 1, sa.r.run)
	spawn(ctx, wg, 1, sa.odd.run)
	spawn(ctx, wg, 1, sa.e.run)
	return sa
}

// finish prints what the attacks did, then restarts the fleet's server
// one last time (finalRestart) and returns the violations.
func (sa *stateAttacks) finish(f *fleet, w *worker, budget int64) error {
	sa.r.report()
	sa.odd.report()
	sa.e.report()
	sa.finalRestart(f, w, budget)
	return sa.v.err()
}

// finalRestart stops the server (it must save and exit 0) and starts
// another on the state file, as large as the soak made it: it must load
// it within its memory budget, and every write acknowledged before the
// stop must read back.
func (sa *stateAttacks) finalRestart(f *fleet, w *worker, budget int64) {
	const who = "final restart"
	t0 := time.Now()
	if err := f.stop(); err != nil {
		sa.v.fail(who, "%v", err)
		return
	}
	saved := time.Since(t0)
	fi, _ := os.Stat(f.path)
	t1 := time.Now()
	p, err := proc.Launch(f.bin, f.args...)
	if err != nil {
		sa.v.fail(who, "%v", err)
		return
	}
	defer p.Kill()
	srv, err := p.Listening(listenTimeout)
	if err != nil {
		sa.v.fail(who, "the server did not load the state file the soak made: %v\n%s", err, p.Log())
		return
	}
	loaded := time.Since(t1)
	_, peak := proc.RSS(p.Pid())
	if peak > budget {
		sa.v.fail(who, "loading the state file took the RSS to %d MiB, over the %d MiB budget", peak>>20, budget>>20)
	}
	w.acks.mu.Lock()
	written := maps.Clone(w.acks.last)
	w.acks.mu.Unlock()
	for writer, a := range written {
		if status := apiGet(srv.Base+a.path, a.key); status != 200 {
			sa.v.fail(who, "%s's acknowledged write %s reads %d after the restart", writer, a.path, status)
		}
	}
	fmt.Printf("final restart: stopped and saved in %v, a %d MiB state file, loaded by the next in %v (RSS peak %d MiB); "+
		"%d acknowledged writes read back\n", saved.Round(time.Millisecond), fi.Size()>>20, loaded.Round(time.Millisecond), peak>>20, len(written))
	p.Terminate()
	if code, ok := p.Wait(time.Minute); !ok || code != 0 {
		sa.v.fail(who, "the restarted server exited %d (exited: %v) at SIGTERM\n%s", code, ok, p.Log())
	}
}

// apiGet reads url as key and returns the status (0: no answer).
func apiGet(url, key string) int {
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range apiHeaders(key) {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}
