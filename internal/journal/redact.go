package journal

import "strings"

// Redacted replaces the credential in a kept header value.
const Redacted = "[redacted]"

// secretWords: a header whose name holds one of them, in any case, is
// redacted unless Options.KeepCredentials is set. "auth" covers
// Authorization, Proxy-Authorization, X-Auth-Token and X-Authenticated-User;
// none of the usual request headers (Accept*, Content-*, Cache-Control,
// Connection, Origin, Referer, User-Agent, Traceparent, X-Forwarded-*,
// Idempotency-Key, revision, Prefer) holds any of the words.
var secretWords = [...]string{
	"auth", "cookie", "token", "secret", "api-key", "api_key", "apikey",
	"password", "passwd", "session", "credential", "signature",
}

// secretByFirst lists the secret words by their first letter.
var secretByFirst = func() (t [26][]string) {
	for _, w := range secretWords {
		t[w[0]-'a'] = append(t[w[0]-'a'], w)
	}
	return t
}()

// secretHeader reports whether a header name suggests a secret. The usual
// names of requests and of the emulator's answers, as net/http
// canonicalises them, are answered by a switch (about
// 5 ns a name, against some 40 for the scan); nameSuggestsSecret answers
// the others, and a test checks that both agree on every name listed here.
func secretHeader(name string) bool {
	switch name {
	case "Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Connection", "Content-Encoding",
		"Content-Length", "Content-Type", "Idempotency-Key", "Origin", "Prefer", "Referer", "Revision",
		"Traceparent", "Tracestate", "User-Agent", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id",
		// and those of the emulator's answers
		"Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Allow", "Ratelimit-Limit",
		"Ratelimit-Remaining", "Ratelimit-Reset", "Retry-After", "Vary", "X-Klaviyo-Api-Revision", "X-Klaviyo-Req-Id":
		return false
	case "Authorization", "Cookie", "Proxy-Authorization", "X-Api-Key":
		return true
	}
	return nameSuggestsSecret(name)
}

// nameSuggestsSecret reports whether name holds a secret word, in any
// case: a scan that allocates nothing and compares words only where one
// may start.
func nameSuggestsSecret(name string) bool {
	for i := 0; i < len(name); i++ {
		c := lower(name[i])
		if c < 'a' || c > 'z' {
			continue
		}
		for _, w := range secretByFirst[c-'a'] {
			if hasPrefixFold(name[i:], w) {
				return true
			}
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case word w,
// ignoring the case of ASCII letters.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if lower(s[i]) != w[i] {
			return false
		}
	}
	return true
}

// authSchemes are the schemes an Authorization value keeps when redacted:
// Klaviyo's, and those of the IANA HTTP Authentication Scheme Registry with
// a few common others. The first word of any other value may be part of
// the credential (a key sent without a scheme), so it is not kept.
var authSchemes = [...]string{
	"Klaviyo-API-Key", "Bearer", "Basic", "Digest", "DPoP", "GNAP", "HOBA", "Mutual", "Negotiate", "NTLM",
	"OAuth", "PrivateToken", "Concealed", "SCRAM-SHA-1", "SCRAM-SHA-256", "vapid", "Token", "ApiKey",
	"AWS4-HMAC-SHA256",
}

// redactedOnly is the value of a redacted header without a kept scheme,
// shared by every entry (never modified).
var redactedOnly = []string{Redacted}

// redactedValues are the redacted one-value headers of each known scheme
// as it is usually written, shared by every entry (never modified).
var redactedValues = func() map[string][]string {
	m := make(map[string][]string, len(authSchemes))
	for _, s := range authSchemes {
		m[s] = []string{s + " " + Redacted}
	}
	return m
}()

// redacted returns the redacted form of the header values vs of header
// name: every value is Redacted, except that an Authorization header
// (Authorization, Proxy-Authorization) keeps a known scheme
// ("Klaviyo-API-Key [redacted]"). One value of a usual form gets a shared
// slice.
func redacted(name string, vs []string) []string {
	if len(vs) == 1 {
		scheme, ok := knownScheme(name, vs[0])
		if !ok {
			return redactedOnly
		}
		if r, ok := redactedValues[scheme]; ok {
			return r
		}
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = Redacted
		if scheme, ok := knownScheme(name, v); ok {
			out[i] = scheme + " " + Redacted
		}
	}
	return out
}

// redaction is a one-value header with its redacted form (a shared
// slice). The value is kept only to be compared with the next one, never
// shown.
type redaction struct {
	name, value string
	out         []string
}

// redact is redacted, remembering the last one-value header: a client
// sends the same credential request after request, and the scheme's
// look-up (the value cut at its first space, compared with each known
// scheme, then a map look-up) costs what two comparisons of strings do
// not. A header that changes is looked up again and remembered.
func (j *Journal) redact(name string, vs []string) []string {
	if len(vs) != 1 {
		return redacted(name, vs)
	}
	if r := j.lastSecret.Load(); r != nil && r.value == vs[0] && r.name == name {
		return r.out
	}
	out := redacted(name, vs)
	j.lastSecret.Store(&redaction{name: name, value: vs[0], out: out})
	return out
}

// knownScheme returns the scheme of value v of header name when name is an
// Authorization header and the scheme is a known one (in any case).
func knownScheme(name, v string) (string, bool) {
	const auth = "authorization"
	if len(name) < len(auth) || !hasPrefixFold(name[len(name)-len(auth):], auth) {
		return "", false
	}
	scheme, _, ok := strings.Cut(v, " ")
	if !ok {
		return "", false
	}
	for _, s := range authSchemes {
		if strings.EqualFold(s, scheme) {
			return scheme, true
		}
	}
	return "", false
}
