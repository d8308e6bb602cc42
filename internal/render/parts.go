package render

import (
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Text is a string in parts, written as the string they join into: a
// link or a hint made of the request's pieces is written into the answer,
// not made as a string of its own first (five parts: a job's poll hint
// has that many). A part that may end inside a
// UTF-8 character must be followed by one that begins with an ASCII byte
// (a part then never completes a character the one before began, so each
// part is escaped as the joined string would be: UTF-8 resynchronises at
// an ASCII byte).
type Text [5]string

// Empty reports whether t has no text.
func (t *Text) Empty() bool { return *t == Text{} }

// appendText appends t as one JSON string.
func appendText(b []byte, t *Text) []byte {
	b = jsonw.String(b, t[0])
	for _, part := range t[1:] {
		if part == "" {
			continue
		}
		// Escape the part after the string so far, then move it two
		// bytes left, over the closing quote before it and its own
		// opening quote.
		end := len(b) - 1
		b = jsonw.String(b, part)
		b = append(b[:end], b[end+2:]...)
	}
	return b
}

// JobDocParts appends the single-job document JobDoc appends, its self
// link given in parts and, when hint is not nil, the hint given in parts
// after hints: what a poll of a job in progress shows, written with no
// string made for it.
func (r *Renderer) JobDocParts(b []byte, j *store.Job, included []*store.Entity, self *Text, hints []string, hint *Text) []byte {
	b = append(b, `{"data":`...)
	b = r.Job(b, j)
	if included != nil {
		ep := r.P.Res.Job.Entity.At(r.P.Profile)
		b = append(b, `,"included":[`...)
		for i, e := range included {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.entity(b, ep, e, r.IncludedFields, r.includedRels(ep), nil)
		}
		b = append(b, ']')
	}
	if r.P.DocumentSelfLink {
		b = append(b, `,"links":{"self":`...)
		b = appendText(b, self)
		b = append(b, '}')
	}
	b = r.metaParts(b, hints, hint)
	return append(b, '}')
}
