package journal

// List returns the matching entries, oldest first.
func (j *Journal) List(f Filter) []Entry {
	out := []Entry{}
	j.Each(f, func(e *Entry) { out = append(out, *e) })
	return out
}

// Each calls fn with each matching entry, oldest first, under the
// journal's lock (fn must not call the journal).
func (j *Journal) Each(f Filter, fn func(*Entry)) {
	match := j.matcher(f)
	j.mu.Lock()
	defer j.mu.Unlock()
	skip := 0
	if f.Limit > 0 {
		matched := 0
		j.eachLocked(func(e *Entry) {
			if match(e) {
				matched++
			}
		})
		skip = max(matched-f.Limit, 0)
	}
	j.eachLocked(func(e *Entry) {
		if !match(e) {
			return
		}
		if skip > 0 {
			skip--
			return
		}
		e.shown()
		e.lent = true // the caller may keep its strings
		fn(e)
	})
}

func (j *Journal) eachLocked(fn func(*Entry)) {
	for i := 0; i < j.n; i++ {
		fn(j.entries[(j.start+i)%len(j.entries)])
	}
}

// Len returns the number of entries held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// Bytes returns the estimated size of the entries held.
func (j *Journal) Bytes() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bytes
}

// Clear drops every entry.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.eachLocked(func(e *Entry) { e.held = false })
	clear(j.entries)
	j.start, j.n, j.bytes = 0, 0, 0
}
