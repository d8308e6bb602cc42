package proc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// keptLines is how many of a process's last log lines a Process keeps.
const keptLines = 400

// maxLine is the longest log line kept whole; the rest of a longer one is
// dropped.
const maxLine = 4096

// Process is a started mockserver whose log (standard output and standard
// error, one stream) is read as it comes and kept (the last keptLines
// lines), so that a caller can wait for a line, and see why a server
// refused to start or what it said before it exited.
type Process struct {
	Cmd *exec.Cmd

	mu      sync.Mutex
	lines   []string      // the last keptLines lines
	read    int           // lines read in all
	changed chan struct{} // closed, and replaced, at each new line and at the end
	exited  bool
	code    int // the exit code, once exited
}

// Launch starts bin with --addr 127.0.0.1:0 and args, and returns at once:
// the caller waits for what it expects the server to say (WaitFor,
// Listening) or do (Wait).
func Launch(bin string, args ...string) (*Process, error) {
	cmd := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	diesWithUs(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{Cmd: cmd, changed: make(chan struct{})}
	go p.readLog(out)
	return p, nil
}

// readLog keeps the log's lines until the process closes its output, then
// waits for it and records its exit code. It never stops reading, so the
// server never blocks on a full pipe.
func (p *Process) readLog(out io.Reader) {
	br := bufio.NewReaderSize(out, maxLine)
	for {
		line, err := readLine(br)
		if line != "" || err == nil {
			p.mu.Lock()
			p.lines = append(p.lines, line)
			if len(p.lines) > keptLines {
				p.lines = p.lines[len(p.lines)-keptLines:]
			}
			p.read++
			p.notifyLocked()
			p.mu.Unlock()
		}
		if err != nil {
			break
		}
	}
	err := p.Cmd.Wait()
	code := p.Cmd.ProcessState.ExitCode()
	if err != nil && code == 0 {
		code = -1
	}
	p.mu.Lock()
	p.exited, p.code = true, code
	p.notifyLocked()
	p.mu.Unlock()
}

// readLine reads one line, without its end, cut to maxLine bytes.
func readLine(br *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if len(b) < maxLine {
			b = append(b, chunk[:min(len(chunk), maxLine-len(b))]...)
		}
		if err != nil || !isPrefix {
			return string(b), err
		}
	}
}

func (p *Process) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.Cmd.Process.Pid }

// Log returns the last lines the process wrote, joined.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// errExited is WaitFor's error when the process ended before saying what
// was waited for.
var errExited = errors.New("the server exited")

// WaitFor waits up to timeout for a line, written after the from-th line of
// the log, that holds one of wants, and returns it with the number of
// lines read up to it (the next call's from). It fails when the process
// exits first or the time runs out.
func (p *Process) WaitFor(from int, timeout time.Duration, wants ...string) (string, int, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		first := p.read - len(p.lines) // the index of lines[0]
		for i := max(from, first); i < p.read; i++ {
			for _, w := range wants {
				if strings.Contains(p.lines[i-first], w) {
					line := p.lines[i-first]
					p.mu.Unlock()
					return line, i + 1, nil
				}
			}
		}
		from = p.read
		exited, changed := p.exited, p.changed
		p.mu.Unlock()
		if exited {
			return "", from, fmt.Errorf("%w without saying %q", errExited, wants)
		}
		select {
		case <-changed:
		case <-deadline.C:
			return "", from, fmt.Errorf("the server did not say %q in %v", wants, timeout)
		}
	}
}

// Listening waits up to timeout for the server to say where it listens,
// and returns that address as a Server.
func (p *Process) Listening(timeout time.Duration) (*Server, error) {
	line, _, err := p.WaitFor(0, timeout, "listening on ")
	if err != nil {
		return nil, err
	}
	_, after, _ := strings.Cut(line, "listening on ")
	return &Server{Cmd: p.Cmd, Base: "http://" + strings.Trim(after, `"`)}, nil
}

// Wait waits up to timeout for the process to exit, and returns its exit
// code; ok is false when it still runs.
func (p *Process) Wait(timeout time.Duration) (code int, ok bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		exited, code, changed := p.exited, p.code, p.changed
		p.mu.Unlock()
		if exited {
			return code, true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return 0, false
		}
	}
}

// Terminate sends SIGTERM, as an orchestrator stopping a container does.
func (p *Process) Terminate() error { return p.Cmd.Process.Signal(syscall.SIGTERM) }

// Kill ends the process at once and waits for it.
func (p *Process) Kill() {
	p.Cmd.Process.Signal(os.Kill)
	p.Wait(time.Minute)
}
