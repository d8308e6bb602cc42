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
// of their index, each as it gets a slot of a window of 2×workers.
func newReadAhead(n, workers int, read func(i int) (accountdoc.AccountState, error)) *readAhead {
	workers = max(1, min(workers, n))
	r := &readAhead{results: make([]chan readResult, n), slots: make(chan struct{}, 2*workers), done: make(chan struct{})}
	for i := range r.results {
		r.results[i] = make(chan readResult, 1)
	}
	var mu sync.Mutex
	nextIndex := 0
	for range workers {
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
				a, err := read(i)
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
