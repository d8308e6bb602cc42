// Package proc starts a mockserver binary for the load tools (soak, bench)
// and reads its resources from /proc: building the binary, starting it on a
// free loopback port, finding where it listens, its resident memory and CPU
// time.
package proc

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Build compiles ./cmd/mockserver (run from the module root) into dir.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "mockserver")
	out, err := exec.Command("go", "build", "-o", bin, "./cmd/mockserver").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// Server is a started mockserver.
type Server struct {
	Cmd  *exec.Cmd
	Base string // http://127.0.0.1:<port>
	// Grace is how long Stop waits for the interrupted server to exit
	// before it kills it; zero means defaultGrace.
	Grace time.Duration
}

// Start runs bin with --addr 127.0.0.1:0 and args, and waits until it says
// where it listens. Its log goes to stderr.
func Start(bin string, args ...string) (*Server, error) {
	return StartCmd(exec.Command(bin, append([]string{"--addr", "127.0.0.1:0"}, args...)...))
}

// StartCmd starts cmd, a server that writes a line "… listening on
// HOST:PORT" to its standard output, and waits for that line. Its standard
// error goes to ours.
func StartCmd(cmd *exec.Cmd) (*Server, error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	diesWithUs(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "listening on "); ok {
			go io.Copy(io.Discard, stdout)
			return &Server{Cmd: cmd, Base: "http://" + strings.Trim(after, `"`)}, nil
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, fmt.Errorf("%s never said where it listens", cmd.Path)
}

// Binary returns bin, or when it is empty a mockserver built into a new
// temporary directory; cleanup removes what it made.
func Binary(bin string) (path string, cleanup func(), err error) {
	if bin != "" {
		return bin, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "mockserver-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	if path, err = Build(dir); err != nil {
		cleanup()
		return "", nil, err
	}
	return path, cleanup, nil
}

// defaultGrace is how long Stop waits for an interrupted server by
// default: a mockserver saves its state file before it exits.
const defaultGrace = 30 * time.Second

// Stop interrupts the server and waits for it to exit; a server still
// running after its Grace is killed, so one that ignores SIGINT (a process
// started from a background job of a script inherits SIGINT ignored, and
// keeps it unless it handles the signal) never holds its caller up.
func (s *Server) Stop() {
	grace := s.Grace
	if grace <= 0 {
		grace = defaultGrace
	}
	done := make(chan struct{})
	go func() { s.Cmd.Wait(); close(done) }()
	s.Cmd.Process.Signal(os.Interrupt)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.Cmd.Process.Kill()
		<-done
	}
}

// Pid is the server's process id.
func (s *Server) Pid() int { return s.Cmd.Process.Pid }

// RSS returns a process's resident memory and its peak (VmRSS, VmHWM), in
// bytes; 0 when /proc cannot tell.
func RSS(pid int) (rss, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return rss, peak
}

// CPU returns the CPU time a process has used: the sum of its threads'
// run times in nanoseconds (/proc/PID/task/*/schedstat), or, where the
// kernel keeps no such figure, its user and system time in clock ticks (10
// ms each: too coarse for a request or a start of a few milliseconds).
// A Go process keeps its threads, so no thread's time is lost by exiting.
func CPU(pid int) time.Duration {
	if d, ok := threadsCPU(pid); ok {
		return d
	}
	return ticksCPU(pid)
}

// threadsCPU sums the run time of pid's threads; false when /proc tells
// none.
func threadsCPU(pid int) (time.Duration, bool) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil || len(tasks) == 0 {
		return 0, false
	}
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue // the thread exited since the listing
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return 0, false
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		sum += time.Duration(ns)
	}
	return sum, true
}

// ticksCPU returns the user and system CPU time a process has used, in
// clock ticks.
func ticksCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start after ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / hz
}

// SelfCPU returns the CPU time this process has used, user and system,
// every thread's (the garbage collector's too, and of threads that have
// exited): what an in-process benchmark reports beside its wall time.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
