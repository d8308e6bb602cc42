package httpx

import (
	"container/list"
	"errors"
	"sync"
	"time"
)

// Allowance is the memory request bodies being read and decoded may take
// at once. A request opens a Share and takes room in small pieces as
// its body arrives (see BodyMeter), keeping what it filled until it is
// answered; so the room a body holds follows the bytes it sent, not the
// length it declared.
//
// A piece that does not fit waits, first come first served, for room freed
// by requests that are answered. Bodies taken piece by piece can each hold
// part of the room while all of them wait for more, which nothing would
// free: when every share holding room is waiting, the newest of them is
// refused (a 429), and the others go on with what it gives back. A
// share that holds all the room in use and still needs more is a body
// larger than the allowance holds at its inflation (the largest API body
// under a small --memory-budget): alone, it goes on past the allowance, as
// nothing else holds room, and every other body waits for it.
type Allowance struct {
	mu      sync.Mutex
	total   int64
	used    int64
	waiters list.List // *waiter, first come first
	// busy counts the shares that hold room and are not waiting: while
	// one is, room will be given back without anyone being refused.
	busy int
	seq  uint64
}

// Share is one request's room in the allowance.
type Share struct {
	a       *Allowance
	seq     uint64 // opening order: the newest is refused first
	held    int64
	waiting *waiter
	over    bool // alone and past the allowance: takes without counting
}

type waiter struct {
	acct     *Share
	min, max int64
	elem     *list.Element
	ready    chan struct{} // closed when answered
	got      int64
	err      error
}

// errNoRoom ends a body that found no room (a 429).
var errNoRoom = errors.New("no room in the memory allowed for request bodies")

// NewAllowance returns an allowance of total bytes.
func NewAllowance(total int64) *Allowance { return &Allowance{total: total} }

// Total is the room the allowance has.
func (a *Allowance) Total() int64 { return a.total }

// Waiting is the number of takes waiting for room.
func (a *Allowance) Waiting() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.waiters.Len()
}

// Open returns a new share of the allowance, holding no room.
func (a *Allowance) Open() *Share {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	return &Share{a: a, seq: a.seq}
}

// busyness is what c adds to a.busy.
func (c *Share) busyness() int {
	if c.held > 0 && c.waiting == nil {
		return 1
	}
	return 0
}

// change applies fn to c, keeping a.busy and a.used right.
func (a *Allowance) change(c *Share, fn func()) {
	before, held := c.busyness(), c.held
	fn()
	a.busy += c.busyness() - before
	a.used += c.held - held
}

// Take gives c between lo and hi of room (as much as is free), waiting
// for lo to be free up to wait or until stop is closed.
func (c *Share) Take(lo, hi int64, wait time.Duration, stop <-chan struct{}) (int64, error) {
	a := c.a
	a.mu.Lock()
	if c.over {
		a.mu.Unlock()
		return hi, nil
	}
	if free := a.total - a.used; free >= lo && a.waiters.Len() == 0 {
		got := min(free, hi)
		a.change(c, func() { c.held += got })
		a.mu.Unlock()
		return got, nil
	}
	w := &waiter{acct: c, min: lo, max: hi, ready: make(chan struct{})}
	a.change(c, func() { c.waiting, w.elem = w, a.waiters.PushBack(w) })
	a.refuseNewestIfStuckLocked()
	a.mu.Unlock()

	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-w.ready:
	case <-t.C:
	case <-stop:
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.waiting == w { // not answered: give up
		a.answerLocked(w, 0, errNoRoom)
		a.refuseNewestIfStuckLocked()
	}
	if c.over {
		return hi, nil
	}
	return w.got, w.err
}

// Give returns n of the room c took (nothing once it is over the
// allowance, where it took without counting).
func (c *Share) Give(n int64) {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if n > 0 && !c.over {
		a.change(c, func() { c.held -= n })
		a.grantLocked()
	}
}

// Close returns all of c's room.
func (c *Share) Close() {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	a.change(c, func() { c.held = 0 })
	a.grantLocked()
}

// answerLocked ends w's wait with got room, or err.
func (a *Allowance) answerLocked(w *waiter, got int64, err error) {
	c := w.acct
	a.change(c, func() {
		a.waiters.Remove(w.elem)
		c.waiting = nil
		c.held += got
	})
	w.got, w.err = got, err
	close(w.ready)
}

// grantLocked gives the waiters, in order, the room that is free.
func (a *Allowance) grantLocked() {
	for e := a.waiters.Front(); e != nil; e = a.waiters.Front() {
		w := e.Value.(*waiter)
		free := a.total - a.used
		if free < w.min {
			break
		}
		a.answerLocked(w, min(free, w.max), nil)
	}
	a.refuseNewestIfStuckLocked()
}

// refuseNewestIfStuckLocked refuses the newest waiting share that holds
// room when nothing else will give any back: every share holding room
// is waiting, and the first waiter does not fit. One holding all the room
// in use is let go on past the allowance instead.
func (a *Allowance) refuseNewestIfStuckLocked() {
	front := a.waiters.Front()
	if front == nil || a.busy > 0 || a.total-a.used >= front.Value.(*waiter).min {
		return
	}
	var newest *waiter
	for e := front; e != nil; e = e.Next() {
		if w := e.Value.(*waiter); w.acct.held > 0 && (newest == nil || w.acct.seq > newest.acct.seq) {
			newest = w
		}
	}
	switch {
	case newest == nil:
	case newest.acct.held == a.used:
		newest.acct.over = true
		a.answerLocked(newest, 0, nil)
	default:
		a.answerLocked(newest, 0, errNoRoom)
	}
}
