package store

import (
	"io"
	"time"

	"github.com/oklog/ulid/v2"
)

// IDs hands out ULID job ids that always increase, even when the clock is set
// back or many ids share a millisecond. Not safe for concurrent use; callers
// hold their account's lock.
type IDs struct {
	last    ulid.ULID
	entropy io.Reader
}

// NewIDs returns a generator whose random part comes from entropy (a seeded
// source, so ids are deterministic).
func NewIDs(entropy io.Reader) *IDs { return &IDs{entropy: entropy} }

// Next returns a new id for time t, greater than every id returned before
// and than every id passed to Observe.
func (g *IDs) Next(t time.Time) string {
	ms := uint64(0)
	if t.UnixMilli() > 0 {
		ms = uint64(t.UnixMilli())
	}
	if ms > ulid.MaxTime() {
		ms = ulid.MaxTime()
	}
	id, err := ulid.New(ms, g.entropy)
	if err != nil || id.Compare(g.last) <= 0 {
		id = increment(g.last)
	}
	g.last = id
	return id.String()
}

// Observe records an id that exists already so Next stays above it. Ids that
// are not ULIDs are compared as strings by the store and ignored here.
func (g *IDs) Observe(id string) {
	u, err := ulid.ParseStrict(id)
	if err == nil && u.Compare(g.last) > 0 {
		g.last = u
	}
}

func increment(u ulid.ULID) ulid.ULID {
	for i := len(u) - 1; i >= 0; i-- {
		u[i]++
		if u[i] != 0 {
			break
		}
	}
	return u
}
