package journal

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// completedOwned is a request whose answer's body the journal is handed,
// written into the buffer ResponseBuffer gave (or a new one).
func completedOwned(j *Journal, path, body string) *Entry {
	h := j.Record(Entry{Path: path})
	buf := append(j.ResponseBuffer(len(body)), body...)
	j.CompleteOwned(h, nil, buf, false)
	return h
}

// TestJournal_AnOwnedBodyIsGivenAgainOnceDropped: the buffer of an answer
// the journal was handed is given to a later answer of about its size
// once its entry is dropped, so a full journal captures answers without
// allocating.
func TestJournal_AnOwnedBodyIsGivenAgainOnceDropped(t *testing.T) {
	j := New(Options{Entries: 2})
	big := strings.Repeat("a", 3000)
	first := completedOwned(j, "/a", big)
	kept := unsafe.StringData(first.ResponseBody)
	if j.ResponseBuffer(len(big)) != nil {
		t.Fatal("the buffer of an entry held was given")
	}
	completedOwned(j, "/b", "second")
	completedOwned(j, "/c", "third") // drops /a
	for _, tc := range []struct {
		n    int
		give bool
	}{{100, false}, {1000, false}, {3073, false}, {3000, true}} {
		buf := j.ResponseBuffer(tc.n)
		if given := buf != nil; given != tc.give {
			t.Fatalf("a buffer for %d bytes given: %v, want %v", tc.n, given, tc.give)
		}
		if buf != nil && (len(buf) != 0 || cap(buf) < tc.n || unsafe.SliceData(buf[:1]) != kept) {
			t.Fatalf("the buffer given (len %d cap %d) is not the dropped answer's, emptied", len(buf), cap(buf))
		}
	}
	if j.ResponseBuffer(3000) != nil {
		t.Fatal("one buffer was given twice")
	}
	completedOwned(j, "/m", strings.Repeat("m", 1500)) // a buffer of the 1 KiB class, dropped below
	completedOwned(j, "/n", "n")
	completedOwned(j, "/o", "o")
	if buf := j.ResponseBuffer(300); buf != nil && cap(buf) >= 4*300 {
		t.Fatalf("a buffer of %d bytes given for 300: over 4n", cap(buf))
	}
	for range 4 { // every dropped answer's buffer large enough for the next
		completedOwned(j, "/d", big)
	}
	allocs := testing.AllocsPerRun(100, func() { completedOwned(j, "/e", big) })
	if allocs != 0 {
		t.Fatalf("a full journal's owned capture allocated %.1f times a request", allocs)
	}
}

// TestJournal_AListedBodyNeverChanges: an entry a reader was shown keeps
// its buffer out of reuse, so the copy the reader holds says what it said
// however many requests come after.
func TestJournal_AListedBodyNeverChanges(t *testing.T) {
	j := New(Options{Entries: 2})
	completedOwned(j, "/a", strings.Repeat("a", 600))
	completedOwned(j, "/b", strings.Repeat("b", 600))
	listed := j.List(Filter{})
	for i := range 6 {
		completedOwned(j, "/next", string(rune('c'+i))+strings.Repeat("z", 599))
	}
	if listed[0].ResponseBody != strings.Repeat("a", 600) || listed[1].ResponseBody != strings.Repeat("b", 600) {
		t.Fatalf("a listed body changed: %.8q, %.8q", listed[0].ResponseBody, listed[1].ResponseBody)
	}
	got := j.List(Filter{})
	if len(got) != 2 || got[0].ResponseBody[:2] != "gz" || got[1].ResponseBody[:2] != "hz" {
		t.Fatalf("the journal holds %+v", got)
	}
}

// TestJournal_AnOwnedBodyIsKeptAsComplete keeps: the same entry as one
// completed with the body as a string.
func TestJournal_AnOwnedBodyIsKeptAsComplete(t *testing.T) {
	a, b := New(Options{Entries: 4}), New(Options{Entries: 4})
	hd := map[string][]string{"Content-Type": {"application/json"}, "Set-Cookie": {"s=1"}}
	ha, hb := a.Record(Entry{Path: "/x"}), b.Record(Entry{Path: "/x"})
	a.Complete(ha, hd, `{"data":[]}`, true)
	b.CompleteOwned(hb, hd, []byte(`{"data":[]}`), true)
	la, lb := a.List(Filter{}), b.List(Filter{})
	la[0].Time, lb[0].Time = lb[0].Time, la[0].Time // the one member two journals cannot share
	la[0].respBuf, lb[0].respBuf = nil, nil         // where the body is held, not what it is
	if !reflect.DeepEqual(la[0], lb[0]) || a.Bytes() != b.Bytes() {
		t.Fatalf("owned %+v (%d bytes), string %+v (%d bytes)", lb[0], b.Bytes(), la[0], a.Bytes())
	}
}
