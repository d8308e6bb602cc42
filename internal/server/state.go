package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/persist"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// openState makes the server the state file's one owner and loads it: it
// checks that the file can be saved (else the first save, at shutdown,
// would lose every change), takes its lock (waiting, a bounded time, for a
// server that still owns it to save and exit), then removes what an
// interrupted save left (only the owner may: another's temporary file may
// be a save in progress) and loads the file. On an error the lock is given
// up. The wait ends early when ctx does.
func (s *Server) openState(ctx context.Context) error {
	path := s.cfg.StateFile
	if err := persist.CheckWritable(path); err != nil {
		return err
	}
	wait := s.cfg.StateLockWait
	if wait <= 0 {
		wait = persist.DefaultLockWait
	}
	lock, err := persist.Acquire(ctx, path, s.holder(), wait, func(holder string) {
		s.logger.Info("waiting for another server to give up the state file", "path", path, "holder", holder, "up_to", wait.String())
	})
	if err != nil {
		return err
	}
	s.lock = lock
	if n, err := persist.RemoveStale(path); err != nil {
		s.logger.Warn("stale temporary state files", "error", err)
	} else if n > 0 {
		s.logger.Info("removed temporary state files left by an interrupted save", "count", n)
	}
	if err := s.load(); err != nil {
		s.Close()
		return err
	}
	return nil
}

// holder says who this server is, for the lock file: the message of a
// server refused the state file names it.
func (s *Server) holder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "an unknown host"
	}
	return fmt.Sprintf("pid %d on host %s, started %s", os.Getpid(), host, s.clock.Machine().Format(time.RFC3339))
}

// Close gives up the state file, so that another server may own it; the
// server saves it no more. Serve calls it when it returns; a server made by
// New and never served should be closed. It may be called more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	err := s.lock.Release()
	s.lock = nil
	return err
}

// Snapshot implements admin.Control: it saves the state file.
func (s *Server) Snapshot() (string, error) {
	if s.cfg.StateFile == "" {
		return "", errors.New("no state file is configured; start the server with --state-file PATH")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", fmt.Errorf("the server was closed and no longer owns its state file %s", s.cfg.StateFile)
	}
	st := &persist.State{SavedAt: s.clock.Now(), Seed: s.seed, Jobs: &s.jobs, Clock: s.clock.State()}
	var accounts []store.Export
	keys, changed := s.store.Keys()
	for i, k := range keys {
		if !changed[i] {
			continue // regenerates from the seed
		}
		a, err := s.store.Account(k)
		if err != nil {
			return "", err
		}
		ex, err := a.ExportCompact() // the collections it holds, seeded ones as what changed; the others regenerate
		if err != nil {
			return "", err
		}
		accounts = append(accounts, ex)
	}
	if err := persist.Save(s.cfg.StateFile, st, accounts); err != nil {
		return "", err
	}
	s.logger.Info("state saved", "path", s.cfg.StateFile, "accounts", len(accounts))
	return s.cfg.StateFile, nil
}

// load reads the state file, if there is one, with the rules the API and
// the control API apply to every value: the clock's range, the job count of
// POST /__admin/reset, and each account through accountdoc.Restore (the
// control API's PUT, pending jobs allowed). A value that breaks a rule
// stops the start; the file is left untouched.
func (s *Server) load() error {
	path := s.cfg.StateFile
	l, ok, err := persist.Load(path)
	if err != nil || !ok {
		return err
	}
	st := l.State
	if err := s.clock.Restore(st.Clock); err != nil {
		return l.Corrupt("/clock", err)
	}
	// Unchanged accounts regenerate from the seed and job count in effect
	// when the file was saved (a reset may have changed them).
	if st.Seed != 0 {
		s.seed = st.Seed
	}
	if st.Jobs != nil {
		n := *st.Jobs
		if n < 0 || n > fixtures.MaxJobs {
			return l.Corrupt("/jobs", fmt.Errorf("jobs must be between 0 and %d; got %d", fixtures.MaxJobs, n))
		}
		if re := s.jobsFit(n); re != nil {
			return fmt.Errorf("state file %s: /jobs: %s", path, re.Detail)
		}
		s.jobs = n
	}
	s.store.Reset(s.seed, fixtures.Seeder(s.fixtureParams()), fixtures.Estimates(s.fixtureParams()))
	s.faults.Reset(s.seed)
	s.handler.Reseed(s.seed)
	l.Prepare = func(a *accountdoc.AccountState) { a.PrepareSeeded(s.store) }
	var restored []string
	if err := l.Accounts(func(a accountdoc.AccountState) error {
		if secret.BadByte(a.Account) >= 0 {
			// Written before keys were checked: no request can reach it.
			s.logger.Warn("state file: account left out; its key is not printable ASCII, so no request can select it",
				"path", path, "account", secret.Fingerprint(a.Account))
			return nil
		}
		restored = append(restored, a.Account)
		err := accountdoc.Restore(s.store, a, s.clock.Now())
		switch {
		case errors.Is(err, store.ErrMemoryBudget):
			return fmt.Errorf("state file %s holds more than --memory-budget leaves for accounts (%d MiB); start with a larger --memory-budget", path, s.cfg.Shares().Accounts>>20)
		case errors.Is(err, store.ErrTooManyAccounts):
			return fmt.Errorf("state file %s holds more accounts than --max-accounts (%d); start with a larger --max-accounts", path, s.cfg.MaxAccounts)
		}
		return err // an accountdoc.Problem, which persist reports as the file's corruption
	}); err != nil {
		return err
	}
	s.keepOrderOfUse(restored)
	s.logger.Info("state loaded", "path", path, "accounts", len(restored))
	return nil
}

// keepOrderOfUse makes the accounts restored, in file order, used in the
// order they were when saved: a file lists them most recently used first,
// and each restore made its account the most recently used.
func (s *Server) keepOrderOfUse(keys []string) {
	for i := len(keys) - 1; i >= 0; i-- {
		_, _ = s.store.Account(keys[i]) // held: it moves to the front, and cannot fail
	}
}
