package apierror

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// Invalid is a 400 about a query parameter.
func Invalid(parameter, detail string) *Error {
	e := newErr(400, CodeInvalid, TitleInvalid, detail, &Source{Parameter: parameter})
	e.Extras = MetaOnly
	return e
}

// Invalidf is Invalid with a formatted detail.
func Invalidf(parameter, format string, args ...any) *Error {
	return Invalid(parameter, fmt.Sprintf(format, args...))
}

// InvalidPointer is a 400 about a member of the request document.
func InvalidPointer(pointer, detail string) *Error {
	return newErr(400, CodeInvalid, TitleInvalid, detail, &Source{Pointer: pointer})
}

// InvalidHeader is a 400 about a request header.
func InvalidHeader(header, detail string) *Error {
	return newErr(400, CodeInvalid, TitleInvalid, detail, &Source{Parameter: header})
}

// InvalidCursor is the 400 Klaviyo sends for a cursor it cannot read.
func InvalidCursor() *Error {
	e := InvalidPointer(PointerDataSlash, DetailInvalidCursor)
	e.Extras = MetaOnly
	return e
}

// UnsupportedQueryField is the 400 Klaviyo sends for a query parameter such
// as page[size] the endpoint does not have (observed: a pointer at the
// parameter as if it were an attribute).
func UnsupportedQueryField(name, resource string) *Error {
	e := InvalidPointer("/data/attributes/"+name, fmt.Sprintf(DetailInvalidField, name, resource))
	e.Extras = MetaOnly
	return e
}

// Undecodable is the 400 for a request body jsonw.Decode refused: invalid
// at the member for a number that does not fit a float64
// (*jsonw.NumberError), a parse_error for anything else.
func Undecodable(err error) *Error {
	var ne *jsonw.NumberError
	if errors.As(err, &ne) {
		return InvalidPointer(ne.Pointer, ne.Detail())
	}
	e := ParseError(err.Error())
	if se := (*jsonw.SyntaxError)(nil); errors.As(err, &se) {
		e.Hintf("The body is not valid JSON at line %d, column %d (byte offset %d).", se.Line, se.Column, se.Offset)
	}
	return e
}

// ParseError is the 400 for a body that is not JSON.
func ParseError(detail string) *Error {
	return newErr(400, CodeParseError, TitleParseError, "JSON parse error - "+detail, &Source{Pointer: PointerData})
}

// UnknownField is the 400 for a sparse-fieldset name the revision does not accept.
func UnknownField(parameter, name, resource string) *Error {
	return Invalid(parameter, fmt.Sprintf(DetailInvalidField, name, resource))
}

// NotAuthenticated is the 401 for a missing header or another scheme.
func NotAuthenticated() *Error {
	e := newErr(401, CodeNotAuthenticated, TitleNotAuthenticated, DetailWrongScheme,
		&Source{Pointer: PointerDataSlash})
	e.Extras = NoExtras
	return e
}

// AuthenticationFailed is the 401 for a key Klaviyo does not accept.
func AuthenticationFailed() *Error {
	e := newErr(401, CodeAuthenticationFailed, TitleAuthenticationFailed,
		TitleAuthenticationFailed, &Source{Pointer: PointerDataSlash})
	e.Extras = NoExtras
	return e
}

// PermissionDenied is a 403 with detail.
func PermissionDenied(detail string) *Error {
	return newErr(403, CodePermissionDenied, TitlePermissionDenied, detail, &Source{Pointer: PointerDataSlash})
}

// NotFound is a 404 about a resource.
func NotFound(detail string) *Error {
	e := newErr(404, CodeNotFound, TitleNotFound, detail, &Source{Pointer: PointerDataSlash})
	e.Extras = NoExtras
	return e
}

// ResourceNotFound is the 404 for an unknown id of a resource type.
func ResourceNotFound(typ, id string) *Error {
	return NotFound(fmt.Sprintf(DetailNotFound, typ, id))
}

// Conflict is the 409 for a create of an entity that exists already (the
// real body is unknown, docs/klaviyo-behaviour.md §12 item 11; §3.2 quotes
// the only 409 Klaviyo was seen to send, for a tag).
func Conflict(pointer, detail string) *Error {
	return newErr(409, CodeConflict, TitleConflict, detail, &Source{Pointer: pointer})
}

// PathNotFound is the 404 for an unknown path under /api.
func PathNotFound(path string) *Error {
	e := newErr(404, CodeNotFound, TitlePathNotFound, fmt.Sprintf(DetailPathNotFound, path), nil)
	e.Extras = NoExtras
	return e
}

// NoValidRevision is the 404 for a revision at which the operation does not exist.
func NoValidRevision() *Error {
	e := newErr(404, CodeNotFound, TitleNotFound, DetailNoValidRevision, &Source{Parameter: "revision"})
	e.Extras = MetaOnly
	return e
}

// MethodNotAllowed is the 405 for a method the path does not serve.
func MethodNotAllowed(method string, allow []string) *Error {
	e := newErr(405, CodeMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", method),
		fmt.Sprintf("Method %q not allowed. Allowed methods: %s.", method, strings.Join(allow, ", ")), nil)
	e.Allow = strings.Join(allow, ", ")
	return e
}

// Gone is a 410.
func Gone(detail string) *Error {
	return newErr(410, CodeGone, TitleGone, detail, &Source{Parameter: "revision"})
}

// TooLarge is a 413.
func TooLarge(detail string) *Error {
	return newErr(413, CodeTooLarge, TitleTooLarge, detail, &Source{Pointer: PointerData})
}

// RequestTimeout is a 408, for a request body that stopped arriving. No
// Klaviyo 408 has been observed; it takes the shape of its 413.
func RequestTimeout(detail string) *Error {
	return newErr(408, CodeRequestTimeout, TitleRequestTimeout, detail, &Source{Pointer: PointerData})
}

// HeaderTooLarge is a 431.
func HeaderTooLarge(detail string) *Error {
	return newErr(431, CodeHeaderTooLarge, TitleHeaderTooLarge, detail, nil)
}

// UnsupportedMediaType is a 415 for a request Content-Type the API does not read.
func UnsupportedMediaType(contentType string) *Error {
	return newErr(415, CodeUnsupportedMedia, fmt.Sprintf("Unsupported media type %q in request.", contentType),
		fmt.Sprintf("Unsupported media type %q in request. Send application/vnd.api+json or application/json.", contentType),
		&Source{Parameter: "Content-Type"})
}

// UnsupportedEncoding is a 415 for a Content-Encoding the API does not read.
func UnsupportedEncoding(encoding string) *Error {
	return newErr(415, CodeUnsupportedMedia, fmt.Sprintf("Unsupported content encoding %q in request.", encoding),
		fmt.Sprintf("Unsupported content encoding %q in request; send the body uncompressed or with gzip.", encoding),
		&Source{Parameter: "Content-Encoding"})
}

// Throttled is the 429 Klaviyo sends when a rate limit is exceeded; modern
// selects the 2024+ shape (pointer "/data" and links.type).
func Throttled(seconds int, modern bool) *Error {
	plural := "s"
	if seconds == 1 {
		plural = ""
	}
	e := newErr(429, CodeThrottled, TitleThrottled, fmt.Sprintf(DetailThrottled, seconds, plural),
		&Source{Pointer: PointerDataSlash})
	if modern {
		e.Source.Pointer = PointerData
		e.LinkType = ThrottledLinkType
	}
	e.RetryAfter = seconds
	return e
}

// Server is a 5xx (500, 502, 503 or 504).
func Server(status int) *Error {
	if status == 503 {
		return newErr(503, CodeServiceUnavailable, TitleServiceUnavailable, TitleServiceUnavailable, nil)
	}
	return newErr(status, CodeServerError, TitleServerError,
		TitleServerError+" (HTTP "+strconv.Itoa(status)+")", nil)
}
