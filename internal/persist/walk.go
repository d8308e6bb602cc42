package persist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
)

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
