package server

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/persist"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// fuzzMachine is the machine's time for FuzzStateFile's servers: a
// running clock restored from a file then reads the same at every save.
var fuzzMachine = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// FuzzStateFile starts a server on a state file of arbitrary bytes (its
// seed corpus in testdata/fuzz/FuzzStateFile: a valid file with a changed
// account, its jobs and a running clock; the same with a clock at 9999, with
// an account listed twice, cut short; a version 1 file; a key outside
// printable ASCII; two accounts, whose order of use a load must keep). The server must refuse the file with an error, leaving
// it untouched, or load it; then what it saves must load in a second
// server, which must save the same bytes: it never panics, and never
// loads a file it cannot save and read back as it was.
func FuzzStateFile(f *testing.F) {
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := cfgWith(t, "--state-file="+path, "--items=4", "--variants=4", "--categories=2", "--job-transition=duration", "--job-duration=1h")
		first, err := New(cfg, nil, clock.NewFrozenOn(fuzzMachine, func() time.Time { return fuzzMachine }))
		if err != nil {
			if b, _ := os.ReadFile(path); !bytes.Equal(b, content) {
				t.Fatalf("a refused state file was changed (%v)", err)
			}
			return
		}
		in := accountsIn(t, path)
		saved := saveAndClose(t, first, "the first server, which loaded the file")
		if out := accountsIn(t, path); in != out {
			t.Fatalf("the file loaded names %d accounts (keys in printable ASCII), the save %d:\n%.2000s", in, out, content)
		}
		second, err := New(cfg, nil, clock.NewFrozenOn(fuzzMachine, func() time.Time { return fuzzMachine }))
		if err != nil {
			t.Fatalf("the server refused the state file it saved: %v\nloaded:\n%.2000s\nsaved:\n%.2000s", err, content, saved)
		}
		if again := saveAndClose(t, second, "the second server"); !bytes.Equal(again, saved) {
			t.Fatalf("a saved state file loaded back differently:\nsaved:\n%.2000s\nsaved again:\n%.2000s", saved, again)
		}
	})
}

// accountsIn counts the accounts of the state file at path that have a key
// in printable ASCII (those with another key are left out, and the log
// says so): each must be saved again, none dropped or merged.
func accountsIn(t *testing.T, path string) int {
	t.Helper()
	l, ok, err := persist.Load(path)
	if err != nil || !ok {
		t.Fatalf("a state file that loaded cannot be read again: %v", err)
	}
	n := 0
	if err := l.Accounts(func(a accountdoc.AccountState) error {
		if secret.BadByte(a.Account) < 0 {
			n++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// saveAndClose saves s's state file, gives it up and returns what it wrote.
func saveAndClose(t *testing.T, s *Server, who string) []byte {
	t.Helper()
	defer s.Close()
	path, err := s.Snapshot()
	if err != nil {
		t.Fatalf("%s could not save: %v", who, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
