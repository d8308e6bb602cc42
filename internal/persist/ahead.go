package persist

import (
	"sync"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
)

// readAhead reads accounts 0 to n-1 with read on several goroutines, a
// bounded number ahead of the one taking them in order (next): at most
// window accounts are read and not yet taken.
type readAhead struct {
	results []chan readResult
	slots   chan struct{} // one per account being read or read and not taken
	done    chan struct{} // closed by stop
	wg      sync.WaitGroup
}

// readResult is one account read.
type readResult struct {
	a   accountdoc.AccountState
	err error
}

// newReadAhead starts workers goroutines reading the n accounts in order
// of their index, each as it gets a slot of a window of 2×workers; read
// is told which worker (0 to workers-1) calls it.
func newReadAhead(n, workers int, read func(worker, i int) (accountdoc.AccountState, error)) *readAhead {
	workers = max(1, min(workers, n))
	r := &readAhead{results: make([]chan readResult, n), slots: make(chan struct{}, 2*workers), done: make(chan struct{})}
	for i := range r.results {
		r.results[i] = make(chan readResult, 1)
	}
	var mu sync.Mutex
	nextIndex := 0
	for w := range workers {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for {
				select {
				case r.slots <- struct{}{}:
				case <-r.done:
					return
				}
				mu.Lock()
				i := nextIndex
				nextIndex++
				mu.Unlock()
				if i >= n {
					return
				}
				a, err := read(w, i)
				r.results[i] <- readResult{a, err}
			}
		}()
	}
	return r
}

// next waits for account i (taken in order, from 0) and frees its slot.
func (r *readAhead) next(i int) (accountdoc.AccountState, error) {
	res := <-r.results[i]
	<-r.slots
	return res.a, res.err
}

// stop ends the workers (each finishes the account it reads) and waits
// for them.
func (r *readAhead) stop() {
	close(r.done)
	r.wg.Wait()
}

// splitting splits accounts on other goroutines, at most window at a time,
// and checks them in the order they were added. Its goroutines (window of
// them, started at the first account) read account after account, so each
// grows its stack once; stop ends them.
type splitting struct {
	window  int
	check   func(split) error
	pending []chan split
	work    chan func()
	free    chan []byte // copies whose account was split, to use again
	made    int         // copies made (tests)
	started int         // goroutines started (tests)
	copied  int64       // bytes copied (tests)
	// keep is how many bytes of accounts of at most keepAccount bytes
	// may still be read whole, on copies of their own, for the restore
	// to take as they are (see keepBytes).
	keep int64
}

// Accounts of at most keepAccount bytes are read whole by the checking
// pass, as long as those read so take no more than keepBytes of the file:
// the restore then takes them as they are instead of reading them again.
// A compact account (what a server writes of an account whose seeded
// collections are as seeded but for a few changes) is a few KB, most of
// what a load reads per account being spent on reading it; a file of
// large accounts is read twice, holding only a few at a time. Those kept
// are held until the restore takes them, beside the memory budget (the
// smallest is 64 MiB): 4 MB of them are about a thousand compact
// accounts.
const (
	keepAccount = 64 << 10
	keepBytes   = 4 << 20
)

// split is an account split into its members, or why it could not be.
type split struct {
	at extent
	a  accountdoc.AccountState
	// whole: a was read whole (accountdoc.AccountState.UnmarshalJSON) on a
	// copy of its own, which it refers to.
	whole bool
	err   error
}

// add starts checking raw, the account at at, after checking the oldest
// accounts added while window are being split: a copy of it, unless it
// is settled (it stays valid for good: the file was read to its end). A
// small account is read whole while the keep budget lasts; another is
// checked (accountdoc.AccountState.CheckJSON, which keeps nothing of it:
// a copy is then used again).
func (p *splitting) add(at extent, raw []byte, settled bool) error {
	for len(p.pending) >= p.window {
		if err := p.checkOldest(); err != nil {
			return err
		}
	}
	whole := len(raw) <= keepAccount && int64(len(raw)) <= p.keep
	var own []byte
	switch {
	case settled:
		own = raw
	case whole:
		own = append([]byte(nil), raw...)
	default:
		own = append(p.buffer(len(raw)), raw...)
	}
	if whole {
		p.keep -= int64(len(raw))
	}
	if !settled {
		p.copied += int64(len(raw))
	}
	ch := make(chan split, 1)
	p.pending = append(p.pending, ch)
	free := p.free
	if settled {
		free = nil // own is the reader's: never written into
	}
	p.run(func() { ch <- splitOne(at, own, whole, free) })
	return nil
}

// splitOne reads the account own at at whole, or checks it; a copy only
// checked goes to free (when not nil) to be used again.
func splitOne(at extent, own []byte, whole bool, free chan []byte) split {
	var a accountdoc.AccountState
	if whole {
		err := a.UnmarshalJSON(own) // the same error as CheckJSON's
		return split{at: at, a: a, whole: true, err: err}
	}
	err := a.CheckJSON(own)
	if free != nil {
		select {
		case free <- own[:0]:
		default:
		}
	}
	return split{at: at, a: a, err: err}
}

// run hands fn to one of the splitting's goroutines, started at the first
// call: at most window accounts are pending, so one is free or about to be.
func (p *splitting) run(fn func()) {
	if p.work == nil {
		p.work = make(chan func())
		for range max(1, p.window) {
			p.started++
			go func(work <-chan func()) {
				for fn := range work {
					fn()
				}
			}(p.work)
		}
	}
	p.work <- fn
}

// stop ends the splitting's goroutines once they finish the accounts
// handed to them (their results are then dropped unless checked).
func (p *splitting) stop() {
	if p.work != nil {
		close(p.work)
		p.work = nil
	}
}

// buffer returns an empty buffer for n bytes: a copy used before when one
// is free and large enough.
func (p *splitting) buffer(n int) []byte {
	if p.free == nil {
		p.free = make(chan []byte, p.window+1)
	}
	select {
	case b := <-p.free:
		if cap(b) >= n {
			return b
		}
	default:
	}
	p.made++
	return make([]byte, 0, n+n/8) // room for a somewhat larger account next time
}

func (p *splitting) checkOldest() error {
	ch := p.pending[0]
	p.pending = p.pending[1:]
	return p.check(<-ch)
}

// then checks every account added, in order, and returns the first error,
// or err when there is none: what was found after them.
func (p *splitting) then(err error) error {
	for len(p.pending) > 0 {
		if cerr := p.checkOldest(); cerr != nil {
			return cerr
		}
	}
	return err
}
