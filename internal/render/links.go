package render

import (
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// relLinks appends "links":{"self":…/relationships/<key>/,"related":…/<key>/}.
func (r *Renderer) relLinks(b []byte, res *resource.Resource, seg, key string) []byte {
	b = append(b, `"links":{"self":`...)
	b = r.link(b, res, seg, "/relationships/"+key+"/")
	b = append(b, `,"related":`...)
	b = r.link(b, res, seg, "/"+key+"/")
	return append(b, '}')
}

// link appends "base/api/<resource>/<seg><suffix>" as a JSON string.
func (r *Renderer) link(b []byte, res *resource.Resource, seg, suffix string) []byte {
	if !r.baseReady {
		r.baseEsc, r.baseReady = rawString(r.Base), true
	}
	b = append(b, '"')
	b = append(b, r.baseEsc...)
	b = append(b, "/api/"...)
	b = append(b, res.Name...)
	b = append(b, '/')
	b = appendRaw(b, seg)
	b = append(b, suffix...)
	return append(b, '"')
}

// appendRaw appends s JSON-escaped without quotes.
func appendRaw(b []byte, s string) []byte {
	if plainRaw(s) {
		return append(b, s...)
	}
	q := jsonw.String(nil, s)
	return append(b, q[1:len(q)-1]...)
}

// rawString returns s JSON-escaped without quotes: s itself when nothing
// in it is escaped (a base URL, once per renderer, so once per request).
func rawString(s string) string {
	if plainRaw(s) {
		return s
	}
	return string(appendRaw(nil, s))
}

// plainRaw reports whether s is written as it is inside a JSON string.
func plainRaw(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}
