package store

// preparedHistories are the seeded histories a Contents keeps (Seeded),
// made ahead of the Replace that takes them (see Store.PrepareHistories).
type preparedHistories struct {
	key   string
	gen   *meter            // the store generation whose seeder made them
	hists []preparedHistory // by job kind
}

// preparedHistory is the history prepared for one job kind, if one was
// (made: it may be nil, a kind the seeder makes none of).
type preparedHistory struct {
	h    History
	made bool
}

// PrepareHistories makes, now, the seeded histories that in keeps
// (in.Seeded) for the account key, with the store's seeder, so that the
// Replace of that account which takes in only checks them against what in
// says of them: a state file prepares accounts on its reading cores and
// restores them one at a time, under each account's lock. A Replace of
// another account, or of an account of another store generation (after a
// Reset, whose seeder may differ), makes its own. Calls for different
// contents may run at once, and beside any other call.
func (s *Store) PrepareHistories(key string, in *Contents) {
	s.mu.RLock()
	seeder, gen := s.opts.Seeder, s.meter
	s.mu.RUnlock()
	if seeder == nil || len(in.Seeded) == 0 {
		return
	}
	p := &preparedHistories{key: key, gen: gen, hists: make([]preparedHistory, numJobKinds())}
	for k := range in.Seeded {
		p.hists[k] = preparedHistory{seeder(key, JobCollection(k)).History, true}
	}
	in.prepared = p
}

// preparedHistory returns the history of kind k prepared for a, if one
// was (made by a's seeder).
func (a *Account) preparedHistory(in *Contents, k JobKind) (History, bool) {
	p := in.prepared
	if p == nil || p.key != a.key || p.gen == nil || p.gen != a.meter.Load() {
		return nil, false
	}
	if int(k) >= len(p.hists) {
		return nil, false
	}
	return p.hists[k].h, p.hists[k].made
}
