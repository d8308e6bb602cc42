package persist

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func needLocks(t *testing.T) {
	t.Helper()
	if !locks {
		t.Skip("this system has no flock: Acquire takes no lock")
	}
}

func TestAcquire_ASecondOwnerWaitsThenIsRefusedNamingTheHolder(t *testing.T) {
	needLocks(t)
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := Acquire(context.Background(), path, "pid 1 on host a, started 2026-12-07T02:29:57Z", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	var told []string
	second, err := Acquire(context.Background(), path, "pid 2 on host b", 100*time.Millisecond, func(h string) { told = append(told, h) })
	if err == nil {
		second.Release()
		t.Fatal("a second owner took a held state file")
	}
	for _, want := range []string{path, "pid 1 on host a, started 2026-12-07T02:29:57Z", "100ms", "--state-file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
	if len(told) != 1 || told[0] != "pid 1 on host a, started 2026-12-07T02:29:57Z" {
		t.Errorf("waiting was told %q, want the holder once", told)
	}
	if b, _ := os.ReadFile(LockPath(path)); !strings.Contains(string(b), "pid 1 on host a") {
		t.Errorf("the refused owner rewrote the lock file: %q", b)
	}
}

func TestAcquire_AWaiterTakesOverWhenTheOwnerReleases(t *testing.T) {
	needLocks(t)
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := Acquire(context.Background(), path, "first", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan string, 1)
	got := make(chan error, 1)
	var second *Lock
	go func() {
		var err error
		second, err = Acquire(context.Background(), path, "second", time.Minute, func(h string) { waiting <- h })
		got <- err
	}()
	select {
	case h := <-waiting:
		if h != "first" {
			t.Errorf("the waiter was told %q is the holder", h)
		}
	case err := <-got:
		t.Fatalf("the second owner did not wait: %v", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	if err := first.Release(); err != nil {
		t.Fatalf("a second Release: %v", err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiter never took the released lock")
	}
	defer second.Release()
	if b, _ := os.ReadFile(LockPath(path)); string(b) != "second\n" {
		t.Errorf("the lock file says %q, want the new holder", b)
	}
}

func TestAcquire_AMissingDirectoryIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nonexistent", "state.json")
	if _, err := Acquire(context.Background(), path, "me", time.Second, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v", err)
	}
}

// TestAcquire_AWaiterStopsWhenItsContextEnds: a server told to stop while
// it waits for the state file (an orchestrator's SIGTERM) stops waiting at
// once, saying who holds the file, instead of waiting out its bound (it
// ignored the signal for 15 s).
func TestAcquire_AWaiterStopsWhenItsContextEnds(t *testing.T) {
	needLocks(t)
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := Acquire(context.Background(), path, "first", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() {
		second, err := Acquire(ctx, path, "second", time.Hour, func(string) { cancel() })
		if err == nil {
			second.Release()
		}
		got <- err
	}()
	select {
	case err := <-got:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "first") || !strings.Contains(err.Error(), path) {
			t.Fatalf("err = %v, want context.Canceled naming the holder and the path", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiter did not stop when its context ended")
	}
	if b, _ := os.ReadFile(LockPath(path)); string(b) != "first\n" {
		t.Errorf("the stopped waiter rewrote the lock file: %q", b)
	}
}
