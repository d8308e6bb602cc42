// Package apierror is the project's one error vocabulary: the Klaviyo-shaped
// JSON:API error object, its constructors, and the codes, titles and detail
// templates as named constants that tests assert on.
package apierror

import (
	"fmt"
)

// Codes.
const (
	CodeInvalid              = "invalid"
	CodeNotAuthenticated     = "not_authenticated"
	CodeAuthenticationFailed = "authentication_failed"
	CodePermissionDenied     = "permission_denied"
	CodeNotFound             = "not_found"
	CodeConflict             = "conflict"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeGone                 = "gone"
	CodeUnsupportedMedia     = "unsupported_media_type"
	CodeTooLarge             = "request_too_large"
	CodeHeaderTooLarge       = "request_header_too_large"
	CodeRequestTimeout       = "request_timeout"
	CodeThrottled            = "throttled"
	CodeParseError           = "parse_error"
	CodeServerError          = "error"
	CodeServiceUnavailable   = "service_unavailable"
)

// Titles.
const (
	TitleInvalid              = "Invalid input."
	TitleNotAuthenticated     = "Authentication credentials were not provided."
	TitleAuthenticationFailed = "Incorrect authentication credentials."
	TitlePermissionDenied     = "You do not have permission to perform this action."
	TitleNotFound             = "Not found."
	TitlePathNotFound         = "Not found"
	TitleConflict             = "Conflict."
	TitleGone                 = "Gone."
	TitleTooLarge             = "Request entity too large."
	TitleHeaderTooLarge       = "Request header fields too large."
	TitleRequestTimeout       = "Request timeout."
	TitleThrottled            = "Request was throttled."
	TitleParseError           = "Malformed request."
	TitleServerError          = "A server error occurred."
	TitleServiceUnavailable   = "Service temporarily unavailable, try again later."
)

// Details that tests assert on.
const (
	DetailWrongScheme       = "Missing or invalid authorization scheme. Please use Klaviyo-API-Key."
	DetailNoValidRevision   = "No valid revisions found for method, please check our documentation"
	DetailInvalidCursor     = "Invalid cursor provided."
	DetailMissingRevision   = "Missing required header 'revision'. Send the API revision as 'revision: YYYY-MM-DD'."
	DetailFutureRevision    = "Unable to specify a future revision date: %q is later than the server's date %s."
	DetailMalformedRevision = "%q is not a valid revision; expected format YYYY-MM-DD[.suffix]."
	DetailNotFound          = "A %s with id %s does not exist."
	DetailPathNotFound      = "The path %s could not be found"
	DetailInvalidField      = "'%s' is not a valid field for the resource '%s'."
	DetailInvalidInclude    = "'%s' is not an allowed include parameter for this resource."
	DetailThrottled         = "Request was throttled. Expected available in %d second%s."
	// Klaviyo's observed answers to a malformed profile member on /client
	// (its mobile SDKs' test fixtures).
	DetailInvalidEmail = "Invalid email address"
	DetailInvalidPhone = "Invalid phone number format (Example of a valid format: +12345678901)"
	// A /client request's company_id (the account's public key): missing,
	// or not six letters and digits (the wording is the emulator's).
	DetailMissingCompanyID = "Missing required query parameter 'company_id'. Send your account's public API key " +
		"(its six-character site ID, GET /api/accounts shows it as public_api_key) as company_id=…."
	DetailInvalidCompanyID = "%q is not a valid company_id: a public API key (site ID) is six letters and digits, " +
		"e.g. RU8Lmz. Never send a private key to /client."
	ThrottledLinkType = "https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling#rate-limits"
)

// Pointers used by observed errors.
const (
	PointerData      = "/data"
	PointerDataSlash = "/data/"
)

// Source tells which part of the request an error is about: a member of the
// body (Pointer) or a query parameter or header (Parameter).
type Source struct {
	Pointer   string
	Parameter string
}

// Extras says which of the optional `links` and `meta` members an error
// object carries in the modern (2024-05-15+) shape. Observed: query
// parameter errors carry meta only, body errors links and meta, 401 and 404
// neither, throttled links.type and meta.
type Extras uint8

// Extras values; the zero value is links and meta.
const (
	LinksAndMeta Extras = iota
	MetaOnly
	NoExtras
)

// Error is one Klaviyo-shaped JSON:API error object.
type Error struct {
	Status int
	Code   string
	Title  string
	Detail string
	Source *Source
	// LinkType, when set, is written as links.type (throttled errors).
	LinkType string
	// RetryAfter is the whole number of seconds a 429 asks the client to wait.
	RetryAfter int
	// Allow is the Allow header value for 405 responses.
	Allow string
	// Extras selects the optional members of the modern shape.
	Extras Extras
	// Hint says how to fix the request, leaving Klaviyo's detail as
	// observed: it is written as meta.hint where the error carries meta
	// (the modern shape, an error of a kind with meta), and the writer logs
	// it with the request id wherever it is not.
	Hint string
}

// WithHint sets e's Hint and returns e.
func (e *Error) WithHint(hint string) *Error {
	e.Hint = hint
	return e
}

// Hintf is WithHint with a formatted hint.
func (e *Error) Hintf(format string, args ...any) *Error {
	return e.WithHint(fmt.Sprintf(format, args...))
}

// ShowsHint reports whether style writes e's hint into the document.
func (e *Error) ShowsHint(style Style) bool {
	return e.Hint != "" && style.Modern && e.Extras != NoExtras
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
}

func newErr(status int, code, title, detail string, src *Source) *Error {
	return &Error{Status: status, Code: code, Title: title, Detail: detail, Source: src}
}
