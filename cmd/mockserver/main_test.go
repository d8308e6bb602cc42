package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

func TestRun_ListensOnTheRealAddressAndShutsDownGracefully(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--jobs", "10"}, noEnv, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	addr := ""
	for addr == "" && sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "listening on "); ok {
			addr = strings.Trim(after, `"`)
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" || strings.HasSuffix(addr, ":0") {
		t.Fatalf("no real address logged (got %q)", addr)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/catalog-item-bulk-update-jobs", nil)
	req.Header.Set("revision", "2024-10-15")
	req.Header.Set("Authorization", "Klaviyo-API-Key pk_x")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d after a graceful stop", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop after its context was cancelled")
	}
}

func TestRun_InvalidFlagFailsNamingIt(t *testing.T) {
	var stderr syncBuffer
	code := run(context.Background(), []string{"--seed", "0"}, noEnv, io.Discard, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--seed") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	stderr = syncBuffer{}
	code = run(context.Background(), nil, func(k string) string {
		if k == "MOCKSERVER_JOBS" {
			return "many"
		}
		return ""
	}, io.Discard, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "MOCKSERVER_JOBS") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestRun_BadFlagPrintsOneReasonAndAPointerToHelp: `mockserver
// --job-duration 2` printed "parse error" and 109 lines of usage; it prints
// the reason naming the flag and the form, then where the flags are listed.
func TestRun_BadFlagPrintsOneReasonAndAPointerToHelp(t *testing.T) {
	var stderr, stdout syncBuffer
	code := run(context.Background(), []string{"--job-duration", "2"}, noEnv, &stdout, &stderr)
	want := "mockserver: --job-duration: \"2\" is not a duration; use a Go duration such as 2s or 500ms\n" +
		"Run 'mockserver -h' to list every flag and its environment variable.\n"
	if code != 2 || stderr.String() != want || stdout.String() != "" {
		t.Fatalf("exit %d, stderr %q, stdout %q; want exit 2 and stderr %q", code, stderr.String(), stdout.String(), want)
	}
}

func TestRun_HelpDocumentsEveryFlagAndExitsZero(t *testing.T) {
	var out syncBuffer
	if code := run(context.Background(), []string{"-h"}, noEnv, io.Discard, &out); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, f := range []string{"--addr", "--seed", "--jobs", "--public-url", "--strict-keys", "--max-accounts", "--retire-revisions", "MOCKSERVER_ADDR"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("help lacks %s", f)
		}
	}
}

// startRun runs the server with args in the background and returns its
// real address and a stop function that waits for the exit code.
func startRun(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, noEnv, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	addr := ""
	for addr == "" && sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "listening on "); ok {
			addr = strings.Trim(after, `"`)
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		cancel()
		t.Fatal("no address logged")
	}
	stopped := false
	stop := func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(20 * time.Second):
			t.Fatal("server did not stop")
		}
		return -1
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// TestHealthcheck_ProbesTheAddressTheServerReallyListensOn is the image's
// case: the HEALTHCHECK sees only the image's environment (MOCKSERVER_ADDR
// of the default port, and the health socket), while the server was started
// with --addr as a flag.
func TestHealthcheck_ProbesTheAddressTheServerReallyListensOn(t *testing.T) {
	socket := fmt.Sprintf("@mockserver-test-%d-%s", os.Getpid(), t.Name())
	_, stop := startRun(t, "--addr", "127.0.0.1:0", "--health-socket", socket, "--jobs", "1")
	imageEnv := func(k string) string {
		switch k {
		case "MOCKSERVER_ADDR":
			return "0.0.0.0:1" // nothing listens there
		case "MOCKSERVER_HEALTH_SOCKET":
			return socket
		}
		return ""
	}
	var out syncBuffer
	if code := healthcheck(context.Background(), []string{"--timeout", "5s"}, imageEnv, &out, &out); code != 0 {
		t.Fatalf("healthcheck through the socket: exit %d: %s", code, out.String())
	}
	// Without the socket, the environment's address is probed: unhealthy.
	noSocket := func(k string) string {
		if k == "MOCKSERVER_ADDR" {
			return "0.0.0.0:1"
		}
		return ""
	}
	if code := healthcheck(context.Background(), []string{"--timeout", "2s"}, noSocket, io.Discard, io.Discard); code != 1 {
		t.Fatalf("healthcheck of a port nothing listens on: exit %d, want 1", code)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	// A stopped server is unhealthy through its socket too.
	if code := healthcheck(context.Background(), []string{"--timeout", "2s"}, imageEnv, io.Discard, io.Discard); code != 1 {
		t.Fatalf("healthcheck after the stop: exit %d, want 1", code)
	}
}

func TestHealthcheck_SocketServesOnlyHealth(t *testing.T) {
	socket := fmt.Sprintf("@mockserver-test-%d-%s", os.Getpid(), t.Name())
	startRun(t, "--addr", "127.0.0.1:0", "--health-socket", socket, "--jobs", "1")
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", socket)
	}}}
	for path, want := range map[string]int{"/__admin/health": 200, "/__admin/requests": 404, "/api/catalog-item-bulk-update-jobs": 404} {
		res, err := client.Get("http://localhost" + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s over the socket: %d, want %d", path, res.StatusCode, want)
		}
	}
}
