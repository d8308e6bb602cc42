package persist

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// Load reads the header of the state file at path. It reports false when
// there is no file; a file that cannot be read or parsed, anywhere in it,
// is an error (the caller must refuse to start rather than replace it), and
// so is a file that names an account twice or without its key. Accounts
// then reads the accounts.
func Load(path string) (*Loaded, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("state file %s: %w", path, err)
	}
	defer f.Close()
	l := &Loaded{path: path}
	if fi, err := f.Stat(); err == nil {
		l.size = fi.Size()
	}
	// A first pass checks the whole document and reads the header,
	// reading the accounts one at a time, keeping where each is (and,
	// up to keepBytes, small accounts read whole).
	seen := map[string]int{}
	err = l.walk(f, func(s split) error {
		a, at := s.a, s.at
		if first, dup := seen[a.Account]; dup {
			return fmt.Errorf("account %d (%s) appears twice: it is also account %d; keep one", at.index, secret.Fingerprint(a.Account), first)
		}
		seen[a.Account] = at.index
		l.extents = append(l.extents, at)
		var kept *accountdoc.AccountState
		if s.whole {
			kept = &a
		}
		l.kept = append(l.kept, kept)
		return nil
	})
	if err != nil {
		return nil, false, l.corrupt(err)
	}
	if l.State.Version < 1 || l.State.Version > Version {
		return nil, false, fmt.Errorf("state file %s has version %d; this server reads versions 1 to %d", path, l.State.Version, Version)
	}
	return l, true, nil
}

// Loaded is a state file whose header was read.
type Loaded struct {
	State State
	// Prepare, when set, is called with each account once read and its
	// collections decoded, on the reading goroutines, before Accounts hands
	// it to restore (the server makes its kept seeded histories there:
	// accountdoc.AccountState.PrepareSeeded). Calls run at once.
	Prepare func(*accountdoc.AccountState)

	path    string
	size    int64
	extents []extent // where each account is, in order
	// kept are the accounts the checking pass read whole (see
	// keepBytes), by position; nil where an account is to be read
	// again. Accounts takes each once.
	kept []*accountdoc.AccountState
}

// extent is where an account is in the file: its bytes from offset, and
// its position in the "accounts" array.
type extent struct {
	offset int64
	length int
	index  int
}

// Accounts reads the file's accounts in order and hands each to restore,
// stopping at the first error. Each is read where Load found it (but
// those Load read whole), and read strictly (every value is then read by
// what decodes it). An
// error that is an accountdoc.Problem (a value that breaks a rule) is
// reported as the file's corruption, naming the account by its position
// and its key's fingerprint; any other error is returned as it is.
//
// The accounts are read (or taken as Load read them whole) and their
// collections decoded (see
// accountdoc.AccountState.Prepare, pending jobs allowed) on every core,
// in runs of consecutive accounts (see batchBytes), a few runs ahead of
// restore, which is called one account at a time, in order: what it is
// handed and what Accounts returns are the same as read one after
// another. A file of at most smallFile bytes (its size), or on one core,
// is read on the calling goroutine.
func (l *Loaded) Accounts(restore func(accountdoc.AccountState) error) error {
	f, err := os.Open(l.path)
	if err != nil {
		return fmt.Errorf("state file %s: %w", l.path, err)
	}
	defer f.Close()
	workers := runtime.GOMAXPROCS(0)
	preparers := make([]accountdoc.Preparer, workers) // one a worker: each keeps its readers
	sizes := make([]int, len(l.extents))
	for i, at := range l.extents {
		sizes[i] = at.length
	}
	if l.small() {
		workers = 1
	}
	ahead := newReadAhead(sizes, batchBytes, workers, func(w, i int) (accountdoc.AccountState, error) {
		var a accountdoc.AccountState
		var err error
		if k := l.kept[i]; k != nil {
			a, l.kept[i] = *k, nil // read whole, checked, its key given
		} else {
			a, err = l.account(f, l.extents[i])
		}
		if err == nil {
			preparers[w].Prepare(&a, true)
			if l.Prepare != nil {
				l.Prepare(&a)
			}
		}
		return a, err
	})
	defer ahead.stop()
	for i, at := range l.extents {
		a, err := ahead.next(i)
		if err != nil {
			return err
		}
		err = restore(a)
		var p accountdoc.Problem
		switch {
		case errors.As(err, &p) && p.Pointer == "":
			return l.corrupt(fmt.Errorf("account %d (%s): %s", at.index, secret.Fingerprint(a.Account), p.Detail))
		case errors.As(err, &p):
			return l.corrupt(fmt.Errorf("account %d (%s): %s: %s", at.index, secret.Fingerprint(a.Account), p.Pointer, p.Detail))
		case err != nil:
			return err
		}
	}
	return nil
}

// account reads the account at at (its own bytes: what it hands out stays
// valid).
func (l *Loaded) account(f *os.File, at extent) (accountdoc.AccountState, error) {
	var a accountdoc.AccountState
	raw := make([]byte, at.length)
	if _, err := f.ReadAt(raw, at.offset); err != nil {
		return a, fmt.Errorf("state file %s: %w", l.path, err)
	}
	if err := a.UnmarshalJSON(raw); err != nil {
		return a, l.corrupt(fmt.Errorf("account %d (from byte offset %d): %w", at.index, at.offset, err))
	}
	if a.Account == "" {
		return a, l.corrupt(fmt.Errorf("account %d (from byte offset %d): \"account\", the account's key, is required", at.index, at.offset))
	}
	return a, nil
}

// small reports whether the file is small (at most smallFile bytes): both
// passes then read it on the loading goroutine.
func (l *Loaded) small() bool {
	return l.size > 0 && l.size <= smallFile
}

func (l *Loaded) corrupt(err error) error {
	return fmt.Errorf("state file %s is corrupt: %v (fix or remove it; it was left untouched)", l.path, err)
}

// Corrupt reports a value of the file's header that breaks a rule: member
// is its JSON pointer ("/clock"), err the rule.
func (l *Loaded) Corrupt(member string, err error) error {
	return l.corrupt(fmt.Errorf("%s: %v", member, err))
}
