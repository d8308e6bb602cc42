package persist

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
)

// TestReadAhead_HandsAccountsOutInOrderWithinItsWindow: whatever order the
// workers finish in, next hands account i out as the i-th, and no more
// than the window are ever read and not taken.
func TestReadAhead_HandsAccountsOutInOrderWithinItsWindow(t *testing.T) {
	const n, workers = 50, 3
	var taken, worst atomic.Int64
	r := newReadAhead(n, workers, func(i int) (accountdoc.AccountState, error) {
		if ahead := int64(i) - taken.Load() + 1; ahead > worst.Load() {
			worst.Store(ahead)
		}
		return accountdoc.AccountState{Account: fmt.Sprint(i)}, nil
	})
	defer r.stop()
	for i := range n {
		a, err := r.next(i)
		if err != nil || a.Account != fmt.Sprint(i) {
			t.Fatalf("next(%d) = %q, %v", i, a.Account, err)
		}
		taken.Add(1)
	}
	// next frees a slot just before the test counts the account taken.
	if w := worst.Load(); w > 2*workers+1 {
		t.Errorf("account %d ahead of the one taken was read; the window is %d", w, 2*workers)
	}
}

// TestReadAhead_StopsWhenTheReaderStopsEarly: a reader that stops at an
// error leaves no worker behind (stop returns), however many accounts
// remain.
func TestReadAhead_StopsWhenTheReaderStopsEarly(t *testing.T) {
	bad := errors.New("bad")
	var reads atomic.Int64
	r := newReadAhead(10000, 4, func(i int) (accountdoc.AccountState, error) {
		reads.Add(1)
		if i == 2 {
			return accountdoc.AccountState{}, bad
		}
		return accountdoc.AccountState{}, nil
	})
	for i := 0; ; i++ {
		if _, err := r.next(i); err != nil {
			if !errors.Is(err, bad) || i != 2 {
				t.Fatalf("next(%d): %v", i, err)
			}
			break
		}
	}
	r.stop()
	if n := reads.Load(); n > 3+8 {
		t.Errorf("%d accounts were read after the reader stopped at the third", n)
	}
}
