package persist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// walk reads the document: header members into l.State, and each element
// of "accounts" through account, with where it is. Every value is checked
// as encoding/json checks it (jsonw.ValueEnd); an account is split into
// its members without splitting or decoding its entity documents (see
// accountdoc.AccountState.CheckJSON), and valid only during the call,
// unless it was read whole (split.whole, see keepBytes): it is then
// valid for good.
func (l *Loaded) walk(r io.Reader, account func(split) error) error {
	d := newDocReader(r)
	d.size = l.size
	if _, err := d.delim("{"); err != nil {
		return l.where(err)
	}
	var st State
	for first := true; ; first = false {
		if c, err := d.peek(); err != nil {
			return l.where(err)
		} else if c == '}' && first {
			d.pos++
			break
		}
		key, err := l.memberName(d)
		if err != nil {
			return err
		}
		if err := l.member(d, &st, key, account); err != nil {
			return err
		}
		if c, err := d.delim(",}"); err != nil {
			return l.where(err)
		} else if c == '}' {
			break
		}
	}
	if end, err := d.atEOF(); err != nil || !end {
		return fmt.Errorf("data after the JSON document, at byte offset %d", d.offset())
	}
	l.State = st
	return nil
}

// memberName reads a member's name and its colon.
func (l *Loaded) memberName(d *docReader) (string, error) {
	at := d.offset()
	raw, err := d.value()
	if err != nil {
		return "", l.where(err)
	}
	var key string
	if raw[0] != '"' || json.Unmarshal(raw, &key) != nil {
		return "", fmt.Errorf("expected a member name at byte offset %d", at)
	}
	if _, err := d.delim(":"); err != nil {
		return "", l.where(err)
	}
	return key, nil
}

// member reads the value of the header member key into st, or the
// accounts.
func (l *Loaded) member(d *docReader, st *State, key string, account func(split) error) error {
	var dst any
	switch key {
	case "version":
		dst = &st.Version
	case "saved_at":
		dst = &st.SavedAt
	case "seed":
		dst = &st.Seed
	case "jobs":
		dst = &st.Jobs
	case "clock":
		dst = &st.Clock
	case "accounts":
		return l.accounts(d, account)
	default:
		return fmt.Errorf("unknown member %q at byte offset %d", key, d.offset())
	}
	at := d.offset()
	raw, err := d.value()
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err = dec.Decode(dst); err != nil {
			err = fmt.Errorf("at byte offset %d: %w", at, err)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", key, l.where(err))
	}
	return nil
}

// accounts reads the "accounts" array. Each must name its account, and
// no account twice. The accounts' bytes are copied (unless the file was
// read whole) and split into members (accountdoc.AccountState.CheckJSON)
// in runs (see batchBytes) on other cores while the next run is read, at
// most a few runs at a time (the last run, and every run of a file of at
// most smallFile bytes (small) or on one core, on this goroutine); their results are checked, and handed to
// account, in order, so the first error is the one a reading of one
// account after another finds.
func (l *Loaded) accounts(d *docReader, account func(split) error) error {
	if _, err := d.delim("["); err != nil {
		return fmt.Errorf("accounts: %w", l.where(err))
	}
	if c, err := d.peek(); err != nil {
		return fmt.Errorf("accounts: %w", l.where(err))
	} else if c == ']' {
		d.pos++
		return nil
	}
	procs := runtime.GOMAXPROCS(0)
	p := &splitting{window: 2 * procs, batch: batchBytes, inline: procs == 1 || l.small(), check: l.checked(account), keep: keepBytes}
	defer p.stop()
	for i := 0; ; i++ {
		_, err := d.peek() // the account starts after whitespace
		from := d.offset()
		var raw []byte
		if err == nil {
			raw, err = d.value()
		}
		if err != nil {
			return p.then(fmt.Errorf("account %d (from byte offset %d): %w", i, from, l.where(err)))
		}
		if err := p.add(extent{offset: from, length: len(raw), index: i}, raw, d.settled()); err != nil {
			return err
		}
		if c, err := d.delim(",]"); err != nil {
			return p.then(fmt.Errorf("accounts: %w", l.where(err)))
		} else if c == ']' {
			return p.then(nil)
		}
	}
}

// checked returns the check of an account split: it must have split
// without error and name its account; then account sees it.
func (l *Loaded) checked(account func(split) error) func(split) error {
	return func(s split) error {
		if s.err != nil {
			return fmt.Errorf("account %d (from byte offset %d): %w", s.at.index, s.at.offset, l.where(s.err))
		}
		if s.a.Account == "" {
			return fmt.Errorf("account %d (from byte offset %d): \"account\", the account's key, is required", s.at.index, s.at.offset)
		}
		return account(s)
	}
}

// where says where a file that ends early ends (its size): it was cut
// short. Other errors are returned as they are; the caller says where.
func (l *Loaded) where(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the file ends at byte %d, inside the document: it was cut short (a closing '}' or ']' is missing)", l.size)
	}
	return err
}
