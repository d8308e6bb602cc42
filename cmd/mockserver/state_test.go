package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary is a running mockserver process whose log lines the test reads.
type binary struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines chan string
	log   []string
	done  chan error
}

// startBinary runs the binary built at bin on 127.0.0.1:0 with args; it
// does not wait for it to listen.
func startBinary(t *testing.T, bin string, args ...string) *binary {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = []string{}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout // one stream: the log and the exit message
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &binary{t: t, cmd: cmd, lines: make(chan string, 100), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			b.lines <- sc.Text()
		}
		close(b.lines)
		b.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	return b
}

// waitFor reads the log until a line says want, and returns that line.
func (b *binary) waitFor(want string) string {
	b.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-b.lines:
			if !ok {
				b.t.Fatalf("the server exited without saying %q; its log:\n%s", want, strings.Join(b.log, "\n"))
			}
			b.log = append(b.log, line)
			if strings.Contains(line, want) {
				return line
			}
		case <-deadline:
			b.t.Fatalf("the server did not say %q in 30s; its log:\n%s", want, strings.Join(b.log, "\n"))
		}
	}
}

// addr waits for "listening on ADDR" and returns ADDR.
func (b *binary) addr() string {
	_, after, _ := strings.Cut(b.waitFor("listening on "), "listening on ")
	return strings.Trim(after, `"`)
}

// exitCode drains the log and waits for the process to end.
func (b *binary) exitCode() int {
	b.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-b.lines:
			if ok {
				b.log = append(b.log, line)
				continue
			}
			<-b.done
			return b.cmd.ProcessState.ExitCode()
		case <-deadline:
			b.t.Fatalf("the server did not exit in 30s; its log:\n%s", strings.Join(b.log, "\n"))
		}
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mockserver")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func admin(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestBinary_ARestartOnOneStateFileKeepsEveryChange is an orchestrator
// restarting a container: the old server is told to stop (SIGTERM) and the
// new one started on the same --state-file while the old one is still
// shutting down. The new one must wait for the old one's save, then load
// it; the old one must save and exit 0. (The new one used to start at
// once, remove the old one's temporary file mid-save, and both the save
// and every change were lost.)
func TestBinary_ARestartOnOneStateFileKeepsEveryChange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	const k = "pk_0123456789abcdef0123456789abcdef01"
	old := startBinary(t, bin, "--state-file", path, "--jobs", "3")
	base := "http://" + old.addr()
	if code, body := admin(t, "PUT", base+"/__admin/accounts/"+k+"/items", `{"items":[{"external_id":"KEPT","title":"kept","description":"","url":"https://example.com/kept"}]}`); code != 200 {
		t.Fatalf("PUT items: %d %s", code, body)
	}
	// A request in flight holds the old server in its shutdown (as a slow
	// client would) for as long as the test needs: its handler is reading
	// the body once the server answers "100 Continue".
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /__admin/accounts/%s/variants HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"+
		"Content-Length: 100\r\nExpect: 100-continue\r\n\r\n", k)
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if status, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.Contains(status, "100 Continue") {
		t.Fatalf("the held request was not read: %q %v", status, err)
	}
	old.cmd.Process.Signal(syscall.SIGTERM)
	old.waitFor("shutting down")

	next := startBinary(t, bin, "--state-file", path, "--jobs", "3")
	if line := next.waitFor("msg="); !strings.Contains(line, "waiting for another server to give up the state file") {
		t.Fatalf("the new server did not wait for the old one, which still owned the state file: %s", line)
	}
	conn.Close() // the request ends; the old server saves and exits
	if code := old.exitCode(); code != 0 {
		t.Fatalf("the old server exited %d; its log:\n%s", code, strings.Join(old.log, "\n"))
	}
	newBase := "http://" + next.addr()
	code, body := admin(t, "GET", newBase+"/__admin/accounts/"+k+"/items", "")
	if code != 200 || !strings.Contains(body, `"external_id":"KEPT"`) {
		t.Fatalf("the new server lost the old one's change: %d %.300s", code, body)
	}
	next.cmd.Process.Signal(syscall.SIGTERM)
	if code := next.exitCode(); code != 0 {
		t.Fatalf("the new server exited %d; its log:\n%s", code, strings.Join(next.log, "\n"))
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v, mode %v; want 0600 (it holds API keys)", err, fi.Mode().Perm())
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".state.json.*")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
}

// TestBinary_AnUnwritableStateFileStopsTheStart: the path is checked at
// start, not at the first save.
func TestBinary_AnUnwritableStateFileStopsTheStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	path := filepath.Join(t.TempDir(), "nonexistent", "dir", "s.json")
	b := startBinary(t, buildBinary(t), "--state-file", path)
	if code := b.exitCode(); code != 1 {
		t.Fatalf("exit %d, want 1; log:\n%s", code, strings.Join(b.log, "\n"))
	}
	out := strings.Join(b.log, "\n")
	if !strings.Contains(out, path) || !strings.Contains(out, "no such file or directory") || strings.Contains(out, "listening on") {
		t.Fatalf("the start was not stopped naming the path and the reason:\n%s", out)
	}
}

// TestBinary_AServerWaitingForTheStateFileStopsAtSIGTERM: an orchestrator
// stopping a server that waits for another to give up its state file (the
// soak's second server on one file) gets a prompt, clean exit, not a
// server that ignores the signal, waits out its 15 s bound, and exits 1.
func TestBinary_AServerWaitingForTheStateFileStopsAtSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	path := filepath.Join(t.TempDir(), "state.json")
	owner := startBinary(t, bin, "--state-file", path, "--jobs", "3")
	owner.addr()
	waiter := startBinary(t, bin, "--state-file", path, "--jobs", "3")
	waiter.waitFor("waiting for another server to give up the state file")
	waiter.cmd.Process.Signal(syscall.SIGTERM)
	code := waiter.exitCode()
	out := strings.Join(waiter.log, "\n")
	if code != 0 || strings.Contains(out, "did not give it up within") || !strings.Contains(out, "stopped while waiting") ||
		strings.Contains(out, "listening on") {
		t.Fatalf("exit %d; the waiting server did not stop at once, cleanly and without starting; its log:\n%s", code, out)
	}
	owner.cmd.Process.Signal(syscall.SIGTERM)
	if code := owner.exitCode(); code != 0 {
		t.Fatalf("the owner exited %d; its log:\n%s", code, strings.Join(owner.log, "\n"))
	}
}
