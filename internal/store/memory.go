package store

import (
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
	jobItemBytes  = 4       // one item id of a job: seeded jobs share their slices and strings with the catalog, created ones share the strings with their updates
	jobErrorBytes = 112     // one JobError besides its strings
	itemBytes     = 384     // an Item, its pointers and its map slot
	updateBytes   = 256     // one pending ItemUpdate besides its values' strings
	stringBytes   = 16      // a string header, besides its bytes
)

// memSize estimates the bytes j holds.
func (j *Job) memSize() int64 {
	n := jobBytes + len(j.ID) + len(j.Items)*jobItemBytes
	for i := range j.Errors {
		e := &j.Errors[i]
		n += jobErrorBytes + len(e.ID) + len(e.Code) + len(e.Title) + len(e.Detail) + len(e.Pointer)
	}
	if w := j.work; w != nil {
		n += 128 + len(w.pointer)
		for i := range w.updates {
			u := &w.updates[i]
			n += updateBytes + len(u.ID) + int(u.Values.stringBytes())
		}
	}
	return int64(n)
}

// memSize estimates the bytes it holds.
func (it *Item) memSize() int64 { return itemBytes + it.stringBytes() }

// stringBytes counts the bytes of an item's strings and metadata.
func (it *Item) stringBytes() int64 {
	n := len(it.ID) + len(it.ExternalID) + len(it.CustomMetadata)
	for _, s := range []*string{it.Title, it.Description, it.URL, it.ImageFullURL, it.ImageThumbnailURL} {
		if s != nil {
			n += stringBytes + len(*s)
		}
	}
	if it.Images != nil {
		for _, s := range *it.Images {
			n += stringBytes + len(s)
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

// detach stops counting the account against its store (it was evicted or
// forgotten) and returns the bytes it stops counting.
func (a *Account) detach() {
	if m := a.meter.Swap(nil); m != nil {
		m.used.Add(-a.size.Load())
	}
}

// Size returns the account's estimated size in bytes.
func (a *Account) Size() int64 { return a.size.Load() }

// SizeOf estimates the bytes an account holding jobs and items takes.
func SizeOf(jobs []*Job, items []*Item) int64 { return sizeOf(jobs, items) }

// sizeOf estimates the bytes of jobs and items held by one account.
func sizeOf(jobs []*Job, items []*Item) int64 {
	n := int64(accountBytes)
	for _, j := range jobs {
		n += j.memSize()
	}
	for _, it := range items {
		n += it.memSize()
	}
	return n
}
