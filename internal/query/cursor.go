package query

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
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
// after ID; Prev cursors return the page that ends just before ID. Lists
// ordered by creation time carry that time too (Keyed, At in Unix
// microseconds), so a page continues after a row that was deleted since.
type Cursor struct {
	Dir   Direction
	ID    string
	Keyed bool
	At    int64
}

const (
	nextPrefix = "next::id::"
	prevPrefix = "prev::id::"
	maxIDLen   = 128
	// maxCursorLen bounds a cursor (a keyed one holds an entity id).
	maxCursorLen = 16 << 10
)

// EncodeCursor returns the opaque cursor string: unpadded standard base64 of
// "next::id::<id>" or "prev::id::<id>", the form Klaviyo's cursors take, or
// for a keyed cursor of the JSON array [<at>, "<id>", <next?>], the form
// of Klaviyo's cursors on lists ordered by time.
func EncodeCursor(c Cursor) string {
	if c.Keyed {
		return encodeKeyed(c)
	}
	prefix := nextPrefix
	if c.Dir == Prev {
		prefix = prevPrefix
	}
	return base64.RawStdEncoding.EncodeToString([]byte(prefix + c.ID))
}

// encodeKeyed returns a keyed cursor: [<at>, "<id>", <next?>] as
// json.Marshal writes it, base64 as EncodeCursor says, in one allocation
// (every list page writes two cursors).
func encodeKeyed(c Cursor) string {
	var js [256]byte
	b := append(strconv.AppendInt(append(js[:0], '['), c.At, 10), ',')
	if plainJSON(c.ID) {
		b = append(append(append(b, '"'), c.ID...), '"')
	} else { // escaped as json.Marshal escapes it
		q, _ := json.Marshal(c.ID)
		b = append(b, q...)
	}
	if c.Dir == Next {
		b = append(b, ",true]"...)
	} else {
		b = append(b, ",false]"...)
	}
	var enc [352]byte
	n := base64.RawStdEncoding.EncodedLen(len(b))
	if n > len(enc) {
		return base64.RawStdEncoding.EncodeToString(b)
	}
	base64.RawStdEncoding.Encode(enc[:n], b)
	return string(enc[:n])
}

// plainJSON reports whether json.Marshal writes s as it is between quotes:
// printable ASCII without the quote, the backslash and the characters it
// escapes for HTML.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
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
	if strings.HasPrefix(raw, "[") {
		return decodeKeyed(raw)
	}
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

// decodeKeyed reads [<at>, "<id>", <next?>].
func decodeKeyed(raw string) (Cursor, *apierror.Error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var parts []any
	if err := dec.Decode(&parts); err != nil || dec.More() || len(parts) != 3 {
		return Cursor{}, apierror.InvalidCursor()
	}
	n, okN := parts[0].(json.Number)
	id, okID := parts[1].(string)
	next, okDir := parts[2].(bool)
	at, err := n.Int64()
	if !okN || !okID || !okDir || err != nil || id == "" {
		return Cursor{}, apierror.InvalidCursor()
	}
	c := Cursor{Dir: Prev, ID: id, Keyed: true, At: at}
	if next {
		c.Dir = Next
	}
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
	if s == "" || len(s) > maxCursorLen {
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
