package server

import (
	"bytes"
	"errors"
	"net"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// Connections accepted when every slot is busy are held here: the listener
// reads enough of each one's request line to tell a health probe, then
// waits for a slot.

// maxHeld bounds the connections accepted at the limit and not yet served:
// each costs a goroutine and a few bytes while the listener reads enough of
// its request line to tell a health probe, then waits for a slot. Past it,
// the one held longest that is not a probe is refused, so a probe arriving
// in a flood is still looked at, and kept.
const maxHeld = 64

// holdLocked keeps c until a slot frees, refusing one (crowdedOutLocked)
// when too many are held.
func (l *Listener) holdLocked(c *conn) {
	if l.held.Len() >= maxHeld {
		old := l.crowdedOutLocked()
		l.unlistLocked(old)
		l.crowded++
		old.dropped = true
		old.Conn.SetReadDeadline(time.Unix(1, 0)) // ends its look at the request line
		l.signalLocked()
	}
	l.listLocked(c, &l.held)
}

// crowdedOutLocked is the held connection to refuse when too many are: the
// one held longest of those known not to be probes, else of those not yet
// looked at, else of the probes.
func (l *Listener) crowdedOutLocked() *conn {
	var first [3]*conn // by rank
	for e := l.held.Front(); e != nil && first[0] == nil; e = e.Next() {
		c := e.Value.(*conn)
		rank := 0
		switch {
		case c.probe:
			rank = 2
		case !c.peeked:
			rank = 1
		}
		if first[rank] == nil {
			first[rank] = c
		}
	}
	for _, c := range first {
		if c != nil {
			return c
		}
	}
	return nil
}

// await looks at a held connection's request line, then admits it to the
// probe slot or an ordinary one as soon as it can, or refuses it at its
// head deadline.
func (l *Listener) await(c *conn) {
	deadline := c.accepted + l.timing.Head
	isProbe, err := c.peekProbe(l.epoch.Deadline(deadline))
	l.mu.Lock()
	c.peeked, c.probe = true, isProbe
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
