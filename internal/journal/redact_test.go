package journal

import (
	"strings"
	"testing"
)

// secretValue stands for a credential in the redaction tests.
const secretValue = "s3cr3t-value"

// redactedCases are headers that must be redacted by default, each with
// a value and what an entry shows of it.
var redactedCases = []struct{ name, value, want string }{
	{"Authorization", "Klaviyo-API-Key pk_" + secretValue, "Klaviyo-API-Key " + Redacted},
	{"Authorization", "Bearer " + secretValue, "Bearer " + Redacted},
	{"Authorization", "klaviyo-api-key pk_" + secretValue, "klaviyo-api-key " + Redacted},
	{"Authorization", "pk_" + secretValue, Redacted},
	{"Authorization", "pk_short " + secretValue, Redacted}, // a first word that is no scheme may be the key
	{"Proxy-Authorization", "Basic " + secretValue, "Basic " + Redacted},
	{"X-Api-Key", secretValue, Redacted},
	{"Api-Key", secretValue, Redacted},
	{"Apikey", secretValue, Redacted},
	{"X-Apikey", secretValue, Redacted},
	{"X_api_key", secretValue, Redacted},
	{"X-Auth-Token", secretValue, Redacted},
	{"X-Authenticated-User", secretValue, Redacted},
	{"X-Access-Token", secretValue, Redacted},
	{"X-Csrf-Token", secretValue, Redacted},
	{"X-Amz-Security-Token", secretValue, Redacted},
	{"Token", "Bearer " + secretValue, Redacted}, // only Authorization headers keep a scheme
	{"Cookie", "a=1; session=" + secretValue, Redacted},
	{"Set-Cookie", "id=" + secretValue + "; Path=/", Redacted},
	{"X-Session-Id", secretValue, Redacted},
	{"Session", secretValue, Redacted},
	{"X-Client-Secret", secretValue, Redacted},
	{"X-Password", secretValue, Redacted},
	{"X-Passwd", secretValue, Redacted},
	{"X-Credentials", secretValue, Redacted},
	{"X-Hub-Signature-256", "sha256=" + secretValue, Redacted},
}

// TestRedaction_EveryHeaderThatSuggestsASecret names the headers that must
// be redacted by default (dropping one from the rules fails here) and
// common ones that must be kept as sent.
func TestRedaction_EveryHeaderThatSuggestsASecret(t *testing.T) {
	redacted := redactedCases
	kept := []struct{ name, value string }{
		{"Revision", "2026-07-15"},
		{"Content-Type", "application/vnd.api+json"},
		{"Accept", "application/vnd.api+json"},
		{"Accept-Encoding", "gzip"},
		{"Accept-Language", "en"},
		{"Prefer", "code=429"},
		{"User-Agent", "klaviyo-api-python/24.0.0"},
		{"Content-Length", "120"},
		{"Content-Encoding", "gzip"},
		{"Connection", "keep-alive"},
		{"Cache-Control", "no-cache"},
		{"Origin", "http://localhost:5173"},
		{"Referer", "http://localhost:5173/"},
		{"X-Request-Id", "3f2a9c1e"},
		{"Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
		{"Tracestate", "vendor=1"},
		{"X-Forwarded-For", "10.0.0.1"},
		{"X-Forwarded-Proto", "https"},
		{"Idempotency-Key", "abc"},
		{"X-Klaviyo-Revision-Fall-Forward-Opt-Out", "true"},
		// an answer's
		{"Access-Control-Allow-Origin", "*"},
		{"Access-Control-Expose-Headers", "Ratelimit-Limit"},
		{"Allow", "GET, POST"},
		{"Ratelimit-Limit", "350, 350;w=1, 3500;w=60"},
		{"Ratelimit-Remaining", "349"},
		{"Ratelimit-Reset", "1"},
		{"Retry-After", "1"},
		{"Vary", "Origin"},
		{"X-Klaviyo-Api-Revision", "2026-07-15"},
		{"X-Klaviyo-Req-Id", "3f2a9c1e-6b7d-4e0f-9a8b-1c2d3e4f5a6b"},
	}
	for _, c := range redacted {
		j := New(Options{Entries: 1})
		j.Record(Entry{Headers: map[string][]string{c.name: {c.value, c.value}}})
		got := j.List(Filter{})[0].Headers[c.name]
		if len(got) != 2 || got[0] != c.want || got[1] != c.want {
			t.Errorf("%s: %q kept as %q, want %q", c.name, c.value, got, c.want)
		}
		keep := New(Options{Entries: 1, KeepCredentials: true})
		keep.Record(Entry{Headers: map[string][]string{c.name: {c.value}}})
		if got := keep.List(Filter{})[0].Headers[c.name]; len(got) != 1 || got[0] != c.value {
			t.Errorf("KeepCredentials: %s kept as %q", c.name, got)
		}
	}
	for _, c := range kept {
		hdr := map[string][]string{c.name: {c.value}}
		j := New(Options{Entries: 1})
		j.Record(Entry{Headers: hdr})
		got := j.List(Filter{})[0].Headers[c.name]
		if len(got) != 1 || got[0] != c.value {
			t.Errorf("%s: %q kept as %q", c.name, c.value, got)
		} else if &got[0] != &hdr[c.name][0] {
			t.Errorf("%s: copied though nothing in it changes", c.name)
		}
		if secretHeader(strings.ToLower(c.name)) {
			t.Errorf("%s in lower case is taken for a secret", c.name)
		}
	}
	// The switch of usual names must answer as the scan does.
	for _, c := range redacted {
		if !nameSuggestsSecret(c.name) || !nameSuggestsSecret(strings.ToLower(c.name)) {
			t.Errorf("the rule does not find %s a secret", c.name)
		}
	}
	for _, c := range kept {
		if nameSuggestsSecret(c.name) {
			t.Errorf("the rule finds %s a secret", c.name)
		}
	}
}

// TestRedaction_EachEntryShowsItsOwnCredentialRedacted records every pair
// of redacted headers one after the other in one journal (the same value
// under two names, two values under one name, one repeated) and checks
// that each entry shows its own header redacted as the rule says: what a
// request after another keeps never depends on the one before.
func TestRedaction_EachEntryShowsItsOwnCredentialRedacted(t *testing.T) {
	j := New(Options{Entries: 2})
	for _, a := range redactedCases {
		for _, b := range redactedCases {
			for _, c := range []struct{ name, value, want string }{a, b} {
				j.Record(Entry{Headers: map[string][]string{c.name: {c.value}}})
				got := j.List(Filter{Limit: 1})[0].Headers
				if len(got) != 1 || len(got[c.name]) != 1 || got[c.name][0] != c.want {
					t.Fatalf("%s: %q after %s: %q kept as %q, want %q", c.name, c.value, a.name, a.value, got, c.want)
				}
			}
		}
	}
}
