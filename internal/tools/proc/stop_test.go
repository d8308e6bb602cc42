package proc

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestStop_AServerThatIgnoresTheInterruptIsKilledAfterItsGrace: a server
// that ignores SIGINT (scripts/bench's static server did, when the bench ran
// as a background job of a script, which starts with SIGINT ignored) is
// killed once Grace has passed. Before, Stop waited for it for ever and the
// bench hung after printing its table.
func TestStop_AServerThatIgnoresTheInterruptIsKilledAfterItsGrace(t *testing.T) {
	if os.Getenv(roleEnv) == "deaf" {
		signal.Ignore(os.Interrupt)
		fmt.Println("listening on 127.0.0.1:1")
		waitForSignal()
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStop_AServerThatIgnoresTheInterruptIsKilledAfterItsGrace$")
	cmd.Env = append(os.Environ(), roleEnv+"=deaf")
	s, err := StartCmd(cmd)
	if err != nil {
		t.Fatal(err)
	}
	s.Grace = 50 * time.Millisecond
	stopped := make(chan struct{})
	go func() { s.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(time.Minute): // a real process's exit, waited for with a deadline
		s.Cmd.Process.Kill()
		t.Fatal("Stop still waits for a server that ignores SIGINT")
	}
	ws, ok := s.Cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the server ended with %v, want killed (it ignores SIGINT)", s.Cmd.ProcessState)
	}
}

// TestStop_AServerThatExitsOnTheInterruptIsNotKilled: one that exits on
// SIGINT (as a mockserver does, after saving its state file) is left to.
func TestStop_AServerThatExitsOnTheInterruptIsNotKilled(t *testing.T) {
	if os.Getenv(roleEnv) == "polite" {
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt) // before it says it listens: Stop may follow at once
		fmt.Println("listening on 127.0.0.1:1")
		<-c
		os.Exit(3)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStop_AServerThatExitsOnTheInterruptIsNotKilled$")
	cmd.Env = append(os.Environ(), roleEnv+"=polite")
	s, err := StartCmd(cmd)
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if code := s.Cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("the server ended with %v, want its own exit code 3", s.Cmd.ProcessState)
	}
}
