package httpx

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/klaviyo-mock/mockserver/internal/splitmix"
)

// UUIDs is a deterministic sequence of UUID4s: the n-th is a hash of
// (seed, stream, n), so concurrent requests take one each without a lock.
type UUIDs struct {
	key atomic.Uint64
	n   atomic.Uint64
}

// Reseed restarts the sequence: stream tells sequences of one seed apart.
func (s *UUIDs) Reseed(seed, stream uint64) {
	s.key.Store(splitmix.Mix(seed ^ splitmix.Mix(stream)))
	s.n.Store(0)
}

// Next returns the next UUID4 of the sequence.
func (s *UUIDs) Next() string {
	hi, lo := s.next()
	return splitmix.UUID4(hi, lo)
}

// next returns the random bits of the next UUID4.
func (s *UUIDs) next() (hi, lo uint64) {
	n, key := s.n.Add(1), s.key.Load()
	hi = splitmix.Mix(key + n*splitmix.Golden)
	return hi, splitmix.Mix(hi ^ key)
}

// uuidValue is a header value of one UUID: the value's slice and the
// UUID's text, in one allocation.
type uuidValue struct {
	vs   [1]string
	text [36]byte
}

// NextValue returns the next UUID4 of the sequence, as Next writes it, as
// a header's value: a slice of one element, which with its text is one
// allocation (Next's string and a slice of it were two).
func (s *UUIDs) NextValue() []string {
	hi, lo := s.next()
	v := new(uuidValue)
	splitmix.PutUUID4(&v.text, hi, lo)
	v.vs[0] = unsafe.String(&v.text[0], len(v.text)) // never written again
	return v.vs[:]
}

// Buffers are reusable byte buffers for the documents being written.
type Buffers struct{ pool sync.Pool }

// NewBuffers returns an empty set of buffers of 64 KiB to start with.
func NewBuffers() *Buffers {
	b := &Buffers{}
	b.pool.New = func() any { s := make([]byte, 0, 64<<10); return &s }
	return b
}

// Get returns an empty buffer.
func (b *Buffers) Get() *[]byte { return b.pool.Get().(*[]byte) }

// Put gives a buffer back (one grown past 4 MiB is dropped).
func (b *Buffers) Put(s *[]byte) {
	if cap(*s) > 4<<20 {
		return
	}
	*s = (*s)[:0]
	b.pool.Put(s)
}
