package handlers

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// bodyPatience is how long a body test waits for what should happen at once.
const bodyPatience = 5 * time.Second

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
