package persist

import (
	"sync"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
)

// A load reads a small file on the goroutine that loads it, and a larger
// one on every core in runs of consecutive accounts. Each handoff to
// another goroutine can wake an idle core, whose thread spins looking for
// work before it sleeps again: a compact account (about 3 KB) is read in
// about a tenth of a millisecond, and handing 100 of them (0.3 MB) out one
// by one, four handoffs an account, made what reading the file adds to a
// start cost about 30% more CPU on two cores than on one (the mean of 150
// alternated starts: 20.1 against 15.6 ms; 17.1 read on one goroutine).
//
//   - smallFile: a file of at most this many bytes is read on one
//     goroutine (about 170 compact accounts);
//   - batchBytes: a run is as many consecutive accounts as fit in this
//     many bytes (about 20 compact accounts, a few milliseconds of work,
//     so that the first run read, which the restore waits for, is short);
//     an account that does not fit alone, as one of the default catalog
//     written out whole (about 450 KB), is a run of its own, as before.
const (
	smallFile  = 512 << 10
	batchBytes = 64 << 10
)

// endsBefore reports whether a run of n accounts of sum bytes ends before
// an account of size bytes. A run is as many consecutive accounts as fit
// in batch bytes: it ends before an account that would not fit in it, and
// after one that fills it; an account that does not fit alone is a run of
// its own (batch 0: each account is).
func endsBefore(n, sum, size, batch int) bool {
	return n > 0 && (sum >= batch || sum+size > batch)
}

// readAhead reads accounts 0 to n-1 with read, in runs of consecutive
// accounts, on several goroutines, a bounded number of runs ahead of the
// one taking the accounts in order (next): at most window runs are read
// and not yet taken. With one worker, or one run, there is
// no other goroutine: next reads each account itself.
type readAhead struct {
	read    func(worker, i int) (accountdoc.AccountState, error)
	ends    []int               // run b is accounts ends[b-1] (0 for the first) to ends[b]-1
	results []chan []readResult // by run; nil: next reads
	slots   chan struct{}       // one per run being read or read and not taken
	done    chan struct{}       // closed by stop
	wg      sync.WaitGroup
	got     []readResult // the run being taken, from account from
	from    int
	taken   int // runs taken
}

// readResult is one account read.
type readResult struct {
	a   accountdoc.AccountState
	err error
}

// newReadAhead reads the accounts whose sizes (in bytes) are given, in
// order of their index, in runs of as many as fit in batch bytes (see
// endsBefore): it starts up to workers goroutines, each reading a
// run as it gets a slot of a window of 2×workers runs, or none when one
// would read them all. read is told which worker (0 to workers-1) calls it, and
// is called for each account of a run in order until it returns an error.
func newReadAhead(sizes []int, batch, workers int, read func(worker, i int) (accountdoc.AccountState, error)) *readAhead {
	r := &readAhead{read: read, done: make(chan struct{})}
	for i, n, sum := 0, 0, 0; i < len(sizes); i++ {
		if endsBefore(n, sum, sizes[i], batch) {
			r.ends, n, sum = append(r.ends, i), 0, 0
		}
		n, sum = n+1, sum+sizes[i]
	}
	if len(sizes) > 0 {
		r.ends = append(r.ends, len(sizes))
	}
	workers = min(workers, len(r.ends))
	if workers <= 1 {
		return r
	}
	r.results, r.slots = make([]chan []readResult, len(r.ends)), make(chan struct{}, 2*workers)
	for b := range r.results {
		r.results[b] = make(chan []readResult, 1)
	}
	var mu sync.Mutex
	nextRun := 0
	for w := range workers {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for {
				select { // stopped: no further run, even with a slot free
				case <-r.done:
					return
				default:
				}
				select {
				case r.slots <- struct{}{}:
				case <-r.done:
					return
				}
				mu.Lock()
				b := nextRun
				nextRun++
				mu.Unlock()
				if b >= len(r.ends) {
					return
				}
				r.results[b] <- r.readRun(w, b)
			}
		}()
	}
	return r
}

// firstOf is the index of run b's first account.
func (r *readAhead) firstOf(b int) int {
	if b == 0 {
		return 0
	}
	return r.ends[b-1]
}

// readRun reads the accounts of run b, stopping after the first error.
func (r *readAhead) readRun(w, b int) []readResult {
	out := make([]readResult, 0, r.ends[b]-r.firstOf(b))
	for i := r.firstOf(b); i < r.ends[b]; i++ {
		a, err := r.read(w, i)
		out = append(out, readResult{a, err})
		if err != nil {
			break
		}
	}
	return out
}

// next returns account i, taken in order from 0 until the first error
// (and frees its run's slot once the run is taken).
func (r *readAhead) next(i int) (accountdoc.AccountState, error) {
	if r.results == nil {
		return r.read(0, i)
	}
	if i-r.from >= len(r.got) {
		r.got, r.from = <-r.results[r.taken], r.firstOf(r.taken)
		r.taken++
		<-r.slots
	}
	res := r.got[i-r.from]
	r.got[i-r.from] = readResult{} // held by the caller from now on
	return res.a, res.err
}

// stop ends the workers (each finishes the run it reads and starts no
// other) and waits for them.
func (r *readAhead) stop() {
	close(r.done)
	r.wg.Wait()
}
