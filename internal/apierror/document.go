package apierror

import "github.com/klaviyo-mock/mockserver/internal/jsonw"

// Style selects the error document shape of a revision.
type Style struct {
	// Modern adds the `links` and `meta` objects each error's Extras asks for.
	Modern bool
	// Spaced writes JSON with ", " and ": " separators, as Klaviyo's
	// unknown-path 404 does.
	Spaced bool
}

// docWriter appends the members of an error document in one style.
type docWriter struct {
	style        Style
	comma, colon string
}

// key appends member name k (after a separator unless first).
func (w docWriter) key(b []byte, k string, first bool) []byte {
	if !first {
		b = append(b, w.comma...)
	}
	b = jsonw.String(b, k)
	return append(b, w.colon...)
}

// Append appends the document {"errors":[...]} for errs, all sharing id.
func Append(b []byte, id string, style Style, errs ...*Error) []byte {
	w := docWriter{style: style, comma: ",", colon: ":"}
	if style.Spaced {
		w.comma, w.colon = ", ", ": "
	}
	b = append(b, '{')
	b = w.key(b, "errors", true)
	b = append(b, '[')
	for i, e := range errs {
		if i > 0 {
			b = append(b, w.comma...)
		}
		b = w.object(b, id, e)
	}
	return append(b, "]}"...)
}

// object appends one error object.
func (w docWriter) object(b []byte, id string, e *Error) []byte {
	b = append(b, '{')
	b = w.key(b, "id", true)
	b = jsonw.String(b, id)
	b = w.key(b, "status", false)
	b = jsonw.Int(b, e.Status)
	b = w.key(b, "code", false)
	b = jsonw.String(b, e.Code)
	b = w.key(b, "title", false)
	b = jsonw.String(b, e.Title)
	b = w.key(b, "detail", false)
	b = jsonw.String(b, e.Detail)
	if e.Source != nil {
		b = w.key(b, "source", false)
		b = append(b, '{')
		switch {
		case e.Source.Pointer != "":
			b = w.key(b, "pointer", true)
			b = jsonw.String(b, e.Source.Pointer)
		case e.Source.Parameter != "":
			b = w.key(b, "parameter", true)
			b = jsonw.String(b, e.Source.Parameter)
		}
		b = append(b, '}')
	}
	if (w.style.Modern && e.Extras == LinksAndMeta) || e.LinkType != "" {
		b = w.key(b, "links", false)
		b = append(b, '{')
		if e.LinkType != "" {
			b = w.key(b, "type", true)
			b = jsonw.String(b, e.LinkType)
		}
		b = append(b, '}')
	}
	if w.style.Modern && e.Extras != NoExtras {
		b = w.key(b, "meta", false)
		b = append(b, '{')
		if e.Hint != "" {
			b = w.key(b, "hint", true)
			b = jsonw.String(b, e.Hint)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}
