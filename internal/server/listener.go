package server

import (
	"container/list"
	"net"
	"net/http"
	"sync"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
)

// Listener admits at most --max-connections connections at once, bounding
// the memory open connections (each reading headers of up to
// --max-header-bytes) can hold, without letting any client lock others out:
//
//   - at the limit, a new connection is admitted by closing the connection
//     idle longest, else the oldest one that has not sent a complete
//     request head within Timing.HeadGrace of its accept;
//   - with neither, it is held (accepted, not served) until a slot frees or
//     one of those appears, for at most Timing.Head from its accept, then
//     answered with a 503 and closed;
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

	out       chan accepted
	done      chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	used    int           // ordinary slots in use
	probing bool          // the probe slot is in use
	idle    list.List     // *conn, idle longest first
	fresh   list.List     // *conn without a complete head yet, oldest first
	held    list.List     // *conn accepted at the limit, oldest first
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

// conn is one accepted connection; l.mu guards everything but Conn and prefix.
type conn struct {
	net.Conn
	l       *Listener
	since   clock.Stopwatch // its accept, or its admission if it was held
	slot    slot
	elem    *list.Element // in l.idle, l.fresh or l.held
	in      *list.List
	dropped bool // refused while held
	prefix  []byte
}

// Limit makes ln admit connections as Listener describes for hs (whose
// ConnState it sets) with cfg's limits. overloaded makes the response
// written to a held connection refused for want of room (nil: it is closed
// without one).
func Limit(hs *http.Server, ln net.Listener, cfg config.Config, overloaded func() []byte) *Listener {
	l := &Listener{inner: ln, slots: cfg.MaxConnections, timing: cfg.Timing, overloaded: overloaded,
		out: make(chan accepted), done: make(chan struct{}), changed: make(chan struct{})}
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
		c := &conn{Conn: nc, l: l, since: clock.StartStopwatch()}
		l.mu.Lock()
		if l.admitLocked(c) {
			l.mu.Unlock()
			l.deliver(c)
			continue
		}
		l.holdLocked(c)
		l.mu.Unlock()
		go l.await(c)
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
// longest, else the oldest without a complete head past the grace.
func (l *Listener) victimLocked() *conn {
	if e := l.idle.Front(); e != nil {
		return e.Value.(*conn)
	}
	if e := l.fresh.Front(); e != nil && e.Value.(*conn).since.Elapsed() >= l.timing.HeadGrace {
		return e.Value.(*conn)
	}
	return nil
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

// Read serves the bytes read while deciding whether c is a probe first.
func (c *conn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
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
