package persist

import (
	"fmt"
	"testing"
)

// TestSplitting_AccountsAreSplitInRunsThatFillTheBatch: accounts are
// handed to the splitting goroutines in runs of as many consecutive ones
// as fit in batch bytes, copied into one buffer a run (used again once
// the run is split); fewer accounts than a run are split by the goroutine
// that adds them, which starts none. Either way every account is checked,
// in order.
func TestSplitting_AccountsAreSplitInRunsThatFillTheBatch(t *testing.T) {
	for _, c := range []struct {
		batch, accounts  int
		started, maxMade int
	}{
		{batch: 1 << 20, accounts: 50, started: 0, maxMade: 1},
		{batch: 300, accounts: 200, started: 2, maxMade: 4}, // runs of 10 accounts (30 bytes each)
	} {
		var checked, want []string
		p := &splitting{window: 2, batch: c.batch, check: func(s split) error {
			checked = append(checked, s.a.Account)
			return s.err
		}}
		for i := range c.accounts {
			want = append(want, fmt.Sprintf("k%03d", i))
			raw := []byte(fmt.Sprintf(`{"account":"%s","items":[]}`, want[i])) // 30 bytes
			if err := p.add(extent{index: i}, raw, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.then(nil); err != nil {
			t.Fatal(err)
		}
		p.stop()
		if fmt.Sprint(checked) != fmt.Sprint(want) {
			t.Fatalf("batch %d: checked %v\nwant %v", c.batch, checked, want)
		}
		if p.started != c.started || p.made > c.maxMade {
			t.Errorf("batch %d, %d accounts: %d goroutines started (want %d), %d copies made (want at most %d)",
				c.batch, c.accounts, p.started, c.started, p.made, c.maxMade)
		}
	}
}

// TestSplitting_TheLastRunIsSplitWhereItIsAdded: the last run added,
// which the checking goroutine would only wait for, is split on that
// goroutine, even when it is full: an account that fills a run alone
// starts no goroutine.
func TestSplitting_TheLastRunIsSplitWhereItIsAdded(t *testing.T) {
	raw := []byte(`{"account":"k000","items":[]}`)
	for _, batch := range []int{0, len(raw)} {
		var checked []string
		p := &splitting{window: 2, batch: batch, check: func(s split) error {
			checked = append(checked, s.a.Account)
			return s.err
		}}
		err := p.add(extent{}, raw, false)
		if err == nil {
			err = p.then(nil)
		}
		p.stop()
		if err != nil || fmt.Sprint(checked) != "[k000]" || p.started != 0 {
			t.Errorf("batch %d: %v; checked %v; %d goroutines started", batch, err, checked, p.started)
		}
	}
}

// TestSplitting_OnOneCoreEveryRunIsSplitWhereItIsAdded: with inline set
// (one core, where another goroutine would only take turns with the one
// reading the file), no goroutine is started, and the first bad account
// is still the one reported.
func TestSplitting_OnOneCoreEveryRunIsSplitWhereItIsAdded(t *testing.T) {
	var checked int
	p := &splitting{window: 2, batch: 60, inline: true, check: func(s split) error {
		checked++
		return s.err
	}}
	defer p.stop()
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		raw := []byte(fmt.Sprintf(`{"account":"k%03d","items":[]}`, i))
		if i == 41 {
			raw = []byte(`{"account":"k041","items":[],}`)
		}
		err = p.add(extent{index: i}, raw, false)
	}
	if err == nil {
		err = p.then(nil)
	}
	if err == nil || checked != 42 || p.started != 0 {
		t.Fatalf("%v after %d accounts checked; %d goroutines started", err, checked, p.started)
	}
}

// TestSplitting_CopiesAreUsedAgain: the checking pass copies each account
// to split it on another core; a copy whose account was split is used
// again, so a file of many accounts makes about a window of them, not one
// per account; the goroutines splitting them are a window of them too.
func TestSplitting_CopiesAreUsedAgain(t *testing.T) {
	var checked, want []string
	p := &splitting{window: 2, check: func(s split) error {
		checked = append(checked, s.a.Account)
		return s.err
	}}
	defer p.stop()
	for i := range 50 {
		want = append(want, fmt.Sprintf("k%02d", i))
		raw := []byte(fmt.Sprintf(`{"account":"%s","items":[]}`, want[i]))
		if err := p.add(extent{index: i}, raw, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.then(nil); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(checked) != fmt.Sprint(want) {
		t.Fatalf("checked %v\nwant %v", checked, want)
	}
	if p.made > 2*p.window+1 {
		t.Errorf("%d copies made for 50 accounts, window %d", p.made, p.window)
	}
	// A goroutine per account grew its stack anew for each, reading a
	// compact account's kept members (4% of a load's CPU).
	if p.started > p.window {
		t.Errorf("%d goroutines started for 50 accounts, window %d", p.started, p.window)
	}
}
