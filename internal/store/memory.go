package store

import (
	"encoding/json"
	"errors"
	"sync/atomic"
)

// ErrMemoryBudget: the change (or the new account) would take the accounts
// past Options.MaxBytes, and no unchanged account is left to evict.
var ErrMemoryBudget = errors.New("store: memory budget reached")

// Estimated sizes, in bytes, of what the store holds. They are estimates of
// the live heap (struct, slice and map slots, index entries, string bytes)
// kept honest by TestMemoryEstimates_FollowTheHeap; every bound of the
// store is in these units.
const (
	accountBytes  = 8 << 10 // the account, its indexes, maps and id source
	jobBytes      = 224     // a Job and its two index slots
	jobIDBytes    = 4       // one element id of a job: seeded jobs share their slices and strings, created ones share the strings with their elements
	jobErrorBytes = 112     // one JobError besides its strings
	entityBytes   = 296     // an Entity and its map slot, besides its value and relation slots
	elementBytes  = 200     // one pending Element besides its values' slots and strings
	slotBytes     = 16      // one value slot (an interface) or relation slot (a string header) of an Entity
	boxBytes      = 24      // an object value's slice header, boxed in its slot
	stringBytes   = 16      // a string header, besides its bytes
	historyBytes  = 256     // a seeded history: the generator, not its jobs
	hiddenBytes   = 48      // one history job deleted or replaced, or one seeded entity
	overlayBytes  = 160     // a seeded membership's overlay, empty
)

// memSize estimates the bytes j holds.
func (j *Job) memSize() int64 { return j.headSize() + j.work.memSize() }

// memGrowth is what replacing old by j adds to the bytes held. A job in
// progress and its new value share their pending elements (one Work), so
// only what differs is counted: a poll walks no element.
func (j *Job) memGrowth(old *Job) int64 {
	if j.work == old.work {
		return j.headSize() - old.headSize()
	}
	return j.memSize() - old.memSize()
}

// headSize estimates the bytes j holds besides its pending elements.
func (j *Job) headSize() int64 {
	n := jobBytes + len(j.ID) + len(j.IDs)*jobIDBytes
	for i := range j.Errors {
		e := &j.Errors[i]
		n += jobErrorBytes + len(e.ID) + len(e.Code) + len(e.Title) + len(e.Detail) + len(e.Pointer)
	}
	return int64(n)
}

// memSize estimates the bytes of a job's pending elements (none: 0).
func (w *Work) memSize() int64 {
	if w == nil {
		return 0
	}
	n := 128 + len(w.Pointer)
	for i := range w.Elements {
		el := &w.Elements[i]
		n += elementBytes + len(el.ID) + int(el.Values.slotsSize()+el.Values.stringBytes()) + len(el.Related)*stringBytes
		for _, r := range el.Related {
			n += len(r)
		}
	}
	return int64(n)
}

// memSize estimates the bytes e holds.
func (e *Entity) memSize() int64 { return entityBytes + e.slotsSize() + e.stringBytes() }

// slotsSize counts the bytes of an entity's value and relation slots: their
// number follows its kind's declaration, but a created entity's values end
// at the last one it was sent (its defaults past them are its kind's,
// shared and not counted here).
func (e *Entity) slotsSize() int64 {
	n := (len(e.Vals) + len(e.Refs)) * slotBytes
	for _, v := range e.Vals {
		if m, ok := v.(json.RawMessage); ok && m != nil {
			n += boxBytes
		}
	}
	return int64(n)
}

// stringBytes counts the bytes of an entity's strings and metadata.
func (e *Entity) stringBytes() int64 {
	n := len(e.ID) + len(e.ExternalID)
	for _, r := range e.Refs {
		n += len(r)
	}
	for _, v := range e.Vals {
		switch v := v.(type) {
		case *string:
			if v != nil {
				n += stringBytes + len(*v)
			}
		case *[]string:
			if v != nil {
				for _, s := range *v {
					n += stringBytes + len(s)
				}
			}
		case json.RawMessage:
			n += len(v)
		}
	}
	return int64(n)
}

// meter counts the estimated bytes of every account of one store
// generation (a reset starts a new one).
type meter struct {
	max  int64 // 0: unbounded
	used atomic.Int64
	// evict, called without any account lock held by the store, drops
	// unchanged accounts until need more bytes fit; it reports whether they
	// do.
	evict func(need int64) bool
}

// fits reports whether need more bytes fit, evicting unchanged accounts
// if that makes room.
func (m *meter) fits(need int64) bool {
	if m.max <= 0 || need <= 0 || m.used.Load()+need <= m.max {
		return true
	}
	return m.evict != nil && m.evict(need)
}

// grow adds delta to the account's size and to its store's meter (if the
// account is still held).
func (a *Account) grow(delta int64) {
	if delta == 0 {
		return
	}
	a.size.Add(delta)
	if m := a.meter.Load(); m != nil {
		m.used.Add(delta)
	}
}

// reserve makes room for delta more bytes of this account, or reports
// ErrMemoryBudget; the caller then changes nothing.
func (a *Account) reserve(delta int64) error {
	if m := a.meter.Load(); m != nil && !m.fits(delta) {
		return ErrMemoryBudget
	}
	return nil
}

// fitsNow reports whether delta more bytes of this account fit the budget
// as it is, without evicting anything (reserve may evict).
func (a *Account) fitsNow(delta int64) bool {
	m := a.meter.Load()
	return m == nil || m.max <= 0 || delta <= 0 || m.used.Load()+delta <= m.max
}

// detach stops counting the account against its store (it was evicted or
// forgotten) and returns the bytes it stops counting.
func (a *Account) detach() {
	if m := a.meter.Swap(nil); m != nil {
		m.used.Add(-a.size.Load())
	}
}

// Size returns the account's estimated size in bytes.
func (a *Account) Size() int64 { return a.size.Load() }

// SizeOf estimates the bytes of a collection's seed once installed.
func SizeOf(seed Seed) int64 {
	var n int64
	if seed.History != nil {
		n += historyBytes + seed.History.Bytes()
	}
	for _, j := range seed.Jobs {
		n += j.memSize()
	}
	for _, e := range seed.Entities {
		n += e.memSize() + indexSize(e)
	}
	if seed.Source != nil {
		n += historyBytes + seed.Source.Bytes()
		if seed.Related != nil {
			n += overlayBytes
		}
	}
	return n + int64(len(seed.Members))*linkBytes
}
