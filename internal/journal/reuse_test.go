package journal

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// recorded is a request as a handler records and completes it.
func recorded(j *Journal, e Entry, respHeaders map[string][]string, respBody string) *Entry {
	h := j.Record(e)
	j.Complete(h, respHeaders, respBody, false)
	return h
}

// TestJournal_ReusesACompletedEntryItDropped: the entry a record drops to
// make room is filled by the record after it.
func TestJournal_ReusesACompletedEntryItDropped(t *testing.T) {
	j := New(Options{Entries: 2})
	first := recorded(j, Entry{Path: "/a", Headers: map[string][]string{"Accept": {"*/*"}}}, map[string][]string{"Vary": {"Origin"}}, "{}")
	recorded(j, Entry{Path: "/b"}, nil, "")
	recorded(j, Entry{Path: "/c"}, nil, "") // drops /a
	if fourth := j.Record(Entry{Path: "/d"}); fourth != first {
		t.Fatal("the entry dropped to make room was not reused")
	}
}

func TestJournal_AnEntryDroppedBeforeItsAnswerIsNotReused(t *testing.T) {
	j := New(Options{Entries: 1})
	pending := j.Record(Entry{Path: "/slow"})
	next := recorded(j, Entry{Path: "/fast"}, map[string][]string{"Vary": {"Origin"}}, "fast")
	if next == pending {
		t.Fatal("an entry still waiting for its answer was reused")
	}
	j.Complete(pending, map[string][]string{"X-Late": {"1"}}, "late", true) // its answer comes now
	got := j.List(Filter{})
	if len(got) != 1 || got[0].Path != "/fast" || got[0].ResponseBody != "fast" || got[0].ResponseTruncated ||
		!reflect.DeepEqual(got[0].ResponseHeaders, map[string][]string{"Vary": {"Origin"}}) {
		t.Fatalf("the late answer changed the entry held: %+v", got)
	}
	if after := recorded(j, Entry{Path: "/again"}, nil, ""); after == pending {
		t.Fatal("an entry dropped before its answer was reused later")
	}
}

// TestJournal_AReusedEntryShowsNothingOfTheOneBefore records entries
// whose every field is set, then ones with few set, through a journal
// small enough that each reuses one of the first: what is listed must be
// what a fresh journal lists for the same records.
func TestJournal_AReusedEntryShowsNothingOfTheOneBefore(t *testing.T) {
	full := func(i int) (Entry, map[string][]string, string) {
		return Entry{RequestID: "r", Time: time.Unix(int64(i), 0), Method: http.MethodPost, Path: "/full", Query: "a=1",
				Headers:          map[string][]string{"Authorization": {"Klaviyo-API-Key pk_x"}, "Accept": {"a", "b"}, "X-One": {"1"}},
				HeadersTruncated: true, Body: "body", Truncated: true, Status: 500, Revision: "2024-10-15",
				RequestedRevision: "2024-10-15", Account: "pk_0123456789abcdef0123456789abcdef01", Operation: "create",
				Fault: "throttle", DurationMicros: 9},
			map[string][]string{"Content-Type": {"application/json"}, "Set-Cookie": {"s=1"}, "Vary": {"Origin"}}, "answer"
	}
	sparse := func(i int) (Entry, map[string][]string, string) {
		return Entry{Method: http.MethodGet, Path: "/sparse", Headers: map[string][]string{"Accept": {"x"}}}, nil, ""
	}
	for _, credentials := range []bool{false, true} {
		reused := New(Options{Entries: 2, KeepCredentials: credentials})
		fresh := New(Options{Entries: 2, KeepCredentials: credentials})
		for i, make := range []func(int) (Entry, map[string][]string, string){full, full, sparse, full, sparse, sparse} {
			e, rh, rb := make(i)
			recorded(reused, e, rh, rb)
			if i%2 == 1 {
				reused.List(Filter{}) // entries shown before they are reused
			}
			fresh.Clear() // a journal whose entries are all new
			for _, k := range []int{i - 1, i} {
				if k >= 0 {
					e, rh, rb := []func(int) (Entry, map[string][]string, string){full, full, sparse, full, sparse, sparse}[k](k)
					recorded(fresh, e, rh, rb)
				}
			}
			got, want := reused.List(Filter{}), fresh.List(Filter{})
			for k := range got {
				got[k].Seq, want[k].Seq = 0, 0
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) || reused.Bytes() != fresh.Bytes() {
				t.Fatalf("credentials %v, after record %d (%d bytes):\n%s\nwant (%d bytes)\n%s",
					credentials, i, reused.Bytes(), g, fresh.Bytes(), w)
			}
		}
	}
}

func TestJournal_AnAccountsFingerprintIsMadeOncePerRun(t *testing.T) {
	j := New(Options{Entries: 4})
	key := "pk_0123456789abcdef0123456789abcdef01"
	j.Record(Entry{Account: key})
	j.Record(Entry{Account: "pk_other0123456789abcdef0123456789ab"})
	j.Record(Entry{Account: key})
	j.Record(Entry{Account: key})
	got := j.List(Filter{Account: key})
	if len(got) != 3 || got[0].Account == key {
		t.Fatalf("%d entries of the account, shown as %q", len(got), got[0].Account)
	}
	if unsafe.StringData(got[1].Account) != unsafe.StringData(got[2].Account) {
		t.Fatal("the fingerprint of the same account was made again for a request that followed it")
	}
}

// TestJournal_AReusedHeaderListPinsNoOldHeader checks that a reused
// entry's header lists hold nothing of the headers they held before past
// what they hold now (an old header would stay reachable, uncounted).
func TestJournal_AReusedHeaderListPinsNoOldHeader(t *testing.T) {
	j := New(Options{Entries: 1})
	many := map[string][]string{"A": {"1"}, "B": {"2"}, "C": {"3"}, "D": {"4"}}
	recorded(j, Entry{Path: "/many", Headers: many}, many, "")
	recorded(j, Entry{Path: "/next"}, nil, "") // drops /many: the spare
	e := recorded(j, Entry{Path: "/few", Headers: map[string][]string{"A": {"1"}}}, map[string][]string{"B": {"2"}}, "")
	for _, k := range []kept{e.reqHeaders, e.respHeaders} {
		if len(k.list) != 1 || cap(k.list) < 4 {
			t.Fatalf("the list was not reused: len %d cap %d", len(k.list), cap(k.list))
		}
		for i, h := range k.list[1:cap(k.list)] {
			if h.name != "" || h.values != nil {
				t.Fatalf("element %d past the list's end still holds %q", i+1, h.name)
			}
		}
	}
}
