package journal

import (
	"strings"
	"testing"
)

// TestRedaction_EveryHeaderThatSuggestsASecret names the headers that must
// be redacted by default (dropping one from the rules fails here) and
// common ones that must be kept as sent.
func TestRedaction_EveryHeaderThatSuggestsASecret(t *testing.T) {
	const secret = "s3cr3t-value"
	redacted := []struct{ name, value, want string }{
		{"Authorization", "Klaviyo-API-Key pk_" + secret, "Klaviyo-API-Key " + Redacted},
		{"Authorization", "Bearer " + secret, "Bearer " + Redacted},
		{"Authorization", "klaviyo-api-key pk_" + secret, "klaviyo-api-key " + Redacted},
		{"Authorization", "pk_" + secret, Redacted},
		{"Authorization", "pk_short " + secret, Redacted}, // a first word that is no scheme may be the key
		{"Proxy-Authorization", "Basic " + secret, "Basic " + Redacted},
		{"X-Api-Key", secret, Redacted},
		{"Api-Key", secret, Redacted},
		{"Apikey", secret, Redacted},
		{"X-Apikey", secret, Redacted},
		{"X_api_key", secret, Redacted},
		{"X-Auth-Token", secret, Redacted},
		{"X-Authenticated-User", secret, Redacted},
		{"X-Access-Token", secret, Redacted},
		{"X-Csrf-Token", secret, Redacted},
		{"X-Amz-Security-Token", secret, Redacted},
		{"Token", "Bearer " + secret, Redacted}, // only Authorization headers keep a scheme
		{"Cookie", "a=1; session=" + secret, Redacted},
		{"Set-Cookie", "id=" + secret + "; Path=/", Redacted},
		{"X-Session-Id", secret, Redacted},
		{"Session", secret, Redacted},
		{"X-Client-Secret", secret, Redacted},
		{"X-Password", secret, Redacted},
		{"X-Passwd", secret, Redacted},
		{"X-Credentials", secret, Redacted},
		{"X-Hub-Signature-256", "sha256=" + secret, Redacted},
	}
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
