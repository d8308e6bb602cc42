package query

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

// ParamCursor is the page cursor parameter's name.
const ParamCursor = "page[cursor]"

// Direction says which way a cursor pages.
type Direction uint8

// Cursor directions.
const (
	Next Direction = iota
	Prev
)

// Cursor is a decoded page cursor: a keyset position. Next cursors continue
// after ID; Prev cursors return the page that ends just before ID.
type Cursor struct {
	Dir Direction
	ID  string
}

const (
	nextPrefix = "next::id::"
	prevPrefix = "prev::id::"
	maxIDLen   = 128
)

// EncodeCursor returns the opaque cursor string: unpadded standard base64 of
// "next::id::<id>" or "prev::id::<id>", the form Klaviyo's cursors take.
func EncodeCursor(c Cursor) string {
	prefix := nextPrefix
	if c.Dir == Prev {
		prefix = prevPrefix
	}
	return base64.RawStdEncoding.EncodeToString([]byte(prefix + c.ID))
}

// DecodeCursor reads a cursor produced by EncodeCursor. It accepts padded and
// unpadded, standard and URL-safe base64; anything else, or a decoded value
// of another structure, is Klaviyo's "Invalid cursor provided." 400.
func DecodeCursor(s string) (Cursor, *apierror.Error) {
	raw, ok := decodeBase64(s)
	if !ok {
		return Cursor{}, apierror.InvalidCursor()
	}
	var c Cursor
	var id string
	switch {
	case strings.HasPrefix(raw, nextPrefix):
		c.Dir, id = Next, raw[len(nextPrefix):]
	case strings.HasPrefix(raw, prevPrefix):
		c.Dir, id = Prev, raw[len(prevPrefix):]
	default:
		return Cursor{}, apierror.InvalidCursor()
	}
	if !ValidID(id) {
		return Cursor{}, apierror.InvalidCursor()
	}
	c.ID = id
	return c, nil
}

// ParseCursorParam reads the value of page[cursor] as a client sends it: a
// cursor, or a whole pagination link this server issued (links.next or
// links.prev, any scheme and host, or just its path and query), from which
// the cursor is taken. Klaviyo's SDKs document passing links.next as the page
// cursor and strip it down to the cursor only for https links, so over plain
// http the link itself arrives here. Anything else is "Invalid cursor
// provided.".
func ParseCursorParam(v string) (Cursor, *apierror.Error) {
	if !strings.Contains(v, "://") && !strings.HasPrefix(v, "/api/") {
		return DecodeCursor(v)
	}
	u, err := url.Parse(v)
	if err != nil || !strings.HasPrefix(u.Path, "/api/") || u.Fragment != "" || u.User != nil ||
		(u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || (u.Scheme != "") != (u.Host != "") {
		return Cursor{}, apierror.InvalidCursor()
	}
	inner, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Cursor{}, apierror.InvalidCursor()
	}
	vals := inner[ParamCursor]
	if len(vals) == 0 {
		return Cursor{}, apierror.InvalidCursor()
	}
	// The link's own cursor must be a cursor, never another link.
	return DecodeCursor(vals[len(vals)-1])
}

// ValidID reports whether id can be a job id: 1 to 128 printable ASCII
// characters other than '/', '?', '#' and '%' (so it fits a URL path segment
// unchanged).
func ValidID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '%' {
			return false
		}
	}
	return true
}

func decodeBase64(s string) (string, bool) {
	if s == "" || len(s) > 4*maxIDLen {
		return "", false
	}
	enc := base64.RawStdEncoding.Strict()
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding.Strict()
	}
	if strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	if trimmed := strings.TrimRight(s, "="); len(s)-len(trimmed) <= 2 {
		s = trimmed
	} else {
		return "", false
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return "", false
	}
	return string(b), true
}
