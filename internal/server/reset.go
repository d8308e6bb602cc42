package server

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
)

// jobsFit says why n jobs of each kind do not fit the memory budget, or
// nil when they do.
func (s *Server) jobsFit(n int) *admin.ResetError {
	p := s.fixtureParams()
	p.Jobs = n
	if _, size := fixtures.Largest(fixtures.Estimates(p)); !s.store.Fits(size) {
		_, limit := s.store.Used()
		return &admin.ResetError{Member: "/jobs", Detail: fmt.Sprintf(
			"%d jobs of one kind take about %d MiB, more than the %d MiB the memory budget leaves for accounts "+
				"(half of --memory-budget); ask for fewer jobs or start the server with a larger --memory-budget.",
			n, size>>20, limit>>20)}
	}
	return nil
}

// Reset implements admin.Control.
func (s *Server) Reset(seed uint64, jobs *int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if jobs != nil {
		if re := s.jobsFit(*jobs); re != nil {
			return re
		}
	}
	s.seed, s.jobs = s.cfg.Seed, s.cfg.Jobs
	if seed != 0 {
		s.seed = seed
	}
	if jobs != nil {
		s.jobs = *jobs
	}
	s.store.Reset(s.seed, fixtures.Seeder(s.fixtureParams()), fixtures.Estimates(s.fixtureParams()))
	s.limiter.Reset()
	s.faults.Reset(s.seed)
	s.journal.Clear()
	s.handler.Reseed(s.seed)
	s.startClock()
	s.logger.Info("reset", "seed", s.seed, "jobs", s.jobs)
	return nil
}
