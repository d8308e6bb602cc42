package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The connection and body attacks run alongside the load: a flood of idle
// keep-alive connections, connections that never send a request, and slow
// bodies held open. Meanwhile small requests are timed (their p99 should
// stay under smallTarget) and /__admin/health is probed over TCP on fresh
// connections, as a container healthcheck does: one failed probe fails
// the soak.

// smallTarget is the p99 the small requests of other clients should keep
// during the attacks.
const smallTarget = 100 * time.Millisecond

// probeTimeout is how long a health probe waits for its answer, as a
// compose healthcheck with `timeout: 5s` does. The attacks' threat is a
// lock-out (before the fix, 10 s for silent connections, 120 s for idle
// ones); under the mixed load on a small shared machine an answer can
// take a few seconds (an API read's max), which report prints.
const probeTimeout = 5 * time.Second

type attacks struct {
	w *worker

	idleOpen     atomic.Int64 // idle flood connections open now
	idleMax      atomic.Int64 // most open at once
	idleClosed   atomic.Int64 // closed by the server (to admit others)
	silentClosed atomic.Int64
	probes       atomic.Int64
	probeFails   atomic.Int64
	probesHanded atomic.Int64 // probes that failed across a handover (restarts.go): excused
	mu           sync.Mutex
	probeErrs    []string // the first few failures
}

// startAttacks starts idle connections of the flood (1,100 by default: more
// than the default --max-connections), one silent connection, five slow
// bodies and one oversized body a second, the health prober and two
// small-request workers.
func startAttacks(ctx context.Context, wg *sync.WaitGroup, w *worker, idle int) *attacks {
	a := &attacks{w: w}
	spawn(ctx, wg, idle, a.idleFlood)
	spawn(ctx, wg, 1, a.every(time.Second, a.silent))
	spawn(ctx, wg, 1, a.every(200*time.Millisecond, a.slowBody(5<<20, "slow-body")))
	spawn(ctx, wg, 1, a.every(time.Second, a.slowBody(16<<20, "oversized-body")))
	spawn(ctx, wg, 1, a.every(500*time.Millisecond, a.probeHealth))
	spawn(ctx, wg, 2, w.small)
	return a
}

// every runs fn in its own goroutine each period until ctx is done.
func (a *attacks) every(period time.Duration, fn func(ctx context.Context, n int)) func(context.Context, int) {
	return func(ctx context.Context, _ int) {
		var wg sync.WaitGroup
		defer wg.Wait()
		t := time.NewTicker(period)
		defer t.Stop()
		for n := 0; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				wg.Add(1)
				go func() { defer wg.Done(); fn(ctx, n) }()
			}
		}
	}
}

// dial opens a connection to the current server that ctx's end closes
// (waiting while a handover is under way).
func (a *attacks) dial(ctx context.Context) (net.Conn, *bufio.Reader, func(), error) {
	if !a.w.f.ready(ctx) {
		return nil, nil, nil, ctx.Err()
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", a.w.f.Addr())
	if err != nil {
		return nil, nil, nil, err
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	return c, bufio.NewReader(c), func() { stop(); c.Close() }, nil
}

// idleFlood makes one request on a keep-alive connection and leaves it
// idle until the server closes it; then, after floodPause, again.
func (a *attacks) idleFlood(ctx context.Context, id int) {
	req := "GET " + listPath + " HTTP/1.1\r\nHost: soak\r\nrevision: 2026-07-15\r\n" +
		fmt.Sprintf("Authorization: Klaviyo-API-Key pk_idle_%d\r\n\r\n", id%8)
	for ctx.Err() == nil {
		c, br, done, err := a.dial(ctx)
		if err == nil {
			if _, err = io.WriteString(c, req); err == nil {
				err = readResponse(br)
			}
			if err == nil {
				a.idleMax.Store(max(a.idleMax.Load(), a.idleOpen.Add(1)))
				_, err = br.ReadByte() // idle until the server closes it
				a.idleOpen.Add(-1)
				if ctx.Err() == nil {
					a.idleClosed.Add(1)
				}
			}
			done()
		}
		sleep(ctx, floodPause)
	}
}

// floodPause is how long an idle-flood connection the server closed waits
// before it connects again: 1,100 connections then come back at about 110
// a second, enough to keep every slot taken by an idle one, without
// turning the flood into a flood of requests.
const floodPause = 10 * time.Second

// silent opens a connection and sends nothing until the server closes it.
func (a *attacks) silent(ctx context.Context, _ int) {
	c, br, done, err := a.dial(ctx)
	if err != nil {
		return
	}
	defer done()
	c.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := br.ReadByte(); err != nil && ctx.Err() == nil {
		a.silentClosed.Add(1)
	}
}

// slowBody declares a create body of length bytes with Expect:
// 100-continue, sends one byte of it if asked to continue, and waits for the
// answer: a 408 once a body within the cap falls below the minimum rate, a
// 413 at once for one over it.
func (a *attacks) slowBody(length int, kind string) func(context.Context, int) {
	return func(ctx context.Context, _ int) {
		c, br, done, err := a.dial(ctx)
		if err != nil {
			return
		}
		defer done()
		fmt.Fprintf(c, "POST /api/catalog-items HTTP/1.1\r\nHost: soak\r\nrevision: 2026-07-15\r\n"+
			"Authorization: Klaviyo-API-Key pk_slow\r\nContent-Type: application/vnd.api+json\r\n"+
			"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", length)
		c.SetReadDeadline(time.Now().Add(time.Minute))
		res, err := http.ReadResponse(br, nil)
		if err == nil && res.StatusCode == http.StatusContinue {
			io.WriteString(c, "{")
			res, err = http.ReadResponse(br, nil)
		}
		if ctx.Err() == nil {
			a.w.st.record(kind, statusOf(res, err), 0, false)
		}
	}
}

// probeHealth asks /__admin/health on a new connection, as a container
// healthcheck does, allowing it probeTimeout. A probe that fails while a
// handover replaces the server (or across one) is counted apart: no
// server listens for a moment, by design.
func (a *attacks) probeHealth(ctx context.Context, _ int) {
	a.probes.Add(1)
	f := a.w.f
	epoch := f.epoch.Load()
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(pctx, http.MethodGet, f.Base()+"/__admin/health", nil)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	t0 := time.Now()
	res, err := client.Do(req)
	if ctx.Err() != nil {
		return // the soak ended mid-probe
	}
	if err == nil {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d", res.StatusCode)
		}
	}
	if err != nil && (f.handing.Load() || f.epoch.Load() != epoch) {
		a.probesHanded.Add(1)
		return
	}
	a.w.st.record("health", statusOf(res, err), time.Since(t0), err == nil)
	if err != nil {
		a.probeFails.Add(1)
		a.mu.Lock()
		if len(a.probeErrs) < 5 {
			a.probeErrs = append(a.probeErrs, err.Error())
		}
		a.mu.Unlock()
	}
}

// small sends what an ordinary client does during the attacks: a create of
// a catalog item (about 150 bytes) and a read of it, timed.
func (w *worker) small(ctx context.Context, id int) {
	key := fmt.Sprintf("pk_small_%02d", id)
	h := apiHeaders(key)
	h["Content-Type"] = "application/vnd.api+json"
	for n := 0; ctx.Err() == nil; n++ {
		body := fmt.Sprintf(`{"data":{"type":"catalog-item","attributes":{"external_id":"SMALL-%d","title":"small %d",`+
			`"description":"d","url":"https://shop.example/%d"}}}`, n, n, n)
		gen := w.acks.generation()
		if status, _ := w.do(ctx, "small", "POST", w.f.Base()+"/api/catalog-items", []byte(body), h); status == 201 {
			w.acks.record(key, key, itemPath("SMALL-"+strconv.Itoa(n)), gen)
		}
		w.do(ctx, "small", "GET", w.f.Base()+"/api/catalog-items/$custom:::$default:::SMALL-"+strconv.Itoa(n), nil, apiHeaders(key))
	}
}

// report prints what the attacks saw, with the latencies of the small
// requests and of the health probes answered (sorted), and fails when a
// health probe failed.
func (a *attacks) report(small, health []time.Duration) error {
	fmt.Printf("attacks: idle flood %d connections open at most, %d closed by the server; %d silent connections closed\n",
		a.idleMax.Load(), a.idleClosed.Load(), a.silentClosed.Load())
	p99 := percentile(small, 0.99)
	verdict := "within"
	if p99 > smallTarget {
		verdict = "OVER"
	}
	fmt.Printf("small requests during the attacks: %d, p50 %v, p99 %v (%s the %v target), max %v\n",
		len(small), percentile(small, 0.5), p99, verdict, smallTarget, percentile(small, 1))
	fmt.Printf("health probes over TCP: %d, failed %d (and %d across a handover); answered in p50 %v, p99 %v, max %v\n",
		a.probes.Load(), a.probeFails.Load(), a.probesHanded.Load(), percentile(health, 0.5), percentile(health, 0.99), percentile(health, 1))
	if n := a.probeFails.Load(); n > 0 {
		return fmt.Errorf("%d health probes failed: %s", n, strings.Join(a.probeErrs, "; "))
	}
	return nil
}

func readResponse(br *bufio.Reader) error {
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return err
}

func statusOf(res *http.Response, err error) int {
	if err != nil {
		return 0
	}
	return res.StatusCode
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
