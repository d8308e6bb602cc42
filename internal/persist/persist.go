// Package persist reads and writes the optional state file: the accounts
// that requests changed, each an account document (internal/accountdoc),
// and the clock. Writes are atomic (a temporary file in the same
// directory, synced, then renamed over the old one), so a crash during a
// save leaves the previous file intact; the file is readable by its owner
// only (mode 0600), as it holds whole API keys. One process owns a state
// file at a time (Acquire).
package persist

import (
	"encoding/json"
	"io"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Version is the state file format's version: 6 keeps the created time
// of entities whose documents do not show one (a category's, which
// orders the categories' lists) in a member "created"; 5 names the entity
// collections whose seeded entities are kept ("seeded_catalog") instead of
// writing their seeded entities out; 4 writes a running clock as
// its reading and the machine's time then ("at", "real") instead of its
// offset from real time, which a time.Duration bounds to about 292 years;
// 3 names the job collections whose seeded history is kept
// ("seeded_jobs") instead of writing their seeded jobs out; 2 holds every
// collection by name; version 1 files (jobs and items only) are still
// read, and so are 2's, 3's, 4's and 5's.
const Version = 6

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
			if err := accountdoc.WriteState(w, ex); err != nil {
				return err
			}
		}
		_, err = io.WriteString(w, "]}\n")
		return err
	})
}
