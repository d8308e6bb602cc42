package server

import (
	"bytes"
	"cmp"
	"errors"
	"net"
	"runtime"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// Connections accepted when every slot is busy are held here: the listener
// reads enough of each one's request line to tell a health probe, then
// waits for a slot.

// maxHeld bounds the connections accepted at the limit and not yet served:
// each costs a goroutine (a few KiB) while the listener reads enough of its
// request line to tell a health probe, then waits for a slot. Past it, one
// is refused (crowdedOutLocked) to hold a new one, so a probe arriving in a
// flood is still looked at, and kept.
const maxHeld = 256

// place admits c, or holds it (go l.await). With too many held it refuses
// one, or waits while every one it could refuse may be a probe whose request
// line has not arrived yet (new connections wait in the kernel's backlog
// meanwhile). It reports false when the listener closed.
func (l *Listener) place(c *conn) bool {
	l.mu.Lock()
	for {
		if l.admitLocked(c) {
			l.mu.Unlock()
			l.deliver(c)
			return true
		}
		if l.held.Len() < maxHeld {
			l.listLocked(c, &l.held)
			l.mu.Unlock()
			go l.await(c)
			runtime.Gosched() // let it read its request line before more arrive
			return true
		}
		old, wait := l.crowdedOutLocked()
		if old != nil {
			l.unlistLocked(old)
			l.crowded++
			old.dropped = true
			old.Conn.SetReadDeadline(time.Unix(1, 0)) // ends its look at the request line
			l.signalLocked()
		} else if !l.waitLocked(wait) {
			l.mu.Unlock()
			c.Conn.Close()
			return false
		}
	}
}

// waitLocked waits, with l.mu released, until room may have appeared or d
// has passed; it reports false when the listener closed.
func (l *Listener) waitLocked(d time.Duration) bool {
	changed := l.changed
	l.mu.Unlock()
	defer l.mu.Lock()
	t := time.NewTimer(max(d, time.Millisecond))
	defer t.Stop()
	select {
	case <-changed:
	case <-t.C:
	case <-l.done:
		return false
	}
	return true
}

// crowdedOutLocked is the held connection to refuse when too many are: the
// one held longest of those that sent no request line within the idle
// grace of their accept, else of those known not to be probes, else, when
// all are, of the probes. It is nil while another may yet be a probe (its
// request line not read yet); wait says how long until one may be refused.
func (l *Listener) crowdedOutLocked() (c *conn, wait time.Duration) {
	var silent, ordinary, probe *conn
	young := false
	wait = l.timing.IdleGrace
	now := l.epoch.Elapsed()
	for e := l.held.Front(); e != nil && silent == nil; e = e.Next() {
		h := e.Value.(*conn)
		switch age := now - h.accepted; {
		case h.probe:
			probe = cmp.Or(probe, h)
		case h.peeked:
			ordinary = cmp.Or(ordinary, h)
		case age >= l.timing.IdleGrace:
			silent = h
		default:
			young, wait = true, min(wait, l.timing.IdleGrace-age)
		}
	}
	switch {
	case silent != nil:
		return silent, 0
	case ordinary != nil:
		return ordinary, 0
	case probe != nil && !young:
		return probe, 0
	}
	return nil, wait
}

// await looks at a held connection's request line, then admits it to the
// probe slot or an ordinary one as soon as it can, or refuses it at its
// head deadline.
func (l *Listener) await(c *conn) {
	deadline := c.accepted + l.timing.Head
	isProbe, err := c.peekProbe(l.epoch.Deadline(deadline))
	l.mu.Lock()
	c.peeked, c.probe = true, isProbe
	l.signalLocked() // one more that place may refuse
	l.mu.Unlock()
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
			c.quiet = l.epoch.Elapsed() // its grace counts from now
			l.admitLocked(c)
			l.mu.Unlock()
			l.deliver(c)
			return
		}
		wait := l.untilVictimLocked(deadline - l.epoch.Elapsed())
		changed := l.changed
		l.mu.Unlock()
		if l.epoch.Elapsed() >= deadline {
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
