package server

import (
	"container/list"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
)

// Listener admits at most --max-connections connections at once, bounding
// the memory open connections (each reading headers of up to
// --max-header-bytes) can hold, without letting any client lock others out:
//
//   - at the limit, a new connection is admitted by closing the connection
//     idle longest once it has been idle for Timing.IdleGrace, else the
//     oldest one without a complete request head once it has been so for
//     Timing.Grace (bytes arriving count as neither);
//   - with neither, it is held (accepted, not served) until a slot frees or
//     one of those appears, for at most Timing.Head from its accept, then
//     answered with Klaviyo's 503 (Retry-After: 1) and closed; of more than
//     maxHeld held, one is refused the same way (see crowdedOutLocked);
//   - one of the slots is kept for a connection whose request line is
//     GET or HEAD /__admin/health, closed after its answer, so probes over
//     TCP are answered while every other slot is busy.
//
// The http.Server it feeds must report connection states to ConnState.
type Listener struct {
	inner      net.Listener
	slots      int  // ordinary slots
	probeSlot  bool // a slot is kept for health probes
	timing     config.Timing
	overloaded func() []byte // the answer of a held connection refused for want of room

	epoch     clock.Stopwatch // connection times are offsets from it
	out       chan accepted
	done      chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	used    int           // ordinary slots in use
	probing bool          // the probe slot is in use
	idle    list.List     // *conn, idle longest first
	fresh   list.List     // *conn without a complete head yet, oldest first
	held    list.List     // *conn accepted at the limit, oldest first
	crowded int           // held connections refused because too many were
	changed chan struct{} // closed and replaced when room may have appeared
}

type accepted struct {
	c   net.Conn
	err error
}

// slot says which kind of slot a connection holds.
type slot uint8

const (
	noSlot slot = iota
	ordinary
	probe
)

// conn is one accepted connection; l.mu guards everything but Conn,
// prefix, accepted and lastRead.
type conn struct {
	net.Conn
	l        *Listener
	accepted time.Duration // when it was accepted (offsets from l.epoch)
	lastRead atomic.Int64  // when bytes last arrived, in nanoseconds
	// quiet is when it was last known out of a request: its accept (its
	// admission if it was held), or its last answer when idle.
	quiet   time.Duration
	slot    slot
	elem    *list.Element // in l.idle, l.fresh or l.held
	in      *list.List
	dropped bool // refused while held
	peeked  bool // held, and its request line looked at
	probe   bool // held, and its request line is a health probe's
	prefix  []byte
}

// Limit makes ln admit connections as Listener describes for hs (whose
// ConnState it sets) with cfg's limits. overloaded makes the response
// written to a held connection refused for want of room (nil: it is closed
// without one).
func Limit(hs *http.Server, ln net.Listener, cfg config.Config, overloaded func() []byte) *Listener {
	l := &Listener{inner: ln, slots: cfg.MaxConnections, timing: cfg.Timing, overloaded: overloaded,
		epoch: clock.StartStopwatch(), out: make(chan accepted), done: make(chan struct{}), changed: make(chan struct{})}
	if l.slots >= 2 {
		l.slots, l.probeSlot = l.slots-1, true
	}
	hs.ConnState = l.ConnState
	go l.acceptLoop()
	return l
}

// Accept returns the next admitted connection.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case a := <-l.out:
		return a.c, a.err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Addr returns the address listened on.
func (l *Listener) Addr() net.Addr { return l.inner.Addr() }

// Close stops accepting and closes the connections held; the admitted
// ones are the http.Server's.
func (l *Listener) Close() error {
	l.closeOnce.Do(func() {
		close(l.done)
		l.mu.Lock()
		for e := l.held.Front(); e != nil; e = e.Next() {
			c := e.Value.(*conn)
			c.dropped = true
			c.Conn.Close()
		}
		l.mu.Unlock()
	})
	return l.inner.Close()
}

func (l *Listener) acceptLoop() {
	for {
		nc, err := l.inner.Accept()
		if err != nil {
			// As net/http does: it retries after a temporary error.
			te, ok := err.(interface{ Temporary() bool })
			temporary := ok && te.Temporary()
			select {
			case l.out <- accepted{err: err}:
			case <-l.done:
				return
			}
			if !temporary {
				return
			}
			continue
		}
		now := l.epoch.Elapsed()
		if !l.place(&conn{Conn: nc, l: l, accepted: now, quiet: now}) {
			return
		}
	}
}

func (l *Listener) deliver(c *conn) {
	select {
	case l.out <- accepted{c: c}:
	case <-l.done:
		c.Close()
	}
}

// admitLocked gives c an ordinary slot, closing an idle connection or one
// past its grace for it at the limit; it reports whether c was admitted.
func (l *Listener) admitLocked(c *conn) bool {
	if l.used >= l.slots {
		v := l.victimLocked()
		if v == nil {
			return false
		}
		l.releaseLocked(v)
		v.Conn.Close()
	}
	l.used++
	c.slot = ordinary
	l.listLocked(c, &l.fresh)
	return true
}

// victimLocked is the connection to close for a new one: the one idle
// longest, else the oldest without a complete head, past the grace. A
// connection bytes arrived on since is receiving a request (net/http
// reports it active only once the head is whole): it goes to the back.
func (l *Listener) victimLocked() *conn {
	now := l.epoch.Elapsed()
	for _, quiet := range []*list.List{&l.idle, &l.fresh} {
		grace := l.graceOf(quiet)
		for range quiet.Len() {
			c := quiet.Front().Value.(*conn)
			if read := time.Duration(c.lastRead.Load()); read > c.quiet {
				c.quiet = read
				quiet.MoveToBack(c.elem)
				continue
			}
			if now-c.quiet >= grace {
				return c
			}
			break
		}
	}
	return nil
}

// untilVictimLocked is how long, at most d, until a connection may
// become one to close.
func (l *Listener) untilVictimLocked(d time.Duration) time.Duration {
	now := l.epoch.Elapsed()
	for _, quiet := range []*list.List{&l.idle, &l.fresh} {
		if e := quiet.Front(); e != nil {
			d = min(d, l.graceOf(quiet)-(now-e.Value.(*conn).quiet))
		}
	}
	return d
}

// graceOf is the grace of the connections in quiet (idle or fresh).
func (l *Listener) graceOf(quiet *list.List) time.Duration {
	if quiet == &l.idle {
		return l.timing.IdleGrace
	}
	return l.timing.Grace
}

// ConnState tracks which admitted connections are idle or have no complete
// head yet, and frees the slot of a closed one; set it as the
// http.Server's ConnState.
func (l *Listener) ConnState(nc net.Conn, state http.ConnState) {
	c, ok := nc.(*conn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.slot == noSlot {
		return
	}
	switch state {
	case http.StateActive:
		l.unlistLocked(c)
	case http.StateIdle:
		if c.slot == probe { // a probe's slot is for one answer
			l.releaseLocked(c)
			c.Conn.Close()
			return
		}
		c.quiet = l.epoch.Elapsed()
		l.listLocked(c, &l.idle)
		l.signalLocked()
	case http.StateHijacked, http.StateClosed:
		l.releaseLocked(c)
	}
}

// Close closes the connection and frees its slot.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.l.mu.Lock()
	c.l.releaseLocked(c)
	c.l.mu.Unlock()
	return err
}

// Read serves the bytes read while deciding whether c is a probe first,
// and notes when bytes arrive.
func (c *conn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.lastRead.Store(int64(c.l.epoch.Elapsed()))
	}
	return n, err
}

func (l *Listener) releaseLocked(c *conn) {
	switch c.slot {
	case ordinary:
		l.used--
	case probe:
		l.probing = false
	default:
		return
	}
	c.slot = noSlot
	l.unlistLocked(c)
	l.signalLocked()
}

func (l *Listener) listLocked(c *conn, in *list.List) {
	l.unlistLocked(c)
	c.elem, c.in = in.PushBack(c), in
}

func (l *Listener) unlistLocked(c *conn) {
	if c.in != nil {
		c.in.Remove(c.elem)
		c.elem, c.in = nil, nil
	}
}

// signalLocked wakes the held connections, if any, to look for room.
func (l *Listener) signalLocked() {
	if l.held.Len() > 0 {
		close(l.changed)
		l.changed = make(chan struct{})
	}
}
