package server

import (
	"bytes"
	"container/list"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
)

// maxHeld bounds the connections accepted at the limit and not yet served:
// each costs a goroutine and a few bytes while the listener reads enough of
// its request line to tell a health probe, then waits for a slot. Past it,
// the one held longest is refused, so a probe arriving in a flood is still
// looked at.
const maxHeld = 64

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

// holdLocked keeps c until a slot frees, refusing the connection held
// longest when too many are.
func (l *Listener) holdLocked(c *conn) {
	if l.held.Len() >= maxHeld {
		old := l.held.Front().Value.(*conn)
		l.unlistLocked(old)
		old.dropped = true
		old.Conn.SetReadDeadline(time.Unix(1, 0)) // ends its look at the request line
		l.signalLocked()
	}
	l.listLocked(c, &l.held)
}

// await looks at a held connection's request line, then admits it to the
// probe slot or an ordinary one as soon as it can, or refuses it at its
// head deadline.
func (l *Listener) await(c *conn) {
	isProbe, err := c.peekProbe(c.since.Deadline(l.timing.Head))
	for {
		l.mu.Lock()
		switch {
		case c.dropped || err != nil:
			l.unlistLocked(c)
			l.mu.Unlock()
			l.refuse(c)
			return
		case isProbe && l.probeSlot && !l.probing:
			l.probing, c.slot = true, probe
			l.unlistLocked(c)
			l.mu.Unlock()
			l.deliver(c)
			return
		case l.used < l.slots || l.victimLocked() != nil:
			l.unlistLocked(c)
			c.since = clock.StartStopwatch() // its grace counts from now
			l.admitLocked(c)
			l.mu.Unlock()
			l.deliver(c)
			return
		}
		wait := l.timing.Head - c.since.Elapsed()
		if e := l.fresh.Front(); e != nil {
			wait = min(wait, l.timing.HeadGrace-e.Value.(*conn).since.Elapsed())
		}
		changed := l.changed
		l.mu.Unlock()
		if c.since.Elapsed() >= l.timing.Head {
			err = errHeldTooLong
			continue
		}
		t := time.NewTimer(max(wait, time.Millisecond))
		select {
		case <-changed:
		case <-t.C:
		case <-l.done:
			err = net.ErrClosed
		}
		t.Stop()
	}
}

var errHeldTooLong = errors.New("held past the head timeout")

// refuse closes a held connection, first answering it with the overloaded
// response when it began a request.
func (l *Listener) refuse(c *conn) {
	if len(c.prefix) > 0 && l.overloaded != nil {
		c.Conn.SetWriteDeadline(clock.StartStopwatch().Deadline(time.Second))
		c.Conn.Write(l.overloaded())
	}
	c.Conn.Close()
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

// probeLines start the request line of a health probe.
var probeLines = [][]byte{[]byte("GET /__admin/health"), []byte("HEAD /__admin/health")}

// peekProbe reads c's first bytes, until they tell whether its request is
// a health probe or the deadline passes, and keeps them for the server.
func (c *conn) peekProbe(deadline time.Time) (bool, error) {
	c.Conn.SetReadDeadline(deadline)
	defer c.Conn.SetReadDeadline(time.Time{})
	buf := make([]byte, 0, 32)
	for {
		if decided, isProbe := matchProbe(buf); decided {
			c.prefix = buf
			return isProbe, nil
		}
		n, err := c.Conn.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			c.prefix = buf
			return false, err
		}
	}
}

// matchProbe reports whether b, the start of a request, decides if it is
// a health probe (a probe line followed by a space or a query), and if so
// whether it is one.
func matchProbe(b []byte) (decided, isProbe bool) {
	for _, p := range probeLines {
		switch {
		case len(b) <= len(p) && bytes.HasPrefix(p, b):
			return false, false // it may still be
		case len(b) > len(p) && bytes.HasPrefix(b, p) && (b[len(p)] == ' ' || b[len(p)] == '?'):
			return true, true
		}
	}
	return true, false
}
