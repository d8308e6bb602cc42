package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// The restarts attack runs servers on the soak's state file: second
// servers started while the first owns it (each must wait, and either be
// stopped by SIGTERM while it waits or refuse after its bound, while the
// owner saves), and a handover under load (SIGTERM to the owner, the next
// started at once on the same file), after which every write the old
// server acknowledged must be there.

// lockWait is how long a server waits for the state file's owner before
// refusing (persist.DefaultLockWait).
const lockWait = 15 * time.Second

// restartPause is the time between two steps of the restarts attack.
const restartPause = 5 * time.Second

// restarts is the state of the restarts attack.
type restarts struct {
	f *fleet
	w *worker
	v *verdicts

	mu        sync.Mutex
	stopped   []time.Duration // contenders stopped by SIGTERM: from the signal to their exit
	refused   []time.Duration // contenders left to their bound: from their start to their refusal
	snapshots []time.Duration // POST /__admin/snapshot while a contender waited
	checked   int             // acknowledged writes found after handovers
	skipped   []string        // steps with no time left for them
}

// step is one step of the attack: what it does, and the time it needs.
type step struct {
	name string
	need time.Duration
	run  func(ctx context.Context)
}

// run takes the steps in turn, restartPause apart: a contender stopped
// while it waits, a handover, a contender left to its bound, then
// contenders stopped until the soak ends. A step runs to its end even if the soak's
// time runs out meanwhile; one that does not fit in the time left is
// skipped, and said so.
func (r *restarts) run(ctx context.Context, _ int) {
	plan := []step{
		{"a second server stopped while it waits", 5 * time.Second, r.contend(false)},
		{"a handover under load", 20 * time.Second, r.handover},
		{"a second server left to its bound", lockWait + 5*time.Second, r.contend(true)},
	}
	deadline, _ := ctx.Deadline()
	for i := 0; ; i++ {
		sleep(ctx, restartPause)
		if ctx.Err() != nil {
			return
		}
		s := plan[0]
		if i < len(plan) {
			s = plan[i]
		}
		if time.Until(deadline) < s.need {
			if i < len(plan) {
				r.mu.Lock()
				r.skipped = append(r.skipped, s.name)
				r.mu.Unlock()
			}
			continue
		}
		s.run(context.WithoutCancel(ctx))
	}
}

// contend starts a second server on the state file the current one owns:
// it must say it waits (never listen); the owner then saves (its
// temporary file must be left alone); then the second is stopped by
// SIGTERM (it must exit 0 at once), or, with bound, left to refuse after
// lockWait naming the owner (exit 1).
func (r *restarts) contend(bound bool) func(context.Context) {
	const who = "restarts"
	return func(ctx context.Context) {
		owner := r.f.current()
		p, err := proc.Launch(r.f.bin, r.f.args...)
		if err != nil {
			r.v.fail(who, "could not start a second server: %v", err)
			return
		}
		defer p.Kill()
		t0 := time.Now()
		line, _, err := p.WaitFor(0, 30*time.Second, "waiting for another server to give up the state file", "listening on ")
		switch {
		case err != nil:
			r.v.fail(who, "a second server on the state file of pid %d neither waited nor started: %v\n%s", owner.Pid(), err, p.Log())
			return
		case strings.Contains(line, "listening on "):
			r.v.fail(who, "a second server started on the state file pid %d owns", owner.Pid())
			return
		}
		r.snapshot(ctx)
		if bound {
			r.waitRefusal(p, owner, t0)
		} else {
			r.stopWaiting(p)
		}
		if status, _ := r.w.do(ctx, "restart-health", "GET", r.f.Base()+"/__admin/health", nil, nil); status != 200 {
			r.v.fail(who, "the owner answered %d to a health probe after a second server tried its state file", status)
		}
	}
}

// snapshot saves the state file (under load, while a second server
// waits for it): it must succeed.
func (r *restarts) snapshot(ctx context.Context) {
	t0 := time.Now()
	status, body := r.w.do(ctx, "snapshot", "POST", r.f.Base()+"/__admin/snapshot", []byte("{}"),
		map[string]string{"Content-Type": "application/json"})
	if status != 200 {
		r.v.fail("restarts", "POST /__admin/snapshot while a second server waited: %d %.300s", status, body)
		return
	}
	r.mu.Lock()
	r.snapshots = append(r.snapshots, time.Since(t0))
	r.mu.Unlock()
}

// stopWaiting sends SIGTERM to a server waiting for the state file: it
// must exit 0 within a few seconds, saying it stopped while waiting.
func (r *restarts) stopWaiting(p *proc.Process) {
	t0 := time.Now()
	p.Terminate()
	code, ok := p.Wait(5 * time.Second)
	switch {
	case !ok:
		r.v.fail("restarts", "a server waiting for the state file was still running 5 s after SIGTERM\n%s", p.Log())
	case code != 0 || !strings.Contains(p.Log(), "stopped while waiting"):
		r.v.fail("restarts", "a server waiting for the state file exited %d at SIGTERM\n%s", code, p.Log())
	default:
		r.mu.Lock()
		r.stopped = append(r.stopped, time.Since(t0))
		r.mu.Unlock()
	}
}

// waitRefusal leaves a server waiting for the state file to its bound: it
// must exit 1 about lockWait after it started, naming the owner.
func (r *restarts) waitRefusal(p, owner *proc.Process, t0 time.Time) {
	code, ok := p.Wait(lockWait + 15*time.Second)
	took := time.Since(t0)
	holder := fmt.Sprintf("in use by another server (pid %d ", owner.Pid())
	switch {
	case !ok:
		r.v.fail("restarts", "a server waiting for the state file had not given up %v after it started\n%s", took, p.Log())
	case code != 1 || !strings.Contains(p.Log(), holder):
		r.v.fail("restarts", "a server refused the state file exited %d, its log lacking %q\n%s", code, holder, p.Log())
	case took < lockWait:
		r.v.fail("restarts", "a server gave up the state file after %v, before its %v bound", took, lockWait)
	default:
		r.mu.Lock()
		r.refused = append(r.refused, took)
		r.mu.Unlock()
	}
}

// report prints what the attack did.
func (r *restarts) report() {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Printf("restarts: %d second servers stopped by SIGTERM while waiting (exit after %v); %d refused after their bound (after %v); "+
		"%d snapshots while one waited (%v)\n", len(r.stopped), r.stopped, len(r.refused), r.refused, len(r.snapshots), r.snapshots)
	fmt.Printf("restarts: %d handovers: from SIGTERM, the old server drained, saved and exited after %v, the next listened after %v "+
		"(it waited for the state file: %v); %d acknowledged writes checked after them\n", len(r.f.gaps), r.f.stops, r.f.gaps, r.f.waited, r.checked)
	if len(r.skipped) > 0 {
		fmt.Printf("restarts: not run, for want of time: %s\n", strings.Join(r.skipped, "; "))
	}
}

// itemPath is the API path of the catalog item with that external id.
func itemPath(externalID string) string {
	return "/api/catalog-items/" + url.PathEscape("$custom:::$default:::"+externalID)
}
