package journal

import (
	"math/bits"
	"sync"
)

// Free answer buffers: an answer's body the journal owned (CompleteOwned)
// is kept when its entry is dropped unseen, for ResponseBuffer to give to
// a later answer of about its size. Buffers are sorted into classes by
// their capacity's power of two, so one given for n bytes has a capacity
// under 4n: the room a byte budget does not count stays below what a
// copy's doubling growth could leave.
const (
	// minBufShift is the smallest class's power of two (512 bytes); an
	// answer under half of it gets no buffer.
	minBufShift = 9
	// bufClasses covers capacities up to twice MaxBody.
	bufClasses = 7
	// perClass bounds the buffers kept per class (at most about 256 KiB
	// in all), which no byte budget counts.
	perClass = 8
)

// freeBuffers is the journal's list of free answer buffers.
type freeBuffers struct {
	mu      sync.Mutex
	classes [bufClasses][][]byte
}

// get returns an empty buffer of capacity at least n (and under 4n), or
// nil: the newest of n's own class when it holds n (under 2n), else one
// of the class above, whose every buffer holds n. An answer under the
// smallest class's size (256 to 511 bytes) looks in that class alone: a
// buffer of the class above would be over 4n.
func (f *freeBuffers) get(n int) []byte {
	if n < 1<<(minBufShift-1) {
		return nil
	}
	own, above := bits.Len(uint(n))-1-minBufShift, 1
	if own < 0 {
		own, above = 0, 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for k := own; k <= own+above && k < bufClasses; k++ {
		list := f.classes[k]
		if len(list) == 0 || cap(list[len(list)-1]) < n {
			continue
		}
		b := list[len(list)-1]
		list[len(list)-1] = nil
		f.classes[k] = list[:len(list)-1]
		return b[:0]
	}
	return nil
}

// put keeps b for a later answer, when its class has room.
func (f *freeBuffers) put(b []byte) {
	k := bits.Len(uint(cap(b))) - 1 - minBufShift
	if k < 0 || k >= bufClasses {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.classes[k]) < perClass {
		f.classes[k] = append(f.classes[k], b)
	}
}

// ResponseBuffer returns an empty buffer with room for at least n bytes
// (and under 4n) made of an answer the journal dropped, for a capture to
// fill and hand back with CompleteOwned; nil when there is none.
func (j *Journal) ResponseBuffer(n int) []byte { return j.free.get(n) }
