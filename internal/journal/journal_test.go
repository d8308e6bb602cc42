package journal

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestJournal_NeverGrowsPastItsCap(t *testing.T) {
	j := New(Options{Entries: 5})
	for i := 0; i < 12; i++ {
		j.Record(Entry{Path: fmt.Sprintf("/p%d", i)})
	}
	got := j.List(Filter{})
	if len(got) != 5 || j.Len() != 5 {
		t.Fatalf("%d entries held, want 5", len(got))
	}
	for i, e := range got {
		if want := fmt.Sprintf("/p%d", 7+i); e.Path != want || e.Seq != uint64(8+i) {
			t.Fatalf("entry %d: %s seq %d, want %s seq %d", i, e.Path, e.Seq, want, 8+i)
		}
	}
}

func TestJournal_FiltersAndLimit(t *testing.T) {
	j := New(Options{Entries: 100})
	j.Record(Entry{Method: "GET", Path: "/api/a", Account: "k1", Status: 200, Revision: "2024-10-15", Operation: "list"})
	j.Record(Entry{Method: "POST", Path: "/api/a", Account: "k2", Status: 202, Revision: "2024-10-15", Operation: "create"})
	j.Record(Entry{Method: "GET", Path: "/api/b/1", Account: "k1", Status: 404, Revision: "2026-07-15", Operation: "get"})
	cases := []struct {
		f    Filter
		want int
	}{
		{Filter{}, 3},
		{Filter{Method: "get"}, 2},
		{Filter{PathPrefix: "/api/b"}, 1},
		{Filter{Account: "k1"}, 2},
		{Filter{Status: 202}, 1},
		{Filter{Revision: "2024-10-15", Method: "GET"}, 1},
		{Filter{Operation: "get"}, 1},
		{Filter{Limit: 2}, 2},
	}
	for _, c := range cases {
		if got := j.List(c.f); len(got) != c.want {
			t.Errorf("%+v: %d entries, want %d", c.f, len(got), c.want)
		}
	}
	if last := j.List(Filter{Limit: 1}); last[0].Path != "/api/b/1" {
		t.Fatalf("Limit keeps %s, want the newest", last[0].Path)
	}
	j.Clear()
	if j.Len() != 0 || len(j.List(Filter{})) != 0 {
		t.Fatal("Clear kept entries")
	}
}

func TestJournal_ZeroCapRecordsNothingAndConcurrentUseIsSafe(t *testing.T) {
	if j := New(Options{}); func() int { j.Record(Entry{}); return j.Len() }() != 0 {
		t.Fatal("a disabled journal recorded")
	}
	j := New(Options{Entries: 50})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				j.Record(Entry{Method: "GET"})
				j.List(Filter{Method: "GET", Limit: 3})
			}
		}()
	}
	wg.Wait()
	if j.Len() != 50 {
		t.Fatalf("%d entries", j.Len())
	}
}

func TestJournal_ByteBudgetDropsTheOldest(t *testing.T) {
	j := New(Options{Entries: 1000, Bytes: 64 << 10})
	body := strings.Repeat("x", 10<<10)
	for i := 0; i < 50; i++ {
		j.Record(Entry{Path: fmt.Sprintf("/p%d", i), Body: body})
		if j.Bytes() > 64<<10 {
			t.Fatalf("after %d entries the journal holds %d bytes, over its budget", i+1, j.Bytes())
		}
	}
	got := j.List(Filter{})
	if len(got) == 0 || len(got) >= 10 || got[len(got)-1].Path != "/p49" {
		t.Fatalf("%d entries kept, newest %q", len(got), got[len(got)-1].Path)
	}
	j.Clear()
	if j.Bytes() != 0 {
		t.Fatalf("Clear left %d bytes", j.Bytes())
	}
}

func TestJournal_CapsEveryPartOfAnEntry(t *testing.T) {
	j := New(Options{Entries: 10})
	huge := strings.Repeat("h", 1<<20)
	hdr := map[string][]string{"X-Big": {huge}, "Accept": {"application/json"}}
	for i := 0; i < 40; i++ {
		hdr[fmt.Sprintf("X-Many-%02d", i)] = []string{strings.Repeat("v", 900)}
	}
	j.Record(Entry{Path: "/" + huge, Query: huge, Body: huge, Headers: hdr, Account: huge})
	e := j.List(Filter{})[0]
	if len(e.Path) > MaxURLPart || len(e.Query) > MaxURLPart || len(e.Body) != MaxBody || !e.Truncated || len(e.Account) > MaxHeaderValue {
		t.Fatalf("path %d query %d body %d (truncated %v) account %d", len(e.Path), len(e.Query), len(e.Body), e.Truncated, len(e.Account))
	}
	total := 0
	for k, vs := range e.Headers {
		for _, v := range vs {
			if len(v) > MaxHeaderValue {
				t.Fatalf("header %s keeps %d bytes", k, len(v))
			}
			total += len(k) + len(v)
		}
	}
	if total > MaxHeaders || !e.HeadersTruncated {
		t.Fatalf("headers hold %d bytes (truncated %v), cap %d", total, e.HeadersTruncated, MaxHeaders)
	}
	if j.Bytes() > 40<<10 {
		t.Fatalf("one entry of a 1 MiB request costs %d bytes", j.Bytes())
	}
}

func TestJournal_RedactsCredentialsUnlessAskedToKeepThem(t *testing.T) {
	hdr := map[string][]string{
		"Authorization":       {"Klaviyo-API-Key pk_0123456789abcdef0123456789abcdef01"},
		"Proxy-Authorization": {"Basic dXNlcjpwYXNz"},
		"Cookie":              {"session=abc"},
		"Revision":            {"2026-07-15"},
	}
	j := New(Options{Entries: 10})
	j.Record(Entry{Headers: hdr})
	e := j.List(Filter{})[0]
	if got := e.Headers["Authorization"][0]; got != "Klaviyo-API-Key "+Redacted {
		t.Errorf("Authorization kept as %q", got)
	}
	if got := e.Headers["Proxy-Authorization"][0]; got != "Basic "+Redacted {
		t.Errorf("Proxy-Authorization kept as %q", got)
	}
	if got := e.Headers["Cookie"][0]; got != Redacted {
		t.Errorf("Cookie kept as %q", got)
	}
	if got := e.Headers["Revision"][0]; got != "2026-07-15" {
		t.Errorf("Revision kept as %q", got)
	}
	if hdr["Authorization"][0] == "Klaviyo-API-Key "+Redacted {
		t.Error("Record changed the caller's headers")
	}
	k := New(Options{Entries: 10, KeepCredentials: true})
	k.Record(Entry{Headers: hdr})
	if got := k.List(Filter{})[0].Headers["Authorization"][0]; got != hdr["Authorization"][0] {
		t.Errorf("KeepCredentials: Authorization %q", got)
	}
}

func TestJournal_ShowsTheAccountsFingerprintAndFiltersOnTheWholeKeyOrIt(t *testing.T) {
	const key = "pk_0123456789abcdef0123456789abcdef01"
	token := "bearer:" + strings.Repeat("t", 3000) + "wxyz" // longer than any per-entry cap
	j := New(Options{Entries: 10})
	j.Record(Entry{Path: "/a", Account: key})
	j.Record(Entry{Path: "/b", Account: token})
	j.Record(Entry{Path: "/c", Account: ""})
	got := j.List(Filter{})
	if got[0].Account != "pk_…ef01" || got[1].Account != "bearer:…wxyz" || got[2].Account != "" {
		t.Fatalf("accounts shown: %q %q %q", got[0].Account, got[1].Account, got[2].Account)
	}
	cases := []struct {
		account string
		want    []string
	}{
		{key, []string{"/a"}},
		{"pk_…ef01", []string{"/a"}},
		{token, []string{"/b"}},
		{"bearer:…wxyz", []string{"/b"}},
		{"pk_0123456789abcdef0123456789abcdef02", nil},
		{"pk_…ef02", nil},
		{token[:len(token)-1], nil},
	}
	for _, c := range cases {
		var paths []string
		for _, e := range j.List(Filter{Account: c.account}) {
			paths = append(paths, e.Path)
		}
		if fmt.Sprint(paths) != fmt.Sprint(c.want) {
			t.Errorf("account=%.40q: %v, want %v", c.account, paths, c.want)
		}
	}
	k := New(Options{Entries: 10, KeepCredentials: true})
	k.Record(Entry{Account: key})
	if e := k.List(Filter{Account: "pk_…ef01"}); len(e) != 1 || e[0].Account != key {
		t.Fatalf("KeepCredentials: %+v", e)
	}
}

// TestJournal_CompleteKeepsNoHoldOfTheHeaderMap: Complete is given the
// response's live header map (no copy); what it keeps must not change
// when the map does afterwards (a header set, replaced or deleted).
func TestJournal_CompleteKeepsNoHoldOfTheHeaderMap(t *testing.T) {
	j := New(Options{Entries: 5})
	e := j.Record(Entry{Path: "/p"})
	hd := map[string][]string{"Content-Type": {"application/json"}, "X-Klaviyo-Req-Id": {"abc"}}
	j.Complete(e, hd, "{}", false)
	hd["Content-Type"] = []string{"text/plain"}
	delete(hd, "X-Klaviyo-Req-Id")
	hd["X-Later"] = []string{"later"}
	got := j.List(Filter{})[0].ResponseHeaders
	if len(got) != 2 || got["Content-Type"][0] != "application/json" || got["X-Klaviyo-Req-Id"][0] != "abc" {
		t.Fatalf("the entry's response headers followed the map's later changes: %v", got)
	}
}
