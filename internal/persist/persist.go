// Package persist reads and writes the optional state file: the accounts
// that requests changed, and the clock. Writes are atomic (a temporary file
// in the same directory, synced, then renamed over the old one), so a crash
// during a save leaves the previous file intact.
package persist

import (
	"bufio"
	"bytes"
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

// Version is the state file format's version.
const Version = 1

// State is the content of a state file.
type State struct {
	Version  int                  `json:"version"`
	SavedAt  time.Time            `json:"saved_at"`
	Seed     uint64               `json:"seed"`
	Jobs     *int                 `json:"jobs,omitempty"`
	Clock    clock.State          `json:"clock"`
	Accounts []store.AccountState `json:"accounts"`
}

// Load reads the state file at path. It reports false when there is no
// file; a file that cannot be read or parsed is an error (the caller must
// refuse to start rather than replace it).
func Load(path string) (*State, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("state file %s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var st State
	if err := dec.Decode(&st); err != nil {
		return nil, false, fmt.Errorf("state file %s is corrupt: %v (fix or remove it; it was left untouched)", path, err)
	}
	if dec.More() {
		return nil, false, fmt.Errorf("state file %s is corrupt: data after the JSON document (fix or remove it; it was left untouched)", path)
	}
	if st.Version != Version {
		return nil, false, fmt.Errorf("state file %s has version %d; this server reads version %d", path, st.Version, Version)
	}
	return &st, true, nil
}

// Save writes st to path atomically.
func Save(path string, st *State) error {
	st.Version = Version
	return WriteAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(st)
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
