package journal

import (
	"testing"
	"time"
)

// sdkHeaders are the headers an SDK sends with a GET, as net/http
// canonicalises them.
func sdkHeaders() map[string][]string {
	return map[string][]string{
		"Authorization":   {"Klaviyo-API-Key pk_0123456789abcdef0123456789abcdef01"},
		"Revision":        {"2026-07-15"},
		"Accept":          {"application/vnd.api+json"},
		"User-Agent":      {"klaviyo-api-python/24.0.0"},
		"Accept-Encoding": {"gzip"},
		"Content-Type":    {"application/vnd.api+json"},
		"Connection":      {"keep-alive"},
		"X-Request-Id":    {"3f2a9c1e-6b7d-4e0f-9a8b-1c2d3e4f5a6b"},
	}
}

// BenchmarkRecord is the journal's cost per request with the headers an SDK
// sends: redacted (the default) and kept as sent (--journal-credentials).
func BenchmarkRecord(b *testing.B) {
	for _, c := range []struct {
		name string
		keep bool
	}{{"redacted", false}, {"credentials", true}} {
		b.Run(c.name, func(b *testing.B) {
			j := New(Options{Entries: 1000, KeepCredentials: c.keep})
			hdr := sdkHeaders()
			now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
			b.ReportAllocs()
			for b.Loop() {
				j.Record(Entry{RequestID: "req-00000001", Time: now, Method: "GET", Path: "/api/catalog-items",
					Headers: hdr, Status: 200, Revision: "2026-07-15", RequestedRevision: "2026-07-15",
					Account: "pk_0123456789abcdef0123456789abcdef01", Operation: "get_catalog_items"})
			}
		})
	}
}

// BenchmarkRecordAndComplete is the journal's whole cost per request, as
// the handlers pay it: the request recorded, then its answer added (which
// lets a full journal fill the entries it drops again).
func BenchmarkRecordAndComplete(b *testing.B) {
	j := New(Options{Entries: 1000})
	hdr := sdkHeaders()
	answer := map[string][]string{
		"Content-Type": {"application/vnd.api+json"}, "Content-Length": {"1361"}, "Vary": {"Origin"},
		"Allow": {"GET, HEAD, OPTIONS"}, "X-Klaviyo-Api-Revision": {"2026-07-15"},
		"X-Klaviyo-Req-Id": {"3f2a9c1e-6b7d-4e0f-9a8b-1c2d3e4f5a6b"},
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		e := j.Record(Entry{RequestID: "req-00000001", Time: now, Method: "GET", Path: "/api/catalog-items",
			Headers: hdr, Status: 200, Revision: "2026-07-15", RequestedRevision: "2026-07-15",
			Account: "pk_0123456789abcdef0123456789abcdef01", Operation: "get_catalog_items"})
		j.Complete(e, answer, `{"data":[]}`, false)
	}
}

// BenchmarkSecretHeader is the redaction rule's name check, per name: the
// names an SDK sends (a switch answers them) and others (the scan does).
func BenchmarkSecretHeader(b *testing.B) {
	var usual []string
	for name := range sdkHeaders() {
		usual = append(usual, name)
	}
	others := []string{"X-Correlation-Id", "X-Custom-Header", "X-Datadog-Trace-Id", "Sec-Fetch-Mode", "X-Amzn-Trace-Id"}
	for _, c := range []struct {
		name  string
		names []string
	}{{"usual", usual}, {"others", others}} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				for _, name := range c.names {
					if secretHeader(name) {
						n++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(c.names)), "ns/name")
		})
	}
}
