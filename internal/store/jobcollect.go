package store

// collect returns up to limit jobs whose status is in statuses, in id
// order from `from` ("" the start): ascending, or descending when desc;
// `from` itself is included only when inclusive. Stored and history jobs
// are merged; only the jobs returned are made.
func (s *jobSet) collect(from string, inclusive, desc bool, statuses StatusSet, limit int, kind JobKind) []*Job {
	stored := s.collectStored(from, inclusive, desc, statuses, limit)
	if s.hist == nil || s.hist.Len() == 0 {
		return stored
	}
	hist := s.collectHistory(from, inclusive, desc, statuses, limit)
	// Merge by id.
	out := make([]*Job, 0, min(limit, len(stored)+len(hist)))
	a, b := 0, 0
	for len(out) < limit && (a < len(stored) || b < len(hist)) {
		useStored := b == len(hist)
		if a < len(stored) && b < len(hist) {
			less := stored[a].ID < s.hist.ID(hist[b])
			useStored = less != desc
		}
		if useStored {
			out = append(out, stored[a])
			a++
		} else {
			out = append(out, s.histJob(hist[b], kind))
			b++
		}
	}
	return out
}

// collectStored is collect of the stored jobs.
func (s *jobSet) collectStored(from string, inclusive, desc bool, statuses StatusSet, limit int) []*Job {
	if s.all == nil {
		return nil // never written: nothing stored
	}
	tree := s.all
	if st, ok := statuses.Single(); ok {
		tree = s.byStatus[st]
	}
	stored := make([]*Job, 0, min(limit, 128))
	take := func(j *Job) bool {
		if s.work != nil {
			s.work.Add(1)
		}
		if j.ID == from && !inclusive {
			return true
		}
		if statuses.Has(j.Status) {
			stored = append(stored, j)
		}
		return len(stored) < limit
	}
	switch {
	case from == "" && !desc:
		tree.Ascend(take)
	case from == "":
		tree.Descend(take)
	case !desc:
		tree.AscendGreaterOrEqual(&Job{ID: from}, take)
	default:
		tree.DescendLessOrEqual(&Job{ID: from}, take)
	}
	return stored
}

// collectHistory is collect of the history jobs not hidden, as their
// indexes: the jobs are made only for what is kept.
func (s *jobSet) collectHistory(from string, inclusive, desc bool, statuses StatusSet, limit int) []int {
	n := s.hist.Len()
	start := 0
	if desc {
		start = n - 1
	}
	if from != "" {
		i, exact := s.histIndex(from)
		switch {
		case !desc && exact && !inclusive:
			start = i + 1
		case !desc:
			start = i
		case exact && inclusive:
			start = i
		default:
			start = i - 1
		}
	}
	var hist []int
	if start >= 0 && start < n {
		s.hist.Scan(start, desc, statuses, func(i int) bool {
			if s.work != nil {
				s.work.Add(1)
			}
			if _, gone := s.hidden[i]; !gone {
				hist = append(hist, i)
			}
			return len(hist) < limit
		})
	}
	return hist
}

// each calls fn with every job in id order (made one at a time) until fn
// returns false.
func (s *jobSet) each(kind JobKind, fn func(*Job) bool) {
	const chunk = 256
	from, inclusive := "", false
	for {
		jobs := s.collect(from, inclusive, false, AllStatuses, chunk, kind)
		for _, j := range jobs {
			if !fn(j) {
				return
			}
		}
		if len(jobs) < chunk {
			return
		}
		from, inclusive = jobs[len(jobs)-1].ID, false
	}
}
