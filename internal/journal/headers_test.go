package journal

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// oracleTrim is how an entry's headers were capped and redacted before
// they were kept as a list: a map of their own built for every request.
// keep must give the same headers, the same truncation and the same cost.
func oracleTrim(j *Journal, hd map[string][]string) (map[string][]string, bool) {
	total := 0
	for k, vs := range hd {
		for _, v := range vs {
			total += len(k) + min(len(v), MaxHeaderValue)
		}
	}
	out := make(map[string][]string, len(hd))
	truncated := false
	room := MaxHeaders
	keep := func(k string, vs []string) {
		if !j.opts.KeepCredentials && secretHeader(k) {
			vs = redacted(k, vs)
		}
		need, fits := 0, true
		for _, v := range vs {
			need += len(k) + len(v)
			fits = fits && len(v) <= MaxHeaderValue
		}
		if fits && need <= room {
			room -= need
			out[k] = vs
			return
		}
		for _, v := range vs {
			v = capString(v, MaxHeaderValue)
			if len(k)+len(v) > room {
				truncated = true
				continue
			}
			room -= len(k) + len(v)
			out[k] = append(out[k], v)
		}
	}
	if total <= MaxHeaders {
		for k, vs := range hd {
			keep(k, vs)
		}
	} else {
		for _, k := range sortedKeys(hd) {
			keep(k, hd[k])
		}
	}
	return out, truncated
}

// oracleBytes is what headers cost in an entry's size estimate.
func oracleBytes(h map[string][]string) int {
	n := 0
	for k, vs := range h {
		n += len(k) + 16
		for _, v := range vs {
			n += len(v) + 16
		}
	}
	return n
}

// randomHeaders returns a header map of the kinds a journal meets: the
// usual ones, secrets (with and without a known scheme), values over
// MaxHeaderValue, many values, and sets over MaxHeaders. Secret values are
// longer than their redacted form, so which headers stay does not depend
// on map order (it may when redaction lengthens a value near the cap).
func randomHeaders(r *rand.Rand) map[string][]string {
	names := []string{"Accept", "Revision", "User-Agent", "Authorization", "Proxy-Authorization", "Cookie",
		"X-Api-Key", "X-Session-Id", "X-Custom", "Traceparent", "X-Many"}
	hd := map[string][]string{}
	for range r.IntN(24) {
		name := names[r.IntN(len(names))]
		if r.IntN(3) == 0 {
			name = fmt.Sprintf("X-Extra-%03d", r.IntN(200))
		}
		var vs []string
		for range r.IntN(4) {
			n := 30 + r.IntN(60)
			switch r.IntN(8) {
			case 0:
				n = MaxHeaderValue + r.IntN(200)
			case 1, 2:
				n = 700 + r.IntN(400)
			}
			v := strings.Repeat(string(rune('a'+r.IntN(26))), n)
			if r.IntN(3) == 0 {
				v = []string{"Klaviyo-API-Key ", "Bearer ", "basic ", "Weird "}[r.IntN(4)] + v
			}
			vs = append(vs, v)
		}
		hd[name] = vs
	}
	if r.IntN(4) == 0 {
		hd["X-Empty"] = []string{}
	}
	return hd
}

// TestJournal_KeptHeadersMatchAMapBuiltPerRequest: the headers an entry
// shows, its truncation flag and its size are those of the map the journal
// used to build for each request, for thousands of header sets, with and
// without redaction; and a HeaderSeer is told every header once, as sent,
// whether all are kept whole or some are cut.
func TestJournal_KeptHeadersMatchAMapBuiltPerRequest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, keepCreds := range []bool{false, true} {
		j := New(Options{Entries: 4, KeepCredentials: keepCreds})
		cuts := 0
		for i := range 3000 {
			hd := randomHeaders(r)
			want, wantCut := oracleTrim(j, hd)
			seen := seenHeaders{}
			got, cut := j.keep(hd, nil, seen)
			if !reflect.DeepEqual(map[string][]string(seen), hd) {
				t.Fatalf("case %d (credentials %v): the seer was told %v, want each of %v once", i, keepCreds, seen, hd)
			}
			if got.bytes != oracleBytes(want) {
				t.Fatalf("case %d (credentials %v): cost %d, want %d", i, keepCreds, got.bytes, oracleBytes(want))
			}
			if m := got.toMap(); cut != wantCut || !reflect.DeepEqual(m, want) {
				t.Fatalf("case %d (credentials %v): kept %v (cut %v), want %v (cut %v)", i, keepCreds, m, cut, want, wantCut)
			}
			if wantCut {
				cuts++
			}
		}
		if cuts < 200 || cuts > 2800 {
			t.Fatalf("%d of 3000 cases left headers out: the cases do not exercise both paths", cuts)
		}
	}
}

// TestJournal_ShowsHeadersAsSentNilOrEmpty: an entry without headers shows
// null, one with an empty map shows {}, as when each entry built its map.
func TestJournal_ShowsHeadersAsSentNilOrEmpty(t *testing.T) {
	j := New(Options{Entries: 4})
	j.Record(Entry{Path: "/nil"})
	e := j.Record(Entry{Path: "/empty", Headers: map[string][]string{}})
	j.Complete(e, map[string][]string{}, "", false)
	got := j.List(Filter{})
	b0, _ := json.Marshal(&got[0])
	b1, _ := json.Marshal(&got[1])
	if !strings.Contains(string(b0), `"headers":null`) || !strings.Contains(string(b1), `"headers":{}`) {
		t.Fatalf("entries:\n%s\n%s", b0, b1)
	}
	if got[0].ResponseHeaders != nil || got[1].ResponseHeaders == nil {
		t.Fatalf("response headers: %v, %v", got[0].ResponseHeaders, got[1].ResponseHeaders)
	}
}

// TestJournal_SizeCountsTheHeadersAsShown: the journal's byte count is
// what its entries show (redacted values, not the credentials sent).
func TestJournal_SizeCountsTheHeadersAsShown(t *testing.T) {
	j := New(Options{Entries: 4})
	hd := map[string][]string{"Authorization": {"Klaviyo-API-Key " + strings.Repeat("k", 900)}, "Accept": {"*/*"}}
	e := j.Record(Entry{Headers: hd})
	j.Complete(e, map[string][]string{"Content-Type": {"application/json"}}, "", false)
	got := j.List(Filter{})[0]
	if want := int64(entryOverhead + oracleBytes(got.Headers) + oracleBytes(got.ResponseHeaders)); j.Bytes() != want {
		t.Fatalf("journal bytes %d, want %d (headers %v)", j.Bytes(), want, got.Headers)
	}
}

// TestJournal_HeadersAtTheirCapsAreKeptWholeAndOneByteMoreIsCut: a value
// of MaxHeaderValue bytes and headers of MaxHeaders bytes in all are kept
// as sent; one byte more cuts the value, or leaves a header out.
func TestJournal_HeadersAtTheirCapsAreKeptWholeAndOneByteMoreIsCut(t *testing.T) {
	// filled returns headers of exactly n bytes (names and values): eight
	// of MaxHeaderValue bytes and one of the rest.
	filled := func(n int) map[string][]string {
		hd := map[string][]string{}
		for i := range 7 {
			name := fmt.Sprintf("X-Fill-%d", i)
			hd[name] = []string{strings.Repeat("v", MaxHeaderValue)}
			n -= len(name) + MaxHeaderValue
		}
		hd["X-Last"] = []string{strings.Repeat("w", n-len("X-Last"))}
		return hd
	}
	for _, c := range []struct {
		name    string
		hd      map[string][]string
		cut     bool
		longest int
	}{
		{"value at the cap", map[string][]string{"X-V": {strings.Repeat("v", MaxHeaderValue)}}, false, MaxHeaderValue},
		{"value a byte over", map[string][]string{"X-V": {strings.Repeat("v", MaxHeaderValue+1)}}, false, MaxHeaderValue},
		{"all at the cap", filled(MaxHeaders), false, MaxHeaderValue},
		{"all a byte over", filled(MaxHeaders + 1), true, MaxHeaderValue},
	} {
		j := New(Options{Entries: 2})
		j.Record(Entry{Headers: c.hd})
		e := j.List(Filter{})[0]
		want, _ := oracleTrim(j, c.hd)
		longest, kept := 0, 0
		for k, vs := range e.Headers {
			for _, v := range vs {
				longest = max(longest, len(v))
				kept += len(k) + len(v)
			}
		}
		if e.HeadersTruncated != c.cut || longest != c.longest || kept > MaxHeaders || !reflect.DeepEqual(e.Headers, want) {
			t.Errorf("%s: truncated %v (want %v), longest value %d (want %d), %d bytes kept", c.name,
				e.HeadersTruncated, c.cut, longest, c.longest, kept)
		}
	}
}

// TestJournal_AnEntryListedBeforeItsAnswerShowsTheAnswerOnceWritten: a
// live view may list an entry between Record and Complete; the answer's
// headers it shows afterwards are the answer's, not the earlier absence.
func TestJournal_AnEntryListedBeforeItsAnswerShowsTheAnswerOnceWritten(t *testing.T) {
	j := New(Options{Entries: 2})
	e := j.Record(Entry{Path: "/p", Headers: map[string][]string{"Accept": {"*/*"}}})
	if got := j.List(Filter{})[0]; got.ResponseHeaders != nil || got.Headers["Accept"][0] != "*/*" {
		t.Fatalf("before Complete: %+v", got)
	}
	j.Complete(e, map[string][]string{"X-Klaviyo-Req-Id": {"abc"}}, "{}", false)
	if got := j.List(Filter{})[0]; got.ResponseHeaders["X-Klaviyo-Req-Id"][0] != "abc" || got.Headers["Accept"][0] != "*/*" {
		t.Fatalf("after Complete: %+v", got)
	}
}

// seenHeaders is a HeaderSeer that notes what it is told, and fails on a
// header told twice.
type seenHeaders map[string][]string

func (s seenHeaders) SeeHeader(name string, vs []string) {
	if _, twice := s[name]; twice {
		panic("header " + name + " told twice")
	}
	s[name] = vs
}
