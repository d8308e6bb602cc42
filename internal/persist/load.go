package persist

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

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
	// decoding the accounts one at a time and dropping each.
	seen := map[string]int{}
	err = l.walk(bufio.NewReaderSize(f, 1<<20), func(i int, a accountdoc.AccountState) error {
		if first, dup := seen[a.Account]; dup {
			return fmt.Errorf("account %d (%s) appears twice: it is also account %d; keep one", i, secret.Fingerprint(a.Account), first)
		}
		seen[a.Account] = i
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
	path  string
	size  int64
}

// Accounts reads the file's accounts in order and hands each to restore,
// stopping at the first error. An error that is an accountdoc.Problem (a value
// that breaks a rule) is reported as the file's corruption, naming the
// account by its position and its key's fingerprint; any other error is
// returned as it is.
func (l *Loaded) Accounts(restore func(accountdoc.AccountState) error) error {
	f, err := os.Open(l.path)
	if err != nil {
		return fmt.Errorf("state file %s: %w", l.path, err)
	}
	defer f.Close()
	var restoreErr error
	err = l.walk(bufio.NewReaderSize(f, 1<<20), func(i int, a accountdoc.AccountState) error {
		err := restore(a)
		var p accountdoc.Problem
		switch {
		case errors.As(err, &p) && p.Pointer == "":
			restoreErr = l.corrupt(fmt.Errorf("account %d (%s): %s", i, secret.Fingerprint(a.Account), p.Detail))
		case errors.As(err, &p):
			restoreErr = l.corrupt(fmt.Errorf("account %d (%s): %s: %s", i, secret.Fingerprint(a.Account), p.Pointer, p.Detail))
		case err != nil:
			restoreErr = err
		}
		return restoreErr
	})
	if restoreErr != nil {
		return restoreErr
	}
	if err != nil {
		return l.corrupt(err)
	}
	return nil
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
// of "accounts" through account, with its position.
func (l *Loaded) walk(r io.Reader, account func(int, accountdoc.AccountState) error) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := l.expectDelim(dec, '{'); err != nil {
		return err
	}
	var st State
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return l.at(dec, err)
		}
		key, _ := tok.(string)
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
			if err := l.accounts(dec, account); err != nil {
				return err
			}
			continue
		default:
			return fmt.Errorf("unknown member %q at byte offset %d", key, dec.InputOffset())
		}
		if err := dec.Decode(dst); err != nil {
			return fmt.Errorf("%s: %w", key, l.at(dec, err))
		}
	}
	if err := l.expectDelim(dec, '}'); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the JSON document, at byte offset %d", dec.InputOffset())
	}
	l.State = st
	return nil
}

// accounts reads the "accounts" array, one account at a time (never more
// than one held). Each must name its account, and no account twice.
func (l *Loaded) accounts(dec *json.Decoder, account func(int, accountdoc.AccountState) error) error {
	if err := l.expectDelim(dec, '['); err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	for i := 0; dec.More(); i++ {
		from := dec.InputOffset()
		var a accountdoc.AccountState
		if err := dec.Decode(&a); err != nil {
			return fmt.Errorf("account %d (from byte offset %d): %w", i, from, l.where(err))
		}
		if a.Account == "" {
			return fmt.Errorf("account %d (from byte offset %d): \"account\", the account's key, is required", i, from)
		}
		if err := account(i, a); err != nil {
			return err
		}
	}
	if err := l.expectDelim(dec, ']'); err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	return nil
}

// at says where a decoding error happened: at the decoder's offset, or
// where a file that ends early ends.
func (l *Loaded) at(dec *json.Decoder, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return l.where(err)
	}
	return fmt.Errorf("at byte offset %d: %w", dec.InputOffset(), err)
}

// where says where a file that ends early ends (its size): it was cut
// short. Other errors are returned as they are; the caller says where.
func (l *Loaded) where(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the file ends at byte %d, inside the document: it was cut short (a closing '}' or ']' is missing)", l.size)
	}
	return err
}

func (l *Loaded) expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return l.at(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q at byte offset %d, got %v", want, dec.InputOffset(), tok)
	}
	return nil
}
