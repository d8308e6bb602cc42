package handlers

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// bodyPatience is how long a body test waits for what should happen at once
// (or after a few milliseconds of injected grace): far less than the 10 s a
// body used to wait for the allowance, or the minutes a silent one held it.
const bodyPatience = 5 * time.Second

// takeNow takes between lo and hi of c's room, failing unless it is
// granted at once.
func takeNow(t *testing.T, c *httpx.Share, lo, hi int64) int64 {
	t.Helper()
	got, err := c.Take(lo, hi, time.Hour, nil)
	if err != nil {
		t.Fatalf("take(%d, %d): %v", lo, hi, err)
	}
	return got
}

// waitingCount polls until n takes wait.
func waitingCount(t *testing.T, a *httpx.Allowance, n int) {
	t.Helper()
	deadline := time.Now().Add(bodyPatience)
	for {
		got := a.Waiting()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d takes waiting, want %d", got, n)
		}
	}
}

// rawRequest opens a connection to e's server and writes a request head
// (Host is loopback, so /__admin answers); the caller sends the body.
func (e *env) rawRequest(method, path string, hdr ...string) (net.Conn, *bufio.Reader) {
	e.t.Helper()
	c, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	head := method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nrevision: 2026-07-15\r\n" +
		"Authorization: Klaviyo-API-Key " + testKey + "\r\n" + strings.Join(hdr, "\r\n") + "\r\n\r\n"
	if _, err := io.WriteString(c, head); err != nil {
		e.t.Fatal(err)
	}
	return c, bufio.NewReader(c)
}

// readResp reads one response from br within bodyPatience.
func (e *env) readResp(c net.Conn, br *bufio.Reader) *resp {
	e.t.Helper()
	c.SetReadDeadline(time.Now().Add(bodyPatience))
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		e.t.Fatalf("no answer: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &resp{status: res.StatusCode, header: res.Header, body: b}
}

// closedByServer reports whether the server closed c (its next read ends
// rather than waiting out bodyPatience).
func closedByServer(c net.Conn, br *bufio.Reader) bool {
	c.SetReadDeadline(time.Now().Add(bodyPatience))
	_, err := br.ReadByte()
	return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}

// A body declared larger than its route takes, with Expect: 100-continue,
// is refused with the route's 413 at once: no 100 Continue, no wait for a
// body that would be refused anyway.
func TestBodies_ADeclaredLengthOverTheCapIs413BeforeContinue(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ method, path, detail string }{
		{http.MethodPost, "/api/catalog-items", "The maximum allowed payload size is 5MB."},
		{http.MethodPut, "/__admin/accounts/" + testKey + "/items", "Control API bodies are limited to"},
	} {
		c, br := e.rawRequest(tc.method, tc.path, "Content-Type: application/json",
			"Content-Length: 999999999999", "Expect: 100-continue")
		r := e.readResp(c, br)
		r.method, r.path = tc.method, tc.path
		wantError(t, r, 413, "request_too_large", nil)
		if !strings.Contains(string(r.body), tc.detail) {
			t.Fatalf("%s %s: %s", tc.method, tc.path, r.body)
		}
	}
}

// heldBody starts a create whose declared body is as large as the route
// takes, waits for the server to start reading it (its 100 Continue), and
// sends one byte of it: it is held open.
func (e *env) heldBody(path string) (net.Conn, *bufio.Reader) {
	e.t.Helper()
	c, br := e.rawRequest(http.MethodPost, path, "Content-Type: application/vnd.api+json",
		"Content-Length: "+strconv.Itoa(5<<20), "Expect: 100-continue")
	c.SetReadDeadline(time.Now().Add(bodyPatience))
	line, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		e.t.Fatalf("the held body was not read: %q %v", line, err)
	}
	if _, err := br.ReadString('\n'); err != nil { // the blank line ending the 100
		e.t.Fatal(err)
	}
	if _, err := io.WriteString(c, "{"); err != nil {
		e.t.Fatal(err)
	}
	return c, br
}

// While a client holds a large declared body open, sending nothing more,
// a small create is admitted: the allowance is taken as bytes arrive, not
// for the declared size up front.
func TestBodies_ASmallCreateIsAdmittedWhileALargeBodyIsHeld(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}), func(o *Options, _ *store.Options) {
		o.BodyBytes = 4 * (5 << 20) // one largest API body takes all of it, declared
		o.BodyGrace = time.Hour     // the held body is not cut during the test
	})
	id := e.itemIDs(testKey, 1)[0]
	for i := range 3 {
		e.heldBody(listPath)
		body := []byte(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item","id":"` + id +
			`","attributes":{"title":"t` + strconv.Itoa(i) + `"}}]}}}}`)
		if r := e.post("2026-07-15", body); r.status != 202 {
			t.Fatalf("with %d large bodies held: %d %s", i+1, r.status, r.body)
		}
	}
}

// A body that stops arriving is answered, once the grace has passed and it
// is below the minimum rate, with a Klaviyo-shaped 408, and its connection
// is closed: it holds neither the allowance nor the connection.
func TestBodies_ABodyBelowTheMinimumRateIsA408(t *testing.T) {
	e := newEnv(t, func(o *Options, _ *store.Options) {
		o.BodyGrace = 20 * time.Millisecond
		o.BodyRate = 64 << 10
	})
	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, listPath},
		{http.MethodPut, "/__admin/accounts/" + testKey + "/items"},
	} {
		c, br := e.rawRequest(tc.method, tc.path, "Content-Type: application/json", "Content-Length: 100000")
		io.WriteString(c, `{"data":`)
		r := e.readResp(c, br)
		r.method, r.path = tc.method, tc.path
		wantError(t, r, 408, "request_timeout", nil)
		if !closedByServer(c, br) {
			t.Fatalf("%s %s: the slow body's connection is still open", tc.method, tc.path)
		}
	}
}

// A compressed body takes room for its bytes once decompressed, which is
// what the handler holds: with little room free it waits for more (and
// ends with the usual 429 when the server stops), though its compressed
// bytes would fit many times over.
func TestBodies_ACompressedBodyTakesRoomForItsDecompressedBytes(t *testing.T) {
	e := newEnv(t)
	hold := e.h.body.Open() // a request reading, holding all but 16 KiB
	takeNow(t, hold, e.h.body.Total()-16<<10, e.h.body.Total()-16<<10)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"data":{"type":"catalog-item","attributes":{"title":"` + strings.Repeat("t", 1<<20) + `"}}}`))
	zw.Close()
	done := make(chan *resp, 1)
	go func() {
		done <- e.req(http.MethodPost, "/api/catalog-items", bytes.NewReader(gz.Bytes()),
			"Content-Type: application/vnd.api+json", "Content-Encoding: gzip")
	}()
	waitingCount(t, e.h.body, 1)
	e.h.Stop()
	wantError(t, <-done, 429, "throttled", nil)
}
