// Package persist reads and writes the optional state file: the accounts
// that requests changed, and the clock. Writes are atomic (a temporary file
// in the same directory, synced, then renamed over the old one), so a crash
// during a save leaves the previous file intact.
package persist

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Version is the state file format's version: 4 writes a running clock as
// its reading and the machine's time then ("at", "real") instead of its
// offset from real time, which a time.Duration bounds to about 292 years;
// 3 names the job collections whose seeded history is kept
// ("seeded_jobs") instead of writing their seeded jobs out; 2 holds every
// collection by name; version 1 files (jobs and items only) are still
// read, and so are 2's and 3's.
const Version = 4

// State is the content of a state file. Accounts are written and read one
// at a time (Save streams them, Load hands each to a callback), so neither
// side ever holds the whole file in memory.
type State struct {
	Version int         `json:"version"`
	SavedAt time.Time   `json:"saved_at"`
	Seed    uint64      `json:"seed"`
	Jobs    *int        `json:"jobs,omitempty"`
	Clock   clock.State `json:"clock"`
}

// Load reads the header of the state file at path. It reports false when
// there is no file; a file that cannot be read or parsed, anywhere in it,
// is an error (the caller must refuse to start rather than replace it).
// Accounts then reads the accounts.
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
	// A first pass checks the whole document and reads the header,
	// decoding the accounts one at a time and dropping each.
	if err := l.walk(bufio.NewReaderSize(f, 1<<20), nil); err != nil {
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
}

// Accounts reads the file's accounts in order and hands each to restore,
// stopping at the first error.
func (l *Loaded) Accounts(restore func(store.AccountState) error) error {
	f, err := os.Open(l.path)
	if err != nil {
		return fmt.Errorf("state file %s: %w", l.path, err)
	}
	defer f.Close()
	var restoreErr error
	err = l.walk(bufio.NewReaderSize(f, 1<<20), func(dec *json.Decoder) error {
		var a store.AccountState
		if err := dec.Decode(&a); err != nil {
			return err
		}
		if err := restore(a); err != nil {
			restoreErr = err
			return err
		}
		return nil
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

// walk reads the document: header members into l.State, and each element
// of "accounts" through account (skipped when nil).
func (l *Loaded) walk(r io.Reader, account func(*json.Decoder) error) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	var st State
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
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
			if err := expectDelim(dec, '['); err != nil {
				return err
			}
			for dec.More() {
				if account != nil {
					err = account(dec)
				} else {
					// Checked one at a time (never more than one held).
					var a store.AccountState
					err = dec.Decode(&a)
				}
				if err != nil {
					return err
				}
			}
			if err := expectDelim(dec, ']'); err != nil {
				return err
			}
			continue
		default:
			return fmt.Errorf("unknown member %q", key)
		}
		if err := dec.Decode(dst); err != nil {
			return err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON document")
	}
	l.State = st
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, got %v", want, tok)
	}
	return nil
}

// Save writes st and the accounts to path atomically, one account and one
// object at a time.
func Save(path string, st *State, accounts []store.Export) error {
	st.Version = Version
	return WriteAtomic(path, func(w io.Writer) error {
		head, err := json.Marshal(st)
		if err != nil {
			return err
		}
		if _, err := w.Write(head[:len(head)-1]); err != nil { // without the closing brace
			return err
		}
		if _, err := io.WriteString(w, `,"accounts":[`); err != nil {
			return err
		}
		for i, ex := range accounts {
			if i > 0 {
				if _, err := io.WriteString(w, ",\n"); err != nil {
					return err
				}
			}
			if err := ex.WriteState(w); err != nil {
				return err
			}
		}
		_, err = io.WriteString(w, "]}\n")
		return err
	})
}

// tempPattern is the name of WriteAtomic's temporary files beside path.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// RemoveStale removes the temporary files a save into path left behind when
// the process was killed mid-write (nothing else ever reads them). It
// returns how many it removed.
func RemoveStale(path string) (int, error) {
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range matches {
		if fi, err := os.Lstat(m); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if err := os.Remove(m); err != nil {
			return n, fmt.Errorf("remove stale %s: %w", m, err)
		}
		n++
	}
	return n, nil
}

// WriteAtomic writes a file through write: into a temporary file beside
// path, flushed and synced, then renamed over path. If write fails (or the
// process dies) the old file is untouched and the temporary file removed
// (or left with a ".tmp-" name that Load never reads and RemoveStale
// removes).
func WriteAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
