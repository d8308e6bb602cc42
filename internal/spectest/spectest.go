// Package spectest is a test-only helper that checks HTTP response documents
// produced by the emulator against Klaviyo's official OpenAPI document of the
// Catalogs API at the same revision (embedded from testdata/openapi, MIT
// licensed by Klaviyo).
//
// The only deviations from the spec that are accepted are the rows of
// Tolerances; everything else the spec says (types, enums, required members,
// date-time and uri formats, the media type of success responses) is
// enforced. Every violation is reported with the JSON pointer of the
// offending value.
//
// It also offers DecodeJob and DecodeJobs, an independent JSON:API decoding
// of job documents through github.com/google/jsonapi.
package spectest

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Response describes one HTTP response served by the emulator, together with
// the request facts needed to pick the spec's schema and tolerances.
type Response struct {
	// Revision is the exact revision date whose spec applies, e.g. "2022-10-17".
	Revision string
	// Method is the HTTP method of the request, e.g. "GET".
	Method string
	// Path is the request path as sent, with or without a trailing slash;
	// a query string, if present, is ignored.
	Path string
	// Status is the HTTP status code served.
	Status int
	// ContentType is the Content-Type header served.
	ContentType string
	// Body is the response body served.
	Body []byte
	// Fields is the fields[<type>] list the request sent for the type of
	// the document's data, or nil when it sent none.
	Fields []string
	// IncludedFields is the fields[<type>] list the request sent for the
	// type of included[], or nil when it sent none.
	IncludedFields []string
}

// Validate checks r like Check and reports any failure on t with t.Errorf,
// naming the revision, method, path, status and every schema violation.
func Validate(t testing.TB, r Response) {
	t.Helper()
	if err := Check(r); err != nil {
		t.Errorf("%v", err)
	}
}

// Check validates r against the spec of r.Revision (with the Tolerances
// applied) and returns nil when the response conforms, or an error listing
// every violation with its JSON path.
func Check(r Response) error {
	if err := check(r); err != nil {
		return fmt.Errorf("spectest: revision %s %s %s status %d: %w",
			r.Revision, r.Method, r.Path, r.Status, err)
	}
	return nil
}

func check(r Response) error {
	doc, err := loadDoc(r.Revision, r.Fields, r.IncludedFields)
	if err != nil {
		return err
	}
	return checkDoc(doc, r)
}

// checkDoc validates r against doc (normally a copy with the Tolerances
// applied; tests also pass the unpatched spec).
func checkDoc(doc *openapi3.T, r Response) error {
	tmpl, op, err := findOperation(doc, r.Method, r.Path)
	if err != nil {
		return err
	}
	key, resp := pickResponse(op, r.Status)
	if resp == nil {
		return fmt.Errorf("spec path %s declares no response for status %d (declared: %s)",
			tmpl, r.Status, strings.Join(responseKeys(op), ", "))
	}
	if len(resp.Content) == 0 { // 204: no body at all
		if len(r.Body) != 0 {
			return fmt.Errorf("spec path %s response %q has no content, got %d bytes", tmpl, key, len(r.Body))
		}
		return nil
	}
	media, err := pickMedia(r, resp)
	if err != nil {
		return fmt.Errorf("spec path %s response %q: %w", tmpl, key, err)
	}
	var body any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		return fmt.Errorf("spec path %s response %q: body is not JSON: %v", tmpl, key, err)
	}
	verr := media.Schema.Value.VisitJSON(body, schemaOptions()...)
	if verr == nil {
		return nil
	}
	var lines []string
	flatten(verr, &lines)
	return fmt.Errorf("spec path %s response %q (%s): %d violation(s):\n  %s",
		tmpl, key, r.ContentType, len(lines), strings.Join(lines, "\n  "))
}

// schemaOptions are the kin-openapi value-validation options. In v0.153.0
// EnableFormatValidation only sets a flag that value validation never reads:
// formats are checked whenever a validator is registered for them. The
// package registers "date-time" (RFC 3339, offset required) itself; "uri" has
// no built-in validator, so one is supplied per call here (no global state).
func schemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.MultiErrors(),
		openapi3.VisitAsResponse(),
		openapi3.EnableFormatValidation(),
		openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(validateURI)),
	}
}

// validateURI accepts an absolute URI (RFC 3986: a scheme is mandatory);
// http(s) URIs also need a host.
func validateURI(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("not a URI: %v", err)
	case u.Scheme == "":
		return errors.New("not an absolute URI (no scheme)")
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host == "":
		return errors.New("http(s) URI without a host")
	case strings.ContainsAny(s, " \t\r\n"):
		return errors.New("URI contains whitespace")
	}
	return nil
}

// pickResponse chooses the response object by exact status code, else by the
// "4XX"/"5XX"-style range key.
func pickResponse(op *openapi3.Operation, status int) (string, *openapi3.Response) {
	for _, key := range []string{strconv.Itoa(status), fmt.Sprintf("%dXX", status/100)} {
		if ref := op.Responses.Value(key); ref != nil && ref.Value != nil {
			return key, ref.Value
		}
	}
	return "", nil
}

func responseKeys(op *openapi3.Operation) []string {
	keys := op.Responses.Keys()
	sort.Strings(keys)
	return keys
}

// pickMedia returns the media type object whose schema applies to the served
// Content-Type (parameters such as charset are ignored).
func pickMedia(r Response, resp *openapi3.Response) (*openapi3.MediaType, error) {
	declared := make([]string, 0, len(resp.Content))
	for k := range resp.Content {
		declared = append(declared, k)
	}
	sort.Strings(declared)
	served, _, err := mime.ParseMediaType(r.ContentType)
	if err != nil {
		return nil, fmt.Errorf("unparsable Content-Type %q: %v", r.ContentType, err)
	}
	if m := resp.Content.Get(served); m != nil && m.Schema != nil {
		return m, nil
	}
	if r.Status >= 400 && served == mediaVndAPI && tolerated(tolErrorVndAPI, r.Revision) {
		if m := resp.Content.Get(mediaJSON); m != nil && m.Schema != nil {
			return m, nil
		}
	}
	return nil, fmt.Errorf("Content-Type %q (media type %s) is not the spec's %s",
		r.ContentType, served, strings.Join(declared, ", "))
}

const (
	mediaJSON   = "application/json"
	mediaVndAPI = "application/vnd.api+json"
)

// flatten turns kin-openapi's (possibly nested) multi-errors into one line
// per violation: "<JSON pointer>: <reason>".
func flatten(err error, out *[]string) {
	var me openapi3.MultiError
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, sub := range e {
			flatten(sub, out)
		}
	case *openapi3.SchemaError:
		if e.Origin != nil && errors.As(e.Origin, &me) {
			flatten(me, out)
			return
		}
		*out = append(*out, describe(e))
	default:
		*out = append(*out, err.Error())
	}
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func describe(e *openapi3.SchemaError) string {
	var b strings.Builder
	for _, tok := range e.JSONPointer() {
		b.WriteString("/" + pointerEscaper.Replace(tok))
	}
	if b.Len() == 0 {
		b.WriteString("/")
	}
	b.WriteString(": ")
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		b.WriteString("does not match schema keyword " + strconv.Quote(e.SchemaField))
	}
	switch e.Value.(type) {
	case map[string]any, []any:
	default:
		if v, err := json.Marshal(e.Value); err == nil && len(v) <= 120 {
			b.WriteString(" (value " + string(v) + ")")
		}
	}
	return b.String()
}
