package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/faults"
)

// patience is how long a test waits for something that should happen at
// once (or after a few milliseconds of injected timeout): far more than it
// takes, far less than the production timeouts the defects waited for.
const patience = 5 * time.Second

// rawConn is a client connection speaking HTTP/1.1 by hand, so a test
// decides when it sends, what it leaves unsent, and keeps it open.
type rawConn struct {
	t *testing.T
	net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, Conn: c, br: bufio.NewReader(c)}
}

// send writes a GET of path (keep-alive) without waiting for the answer.
func (c *rawConn) send(path string) {
	c.t.Helper()
	req := "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nrevision: 2026-07-15\r\n" +
		"Authorization: Klaviyo-API-Key " + key + "\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		c.t.Fatalf("send %s: %v", path, err)
	}
}

// answer reads one response, waiting at most patience; it returns its
// status, or an error when the connection ended or nothing came in time.
func (c *rawConn) answer() (int, error) {
	c.SetReadDeadline(time.Now().Add(patience))
	res, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// get sends a GET of path and reads its answer, which must come.
func (c *rawConn) get(path string) int {
	c.t.Helper()
	c.send(path)
	status, err := c.answer()
	if err != nil {
		c.t.Fatalf("GET %s: no answer: %v", path, err)
	}
	return status
}

// closedByServer reports whether the server closed the connection (the
// next read ends), failing the test when it is still open after patience.
func (c *rawConn) closedByServer() bool {
	c.t.Helper()
	c.SetReadDeadline(time.Now().Add(patience))
	_, err := c.br.ReadByte()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	return err != nil
}

// serveWith starts a server whose Timing is adjusted by tune, on a TCP
// listener on 127.0.0.1:0, and returns its address.
func serveWith(t *testing.T, tune func(*config.Timing), args ...string) (*Server, string) {
	t.Helper()
	cfg := cfgWith(t, args...)
	tune(&cfg.Timing)
	s, err := New(cfg, nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s)
	t.Cleanup(stop)
	return s, strings.TrimPrefix(base, "http://")
}

// limitWith is serveWith on an http.Server and Listener of the test's own
// (as Serve builds them), so the test can see the listener's state.
func limitWith(t *testing.T, tune func(*config.Timing), args ...string) (*Server, *Listener, string) {
	t.Helper()
	s, err := New(cfgWith(t, args...), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.Config()
	tune(&cfg.Timing)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := HTTPServer(s.Handler(), cfg, nil)
	l := Limit(hs, inner, cfg, s.Handler().OverloadedResponse)
	go hs.Serve(l)
	t.Cleanup(func() { s.Handler().Stop(); hs.Close() })
	return s, l, inner.Addr().String()
}

// locked makes a condition on l's state for waitFor.
func locked(l *Listener, cond func() bool) func() bool {
	return func() bool { l.mu.Lock(); defer l.mu.Unlock(); return cond() }
}

const jobsPath = "/api/catalog-item-bulk-update-jobs"

// Eight keep-alive connections that each made one request and went idle
// hold every slot of --max-connections 8: a ninth client is answered as
// soon as they have been idle for the grace, by closing the connection
// idle longest.
func TestConns_IdleKeepAliveConnectionsMakeWayForANewClient(t *testing.T) {
	_, l, addr := limitWith(t, func(tm *config.Timing) { tm.IdleGrace = 20 * time.Millisecond }, "--max-connections=8")
	idle := make([]*rawConn, 8)
	for i := range idle {
		idle[i] = dialRaw(t, addr)
		if got := idle[i].get(jobsPath); got != 200 {
			t.Fatalf("idle connection %d: %d", i, got)
		}
		// The server marks it idle after sending the answer: wait, so
		// they went idle in order.
		waitFor(t, "the connection to go idle", locked(l, func() bool { return l.idle.Len() == min(i+1, l.slots) }))
	}
	late := dialRaw(t, addr)
	late.send(jobsPath)
	if got, err := late.answer(); err != nil || got != 200 {
		t.Fatalf("with eight idle connections open, a ninth client got %d, %v", got, err)
	}
	// Seven ordinary slots (one is kept for probes): the eighth connection
	// closed the first, the ninth client the second.
	for i, c := range idle[:2] {
		if !c.closedByServer() {
			t.Fatalf("idle connection %d, idle longest, is still open", i)
		}
	}
	if got := idle[7].get(jobsPath); got != 200 {
		t.Fatalf("the connection idle shortest: %d", got)
	}
}

// A connection idle for less than the grace is not closed for a new one,
// so a client sending its next request at once is not cut off: the new
// client waits, and is answered with a 503 when its head timeout passes.
func TestConns_AConnectionIdleForLessThanTheGraceIsKept(t *testing.T) {
	_, addr := serveWith(t, func(tm *config.Timing) {
		tm.IdleGrace = time.Hour
		tm.Head = 100 * time.Millisecond
	}, "--max-connections=2")
	kept := dialRaw(t, addr)
	kept.get(jobsPath)
	late := dialRaw(t, addr)
	late.send(jobsPath)
	if got, err := late.answer(); err != nil || got != 503 {
		t.Fatalf("a new client with the only slot idle within the grace: %d %v, want 503", got, err)
	}
	if got := kept.get(jobsPath); got != 200 {
		t.Fatalf("the connection idle within the grace: %d", got)
	}
}

// A connection that sends nothing, or only part of a request head, is
// closed once the head timeout passes.
func TestConns_AConnectionWithoutACompleteHeadIsClosed(t *testing.T) {
	_, addr := serveWith(t, func(tm *config.Timing) { tm.Head = 50 * time.Millisecond })
	silent := dialRaw(t, addr)
	partial := dialRaw(t, addr)
	io.WriteString(partial, "GET "+jobsPath+" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	if !silent.closedByServer() {
		t.Fatal("a connection that sent nothing is still open")
	}
	if !partial.closedByServer() {
		t.Fatal("a connection that sent half a head is still open")
	}
}

// With every slot held by connections that have sent no complete head for
// longer than the grace, and none idle, a new client is answered: the
// oldest of them is closed to admit it.
func TestConns_AtTheLimitAConnectionWithoutAHeadMakesWay(t *testing.T) {
	_, addr := serveWith(t, func(tm *config.Timing) {
		tm.Head = time.Minute // they would not time out by themselves during the test
		tm.Grace = 20 * time.Millisecond
	}, "--max-connections=8")
	silent := make([]*rawConn, 8)
	for i := range silent {
		silent[i] = dialRaw(t, addr)
	}
	late := dialRaw(t, addr)
	late.send(jobsPath)
	if got, err := late.answer(); err != nil || got != 200 {
		t.Fatalf("with eight silent connections open, a ninth client got %d, %v", got, err)
	}
	if !silent[0].closedByServer() {
		t.Fatal("the oldest silent connection is still open")
	}
}

// With every ordinary slot busy serving requests (held by a latency fault),
// a health probe over TCP is still answered, while an ordinary request
// arriving then waits for a slot; the probe's connection is closed after
// its answer, freeing the slot kept for probes.
func TestConns_HealthIsAnsweredWhenEverySlotIsBusy(t *testing.T) {
	s, addr := serveWith(t, func(tm *config.Timing) { tm.Head = time.Minute }, "--max-connections=4")
	if _, err := s.Faults().Add(faults.Rule{Match: faults.Match{Path: "/api/"},
		Effect: faults.Effect{Latency: faults.Duration(5 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	for range 4 { // one more than the ordinary slots, as many as the limit
		dialRaw(t, addr).send(jobsPath)
	}
	waitFor(t, "the ordinary slots to fill", func() bool { return s.Faults().List()[0].Matched >= 3 })
	waiting := dialRaw(t, addr)
	waiting.send(jobsPath)
	answered := make(chan struct{})
	go func() { waiting.answer(); close(answered) }()

	probe := dialRaw(t, addr)
	if got := probe.get("/__admin/health"); got != 200 {
		t.Fatalf("health: %d", got)
	}
	select {
	case <-answered:
		t.Fatal("an ordinary request was answered while every ordinary slot was busy")
	default:
	}
	if !probe.closedByServer() {
		t.Fatal("the probe's connection stayed open in the slot kept for probes")
	}
	if got := dialRaw(t, addr).get("/__admin/health?x=1"); got != 200 {
		t.Fatalf("a second probe: %d", got)
	}
}

// waitFor polls cond until it holds, failing after patience.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	for !cond() {
		if ctx.Err() != nil {
			t.Fatal(fmt.Sprintf("timed out waiting for %s", what))
		}
		runtime.Gosched()
	}
}

// A connection held at the limit (every slot busy, none idle or silent)
// that gets no slot within the head timeout is answered with Klaviyo's 503
// and Retry-After, and closed.
func TestConns_AConnectionHeldPastTheHeadTimeoutGetsA503(t *testing.T) {
	s, addr := serveWith(t, func(tm *config.Timing) { tm.Head = 100 * time.Millisecond }, "--max-connections=2")
	if _, err := s.Faults().Add(faults.Rule{Match: faults.Match{Path: "/api/"},
		Effect: faults.Effect{Latency: faults.Duration(5 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	dialRaw(t, addr).send(jobsPath)
	waitFor(t, "the ordinary slot to fill", func() bool { return s.Faults().List()[0].Matched == 1 })
	held := dialRaw(t, addr)
	held.send(jobsPath)
	held.SetReadDeadline(time.Now().Add(patience))
	res, err := http.ReadResponse(held.br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != "1" || !strings.Contains(string(body), `"code":"service_unavailable"`) {
		t.Fatalf("%d %v %s", res.StatusCode, res.Header, body)
	}
	if !held.closedByServer() {
		t.Fatal("the refused connection is still open")
	}
}

// A connection bytes arrived on since it went quiet is receiving a request
// (net/http counts it active only once the head is whole): the connection
// to close for a new one is the quiet one behind it.
func TestConns_AConnectionReceivingItsHeadIsNotTheOneClosed(t *testing.T) {
	l := &Listener{timing: config.Timing{IdleGrace: time.Nanosecond}, epoch: clock.StartStopwatch()}
	receiving := &conn{l: l} // quiet first, then bytes arrived
	waitFor(t, "the clock to move", func() bool { return l.epoch.Elapsed() > 0 })
	receiving.lastRead.Store(int64(l.epoch.Elapsed()))
	quiet := &conn{l: l}
	l.listLocked(receiving, &l.idle)
	l.listLocked(quiet, &l.idle)
	if v := l.victimLocked(); v != quiet {
		t.Fatalf("closing %p, want the quiet connection %p (the receiving one is %p)", v, quiet, receiving)
	}
	if l.idle.Front().Value != quiet || l.idle.Back().Value != receiving {
		t.Fatal("the receiving connection did not go to the back of the idle ones")
	}
}

// When more connections are held than maxHeld, the ones refused are never
// a health probe while others are held: a probe waiting for the probe slot
// (taken by a probe still sending its head) survives a flood of ordinary
// connections and is answered once the slot frees.
func TestConns_AHeldProbeOutlastsAFloodOfHeldConnections(t *testing.T) {
	s, l, addr := limitWith(t, func(tm *config.Timing) { tm.Head = time.Minute }, "--max-connections=2")
	if _, err := s.Faults().Add(faults.Rule{Match: faults.Match{Path: "/api/"},
		Effect: faults.Effect{Latency: faults.Duration(5 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	dialRaw(t, addr).send(jobsPath) // the ordinary slot, busy
	waitFor(t, "the ordinary slot to fill", func() bool { return s.Faults().List()[0].Matched == 1 })
	sending := dialRaw(t, addr) // the probe slot, its head unfinished
	io.WriteString(sending, "GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	waitFor(t, "the probe slot to fill", locked(l, func() bool { return l.probing }))
	waiting := dialRaw(t, addr)
	waiting.send("/__admin/health")
	waitFor(t, "the second probe to be held", locked(l, func() bool {
		return l.held.Len() == 1 && l.held.Front().Value.(*conn).probe
	}))
	for range maxHeld + 6 {
		dialRaw(t, addr).send(jobsPath)
	}
	waitFor(t, "the held connections to overflow", locked(l, func() bool { return l.crowded >= 6 }))
	io.WriteString(sending, "\r\n")
	if got, err := sending.answer(); err != nil || got != 200 {
		t.Fatalf("the first probe: %d %v", got, err)
	}
	if got, err := waiting.answer(); err != nil || got != 200 {
		t.Fatalf("the held probe, after %d ordinary connections were held: %d %v", maxHeld+6, got, err)
	}
}

// Of the held connections, the one refused when too many are is the one
// held longest that sent no request line within the idle grace, else one
// known not to be a probe; none while one may yet be a probe whose request
// line has not arrived; a probe only when all are probes.
func TestConns_TheHeldConnectionRefusedIsTheLeastLikelyProbe(t *testing.T) {
	l := &Listener{timing: config.Timing{IdleGrace: time.Hour}, epoch: clock.StartStopwatch()}
	probe := &conn{l: l, peeked: true, probe: true}
	ordinary := &conn{l: l, peeked: true}
	young := &conn{l: l}
	silent := &conn{l: l, accepted: -2 * time.Hour}
	for _, c := range []*conn{probe, ordinary, young, silent} {
		l.listLocked(c, &l.held)
	}
	for _, want := range []*conn{silent, ordinary, nil} {
		got, wait := l.crowdedOutLocked()
		if got != want {
			t.Fatalf("refusing %p, want %p (probe %p, ordinary %p, young %p, silent %p)", got, want, probe, ordinary, young, silent)
		}
		if want == nil {
			if wait <= 0 || wait > time.Hour {
				t.Fatalf("waiting %v for the young connection to be refusable", wait)
			}
			break
		}
		l.unlistLocked(want)
	}
	l.unlistLocked(young)
	if got, _ := l.crowdedOutLocked(); got != probe {
		t.Fatalf("with only a probe held, refusing %p", got)
	}
}
