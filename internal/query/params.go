// Package query parses the query parameters of Klaviyo's JSON:API endpoints:
// the raw query string, `filter`, sparse fieldsets, `include` and page
// cursors, and builds pagination links. Every parser is pure and returns a
// Klaviyo-shaped error for input a client can send.
package query

import (
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

// Param is one query parameter as sent.
type Param struct {
	Key, Value string
}

// Params are the query parameters of a request, in the order sent.
type Params []Param

// Parse splits a raw query string into Params. Keys and values are
// percent-decoded ("+" is a space); a malformed escape is a 400 naming the
// parameter.
func Parse(raw string) (Params, *apierror.Error) {
	if raw == "" {
		return nil, nil
	}
	ps := make(Params, 0, strings.Count(raw, "&")+1)
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := unescape(k)
		if err != nil {
			return nil, apierror.Invalidf(k, "Query parameter %q is not correctly percent-encoded.", k)
		}
		val, err := unescape(v)
		if err != nil {
			return nil, apierror.Invalidf(key, "The value of query parameter %q is not correctly percent-encoded.", key)
		}
		ps = append(ps, Param{key, val})
	}
	return ps, nil
}

func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// Get returns the value of the last parameter named key (Django's
// QueryDict.get semantics), and whether it was present.
func (ps Params) Get(key string) (string, bool) {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Key == key {
			return ps[i].Value, true
		}
	}
	return "", false
}

// Encode writes the parameters back as a query string, percent-encoding keys
// and values the way Klaviyo's links do (brackets as %5B/%5D), leaving out
// every parameter named skip.
func (ps Params) Encode(b []byte, skip string) []byte {
	first := true
	for _, p := range ps {
		if p.Key == skip {
			continue
		}
		if !first {
			b = append(b, '&')
		}
		first = false
		b = append(b, url.QueryEscape(p.Key)...)
		b = append(b, '=')
		b = append(b, url.QueryEscape(p.Value)...)
	}
	return b
}

// Bracketed splits "fields[type]" into ("fields", "type", true).
func Bracketed(key string) (family, member string, ok bool) {
	i := strings.IndexByte(key, '[')
	if i <= 0 || !strings.HasSuffix(key, "]") {
		return "", "", false
	}
	return key[:i], key[i+1 : len(key)-1], true
}
