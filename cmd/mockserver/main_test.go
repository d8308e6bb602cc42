package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
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
