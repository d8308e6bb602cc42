package journal

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBegin_AnEntryFilledInPlaceIsTheEntryRecorded: an entry begun, filled
// in place and added shows what Record of the same values shows, also when
// it fills an entry dropped before (nothing of the request that entry held
// is left in it), with and without --journal-credentials.
func TestBegin_AnEntryFilledInPlaceIsTheEntryRecorded(t *testing.T) {
	huge := string(make([]byte, MaxHeaderValue+1))
	requests := []Entry{
		{RequestID: "a", Method: "POST", Path: "/api/a", Query: "x=1", Body: "{}", Truncated: true, Status: 400,
			Revision: "2026-07-15", RequestedRevision: "2026-07-15", Account: "pk_0123456789abcdef0123456789abcdef01",
			Operation: "create", Fault: "prefer", DurationMicros: 7,
			Headers: map[string][]string{"Authorization": {"Klaviyo-API-Key pk_0123456789abcdef0123456789abcdef01"}, "X-Big": {huge}}},
		{RequestID: "b", Method: "GET", Path: "/api/b", Status: 200, Headers: map[string][]string{"Accept": {"*/*"}}},
		{RequestID: "c", Method: "GET", Path: "/api/c", Status: 200},
		{RequestID: "d", Method: "GET", Path: "/api/d", Status: 404, Headers: map[string][]string{}},
	}
	answer := map[string][]string{"Vary": {"Origin"}, "Set-Cookie": {"s=1"}}
	for _, creds := range []bool{false, true} {
		// The oracle never drops an entry, so it never reuses one: its newest
		// two are what the begun journal, which reuses its dropped entries,
		// must show.
		recorded, begun := New(Options{Entries: 100, KeepCredentials: creds}), New(Options{Entries: 2, KeepCredentials: creds})
		now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		for round := range 3 {
			for i, e := range requests {
				e.Time = now.Add(time.Duration(round*10+i) * time.Second)
				r := recorded.Record(e)
				b := begun.Begin(e.Headers, nil)
				fillRequest(b, e)
				begun.Add(b)
				body := "answer of " + e.RequestID
				recorded.Complete(r, answer, body, i == 0)
				begun.Complete(b, answer, body, i == 0)
				want, wantBytes := shownEntries(t, recorded, 2)
				got, _ := shownEntries(t, begun, 2)
				if got != want || begun.bytes != wantBytes {
					t.Fatalf("credentials %v, round %d, request %s: begun in place (%d bytes)\n%s\nrecorded (%d bytes)\n%s",
						creds, round, e.RequestID, begun.bytes, got, wantBytes, want)
				}
			}
		}
	}
}

// shownEntries is what a reader of j is shown of its newest n entries,
// each with its size, and the sum of their sizes.
func shownEntries(t *testing.T, j *Journal, n int) (string, int64) {
	t.Helper()
	var b strings.Builder
	var sum int64
	for _, e := range j.List(Filter{Limit: n}) {
		sum += int64(e.bytes)
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d\n", out, e.bytes)
	}
	return b.String(), sum
}

// fillRequest sets p's request fields from e, as a handler does in place.
func fillRequest(p *Entry, e Entry) {
	p.RequestID, p.Time, p.Method, p.Path, p.Query = e.RequestID, e.Time, e.Method, e.Path, e.Query
	p.Body, p.Truncated, p.Status, p.Revision, p.RequestedRevision = e.Body, e.Truncated, e.Status, e.Revision, e.RequestedRevision
	p.Account, p.Operation, p.Fault, p.DurationMicros = e.Account, e.Operation, e.Fault, e.DurationMicros
}

// TestBegin_OffTellsNothing: a journal that is off begins no entry and
// walks no header.
func TestBegin_OffTellsNothing(t *testing.T) {
	seen := seenHeaders{}
	if p := New(Options{}).Begin(map[string][]string{"Accept": {"*/*"}}, seen); p != nil || len(seen) > 0 {
		t.Fatalf("an off journal began %v and told %v", p, seen)
	}
	if New(Options{}).Add(nil) != nil {
		t.Fatal("Add of nil returned an entry")
	}
}
