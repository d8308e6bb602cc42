package main

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// acks are writes a server acknowledged (a 201 or 202), one per writer
// (the last), each with the path that reads it back: after a handover,
// each must read back from the next server.
type acks struct {
	mu   sync.Mutex
	last map[string]ack // by writer
	gen  int            // resets begun or ended: a write that saw it change may have been undone
}

type ack struct {
	key, path string
}

// generation returns the reset generation, read before a write is sent.
func (a *acks) generation() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.gen
}

// record keeps the write acknowledged to writer, unless a reset began or
// ended since gen (it may have undone it).
func (a *acks) record(writer, key, path string, gen int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gen == gen {
		a.last[writer] = ack{key, path}
	}
}

// reset marks a reset (the control API's, which drops every account)
// beginning or ending: the writes acknowledged so far may be gone.
func (a *acks) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gen++
	clear(a.last)
}

// handover replaces the server under load, as an orchestrator restarting
// a container does: a marker item is written, the server gets SIGTERM and
// the next starts at once on the same state file; the next must start
// (after the old one saved and gave the file up), the old one must exit
// 0, and every write acknowledged before must read back from the next.
// Resets wait meanwhile (resetMu), so that none undoes those writes.
func (r *restarts) handover(ctx context.Context) {
	r.w.resetMu.Lock()
	defer r.w.resetMu.Unlock()
	n := len(r.f.gaps)
	marker := fmt.Sprintf("HANDOVER-%d", n)
	body := fmt.Sprintf(`{"data":{"type":"catalog-item","attributes":{"external_id":%q,"title":"written before SIGTERM",`+
		`"description":"d","url":"https://shop.example/handover"}}}`, marker)
	h := apiHeaders("pk_handover")
	h["Content-Type"] = "application/vnd.api+json"
	gen := r.w.acks.generation()
	status, b := 0, []byte(nil)
	// A connection may find no slot (the idle flood holds them), or be
	// closed as the answer comes (a 409 then says an earlier try made it).
	for try := 0; try < 10 && status != 201 && status != 409; try++ {
		if status, b = r.w.do(ctx, "handover-mark", "POST", r.f.Base()+"/api/catalog-items", []byte(body), h); status != 201 {
			sleep(ctx, 200*time.Millisecond)
		}
	}
	if status == 201 || status == 409 {
		r.w.acks.record("handover marker", "pk_handover", itemPath(marker), gen)
	} else {
		fmt.Printf("restarts: the handover marker was refused (%d %.200s); the writers' acknowledged writes are checked\n", status, b)
	}
	if !r.replace() {
		return
	}
	r.w.acks.mu.Lock()
	written := maps.Clone(r.w.acks.last)
	r.w.acks.mu.Unlock()
	for writer, a := range written {
		status, b := r.w.do(ctx, "handover-check", "GET", r.f.Base()+a.path, nil, apiHeaders(a.key))
		if status != 200 {
			r.v.fail("restarts", "after the handover, %s's acknowledged write %s reads %d: %.300s", writer, a.path, status, b)
			continue
		}
		r.mu.Lock()
		r.checked++
		r.mu.Unlock()
	}
}

// replace sends SIGTERM to the current server and starts the next on the
// same state file at once; requests wait meanwhile (fleet.ready). The old
// one must save and exit 0, the next must start; false when it did not
// (the soak then ends with a violation, the old server gone).
func (r *restarts) replace() bool {
	const who = "restarts"
	f := r.f
	old := f.current()
	f.mu.Lock()
	f.open = make(chan struct{})
	f.retiring = old
	f.mu.Unlock()
	f.handing.Store(true)
	f.epoch.Add(1)
	defer f.handing.Store(false)
	t0 := time.Now()
	old.Terminate()
	var stopped time.Duration // from SIGTERM to the old server's exit
	oldDone := make(chan struct{})
	go func() { old.Wait(time.Minute); stopped = time.Since(t0); close(oldDone) }()
	next, err := proc.Launch(f.bin, f.args...)
	if err != nil {
		r.v.fail(who, "could not start the next server: %v", err)
		return false
	}
	waited, _, _ := next.WaitFor(0, listenTimeout, "waiting for another server to give up the state file", "listening on ")
	srv, err := next.Listening(listenTimeout)
	gap := time.Since(t0)
	<-oldDone
	code, exited := old.Wait(0)
	switch {
	case !exited:
		r.v.fail(who, "the old server (pid %d) had not exited a minute after SIGTERM\n%s", old.Pid(), old.Log())
		old.Kill()
	case code != 0 || !strings.Contains(old.Log(), "state saved"):
		r.v.fail(who, "the old server (pid %d) exited %d at SIGTERM without saying it saved\n%s", old.Pid(), code, old.Log())
	}
	if err != nil {
		r.v.fail(who, "the next server on the state file did not start %v after the old one's SIGTERM: %v\n%s", gap, err, next.Log())
		next.Kill()
		return false
	}
	f.mu.Lock()
	f.cur, f.retiring = next, nil
	f.pids = append(f.pids, next.Pid())
	f.gaps = append(f.gaps, gap)
	f.stops = append(f.stops, stopped)
	f.waited = append(f.waited, strings.Contains(waited, "waiting for another server"))
	f.base.Store(&srv.Base)
	close(f.open)
	f.mu.Unlock()
	return true
}
