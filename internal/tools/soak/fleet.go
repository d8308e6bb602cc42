package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// listenTimeout bounds how long a server may take to start: to wait for
// the state file's owner (15 s at most) and load the file.
const listenTimeout = 90 * time.Second

// fleet is the soak's server: the process that owns the state file now,
// which a handover (restarts.go) replaces with another on the same file.
// The load follows it: requests wait while a handover is under way
// (ready), and are sent to the server of the moment (rebase).
type fleet struct {
	bin  string
	args []string // every server's flags, --state-file among them
	path string   // the state file

	base     atomic.Pointer[string] // http://host:port of the current server
	epoch    atomic.Int64           // handovers begun: a probe that saw two epochs crossed one
	handing  atomic.Bool            // a handover is under way
	mu       sync.Mutex
	cur      *proc.Process
	retiring *proc.Process   // the server a handover stopped, until it exits
	open     chan struct{}   // closed while a server listens
	maxRSS   map[int]int64   // the peak RSS sampled, per server
	pids     []int           // every server's pid, in order
	gaps     []time.Duration // each handover: from SIGTERM to the next listening
	stops    []time.Duration // each handover: from SIGTERM to the old server's exit (drained and saved)
	waited   []bool          // each handover: whether the next said it waited
}

// startFleet starts the first server on the state file at path.
func startFleet(bin, path string, args []string) (*fleet, error) {
	f := &fleet{bin: bin, path: path, args: append(append([]string{}, args...), "--state-file", path),
		open: make(chan struct{}), maxRSS: map[int]int64{}}
	p, err := proc.Launch(bin, f.args...)
	if err != nil {
		return nil, err
	}
	srv, err := p.Listening(listenTimeout)
	if err != nil {
		p.Kill()
		return nil, fmt.Errorf("the server did not start: %v\n%s", err, p.Log())
	}
	f.cur = p
	f.pids = []int{p.Pid()}
	f.base.Store(&srv.Base)
	close(f.open)
	return f, nil
}

// Base is the current server's http://host:port.
func (f *fleet) Base() string { return *f.base.Load() }

// Addr is the current server's host:port.
func (f *fleet) Addr() string { return strings.TrimPrefix(f.Base(), "http://") }

// ready waits until a server listens (not during a handover); false when
// ctx ended first.
func (f *fleet) ready(ctx context.Context) bool {
	f.mu.Lock()
	open := f.open
	f.mu.Unlock()
	select {
	case <-open:
		return true
	case <-ctx.Done():
		return false
	}
}

// rebase points url, made for any of the fleet's servers (a links.next of
// the one before a handover, say), at the current one.
func (f *fleet) rebase(url string) string {
	rest, ok := strings.CutPrefix(url, "http://")
	if !ok {
		return url
	}
	_, path, _ := strings.Cut(rest, "/")
	return f.Base() + "/" + path
}

// current returns the server that owns the state file now.
func (f *fleet) current() *proc.Process {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur
}

// sample records the RSS of every live server of the fleet (the current
// one, and one a handover stopped while it saves) and returns the
// current one's.
func (f *fleet) sample() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var cur int64
	for _, p := range []*proc.Process{f.retiring, f.cur} {
		if p == nil {
			continue
		}
		rss, _ := proc.RSS(p.Pid())
		f.maxRSS[p.Pid()] = max(f.maxRSS[p.Pid()], rss)
		cur = rss
	}
	return cur
}

// peak is the highest RSS any server of the fleet reached, and its pid.
func (f *fleet) peak() (rss int64, pid int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for p, r := range f.maxRSS {
		if r > rss {
			rss, pid = r, p
		}
	}
	return rss, pid
}

// stop stops the current server as an orchestrator does, and reports
// what went wrong: it must save and exit 0.
func (f *fleet) stop() error {
	p := f.current()
	if err := p.Terminate(); err != nil {
		return err
	}
	code, ok := p.Wait(time.Minute)
	switch {
	case !ok:
		p.Kill()
		return fmt.Errorf("the server (pid %d) did not exit within a minute of SIGTERM\n%s", p.Pid(), p.Log())
	case code != 0:
		return fmt.Errorf("the server (pid %d) exited %d at SIGTERM\n%s", p.Pid(), code, p.Log())
	}
	return nil
}
