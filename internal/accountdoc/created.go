package accountdoc

import (
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// hiddenCreated is the member in which the state file keeps the created
// time of an entity whose documents do not show one (a category shows
// only updated): it orders the kind's lists, so a restart must keep it.
// The control API's documents leave it out, as the API's do.
const hiddenCreated = "created"

// showsCreated reports whether kind's documents show its created time.
func showsCreated(kind store.EntityKind) bool {
	for _, a := range kind.Attrs() {
		if a.Role == schema.Created {
			return true
		}
	}
	return false
}

// appendHiddenCreated adds e's created time to its document b (as
// AppendEntityState wrote it), as the state file keeps it.
func appendHiddenCreated(b []byte, e *store.Entity) []byte {
	if e.Created.IsZero() || len(b) == 0 || b[len(b)-1] != '}' {
		return b
	}
	b = jsonw.Key(b[:len(b)-1], hiddenCreated, false)
	return append(jsonw.Time(b, e.Created), '}')
}

// readHiddenCreated sets e's created time from a state file's member (see
// hiddenCreated): an RFC 3339 datetime, as a shown created time is.
func readHiddenCreated(e *store.Entity, v any, fail func(string, string, ...any)) {
	t, detail := codec.ParseDatetime(v)
	if detail != "" {
		fail(memberPointer(hiddenCreated), detail)
		return
	}
	e.Created = t
}
