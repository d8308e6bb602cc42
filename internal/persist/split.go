package persist

import "github.com/klaviyo-mock/mockserver/internal/accountdoc"

// splitting splits accounts in runs of consecutive ones, on other
// goroutines, at most window runs at a time, and checks them in the order
// they were added. A run is as many accounts as fit in batch bytes (see
// endsBefore), handed out when the next account is added; the last run,
// full or not, which the checking goroutine would only wait for, is split
// on that goroutine (then), and so is every run when inline is set (a
// small file, or one core, where another goroutine would only take turns
// with it). Its goroutines (window of them, started at the first
// run handed out) read run after run, so each grows its stack once; stop
// ends them.
type splitting struct {
	window  int
	batch   int
	inline  bool
	check   func(split) error
	pending []chan []split
	work    chan func()
	free    chan []byte // copies whose run was split, to use again
	// run is the accounts added and not yet handed out, runBytes their
	// size; those neither settled nor read whole are copied into runCopy.
	run      []toSplit
	runBytes int
	runCopy  []byte
	made     int   // copies made (tests)
	started  int   // goroutines started (tests)
	copied   int64 // bytes copied (tests)
	// keep is how many bytes of accounts of at most keepAccount bytes
	// may still be read whole, on copies of their own, for the restore
	// to take as they are (see keepBytes).
	keep int64
}

// toSplit is an account added to a run: its bytes (own), or, when own is
// nil, where they are in the run's copy (from, to).
type toSplit struct {
	at       extent
	own      []byte
	from, to int
	whole    bool
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

// add adds raw, the account at at, to the run being gathered, handing
// that run out first when it ends before raw (see endsBefore: raw does not
// fit, or the run is full; a run handed out waits, when window are being
// split, for the oldest to be checked). The last run stays for then. raw is copied unless it is settled (it
// stays valid for good: the file was read to its end). A small account is
// read whole while the keep budget lasts, on a copy of its own; another is
// checked (accountdoc.AccountState.CheckJSON, which keeps nothing of it:
// the run's copy is then used again).
func (p *splitting) add(at extent, raw []byte, settled bool) error {
	if endsBefore(len(p.run), p.runBytes, len(raw), p.batch) {
		if err := p.hand(p.inline); err != nil {
			return err
		}
	}
	whole := len(raw) <= keepAccount && int64(len(raw)) <= p.keep
	if whole {
		p.keep -= int64(len(raw))
	}
	if !settled {
		p.copied += int64(len(raw))
	}
	t := toSplit{at: at, whole: whole}
	switch {
	case settled:
		t.own = raw
	case whole:
		t.own = append([]byte(nil), raw...)
	default:
		if p.runCopy == nil {
			p.runCopy = p.buffer(max(p.batch, len(raw)))
		}
		t.from = len(p.runCopy)
		p.runCopy = append(p.runCopy, raw...)
		t.to = len(p.runCopy)
	}
	p.run, p.runBytes = append(p.run, t), p.runBytes+len(raw)
	return nil
}

// hand hands the run gathered out to a goroutine, or splits it here when
// here is set, after checking the oldest runs while window are pending.
func (p *splitting) hand(here bool) error {
	for len(p.pending) >= max(1, p.window) {
		if err := p.checkOldest(); err != nil {
			return err
		}
	}
	run, copied := p.run, p.runCopy
	p.run, p.runBytes, p.runCopy = nil, 0, nil
	ch := make(chan []split, 1)
	p.pending = append(p.pending, ch)
	free := p.free
	if here {
		ch <- splitRun(run, copied, free)
		return nil
	}
	p.start(func() { ch <- splitRun(run, copied, free) })
	return nil
}

// splitRun reads each account of run whole, or checks it, stopping after
// the first error; the run's copy (when not nil) then goes to free (when
// not nil) to be used again.
func splitRun(run []toSplit, copied []byte, free chan []byte) []split {
	out := make([]split, 0, len(run))
	for _, t := range run {
		own := t.own
		if own == nil {
			own = copied[t.from:t.to:t.to]
		}
		out = append(out, splitOne(t.at, own, t.whole))
		if out[len(out)-1].err != nil {
			break
		}
	}
	if copied != nil && free != nil {
		select {
		case free <- copied[:0]:
		default:
		}
	}
	return out
}

// splitOne reads the account own at at whole, or checks it.
func splitOne(at extent, own []byte, whole bool) split {
	var a accountdoc.AccountState
	if whole {
		err := a.UnmarshalJSON(own) // the same error as CheckJSON's
		return split{at: at, a: a, whole: true, err: err}
	}
	err := a.CheckJSON(own)
	return split{at: at, a: a, err: err}
}

// start hands fn to one of the splitting's goroutines, started at the
// first call: at most window runs are pending, so one is free or about to
// be.
func (p *splitting) start(fn func()) {
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

// stop ends the splitting's goroutines once they finish the runs handed
// to them (their results are then dropped unless checked).
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

// checkOldest checks the accounts of the oldest run pending, in order.
func (p *splitting) checkOldest() error {
	ch := p.pending[0]
	p.pending = p.pending[1:]
	for _, s := range <-ch {
		if err := p.check(s); err != nil {
			return err
		}
	}
	return nil
}

// then splits the run still gathered here, checks every account added,
// in order, and returns the first error, or err when there is none: what
// was found after them.
func (p *splitting) then(err error) error {
	if len(p.run) > 0 {
		if herr := p.hand(true); herr != nil {
			return herr
		}
	}
	for len(p.pending) > 0 {
		if cerr := p.checkOldest(); cerr != nil {
			return cerr
		}
	}
	return err
}
