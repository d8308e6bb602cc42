package persist

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// DefaultLockWait is how long a server waits, by default, for another one
// to give up the state file (to save it and exit) before refusing to start.
const DefaultLockWait = 15 * time.Second

// lockPoll is how often a waiting Acquire tries the lock again.
const lockPoll = 50 * time.Millisecond

// Lock is one process's ownership of a state file: an exclusive OS lock
// (flock) on the sibling file LockPath(path), held until Release or the
// process's end, however it ends. The lock file says who holds it.
type Lock struct {
	f *os.File
}

// LockPath returns the lock file of the state file at path. It is left in
// place when released: removing it would let two processes lock two
// different files of one name.
func LockPath(path string) string { return path + ".lock" }

// Acquire takes the lock of the state file at path for holder (who it is,
// e.g. "pid 12 on host web-1, started 2026-12-07T02:29:57Z", written into
// the lock file). While another process holds it, Acquire calls waiting
// once with that process's description and tries again until wait has
// passed, then refuses, naming the holder. When ctx ends first (the server
// was told to stop while it waited) it gives up at once with an error
// wrapping ctx's. On systems without flock it takes no lock (see tryLock).
func Acquire(ctx context.Context, path, holder string, wait time.Duration, waiting func(holder string)) (*Lock, error) {
	name := LockPath(path)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state file %s: its lock file: %w", path, err)
	}
	got, err := tryLock(f)
	if !got && err == nil {
		if waiting != nil {
			waiting(holderOf(name))
		}
		got, err = retryLock(ctx, f, wait)
	}
	if ctx.Err() != nil && !got {
		f.Close()
		return nil, fmt.Errorf("state file %s: stopped while waiting for another server (%s) to give it up: %w",
			path, holderOf(name), context.Cause(ctx))
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("state file %s: lock %s: %w", path, name, err)
	}
	if !got {
		f.Close()
		return nil, fmt.Errorf("state file %s is in use by another server (%s) that did not give it up within %v; "+
			"stop that one, or start this one with another --state-file", path, holderOf(name), wait)
	}
	// Best effort: the lock is what protects the file; the description
	// only helps the next one to wait name this one.
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(holder+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// retryLock tries the lock every lockPoll until it is free, wait has
// passed or ctx ends.
func retryLock(ctx context.Context, f *os.File, wait time.Duration) (bool, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(lockPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, nil
		case <-deadline.C:
			return tryLock(f) // one last time
		case <-tick.C:
			if got, err := tryLock(f); got || err != nil {
				return got, err
			}
		}
	}
}

// holderOf reads who holds the lock file name.
func holderOf(name string) string {
	b, _ := os.ReadFile(name)
	if s := strings.TrimSpace(string(b)); s != "" {
		return s
	}
	return "a process that has not said who it is yet"
}

// Release gives the state file up. It may be called more than once.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the file releases the lock
	l.f = nil
	return err
}
