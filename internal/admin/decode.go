package admin

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// decode decodes a JSON body strictly into v as it is read (the body
// is never held whole); an empty body leaves v as is when optional. A
// number anywhere in the document that does not fit a float64 is refused
// at its member (jsonw.NumberGuard watches the text as the decoder reads
// it), after syntax errors and before what v's types make of it.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any, optional bool) bool {
	br := bufio.NewReader(http.MaxBytesReader(w, r.Body, a.BodyLimit()))
	if skipSpace(br) == io.EOF && optional {
		return true
	}
	var guard jsonw.NumberGuard
	dec := json.NewDecoder(io.TeeReader(br, &guard))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, perr := peekNonSpace(io.MultiReader(dec.Buffered(), br)); perr != io.EOF {
			err = errTrailingData
		}
	}
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	switch {
	case err != nil && httpx.BodyReadError(err) != nil:
		a.fail(w, httpx.BodyReadError(err))
	case errors.As(err, &maxErr):
		a.fail(w, a.BodyTooLarge())
	case errors.Is(err, errTrailingData):
		a.fail(w, apierror.InvalidPointer("", "The request body has data after the JSON document."))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		a.fail(w, decodeError(err))
	case guard.Err() != nil:
		a.fail(w, apierror.Undecodable(guard.Err()))
	case err == nil:
		return true
	default:
		a.fail(w, decodeError(err))
	}
	return false
}

var errTrailingData = errors.New("data after the JSON document")

// skipSpace consumes JSON whitespace; it returns io.EOF at the end.
func skipSpace(br *bufio.Reader) error {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
		default:
			return nil
		}
	}
}

// peekNonSpace skips JSON whitespace and reports the next byte, or io.EOF.
func peekNonSpace(r io.Reader) (byte, error) {
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			switch b[0] {
			case ' ', '\t', '\r', '\n':
				continue
			}
			return b[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, *apierror.Error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, apierror.Invalid(name, fmt.Sprintf("%s must be a non-negative integer, got %q.", name, v))
	}
	return n, nil
}

// decodeError turns a JSON decoding error of a control API body into a
// Klaviyo-shaped 400 that names the member, without Go type names.
func decodeError(err error) *apierror.Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var memberErr *accountdoc.MemberError
	switch {
	case errors.As(err, &typeErr):
		pointer := "/" + strings.ReplaceAll(typeErr.Field, ".", "/")
		return apierror.InvalidPointer(pointer, fmt.Sprintf("%q must be %s, got a JSON %s.",
			typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value))
	case errors.As(err, &syntaxErr):
		return apierror.ParseError(fmt.Sprintf("%s (at byte %d)", syntaxErr.Error(), syntaxErr.Offset))
	case errors.As(err, &memberErr):
		return apierror.InvalidPointer("/"+memberErr.Member, memberErr.Detail)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apierror.InvalidPointer("/"+name, fmt.Sprintf("%q is not a member this control route reads.", name))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apierror.ParseError("the body ends before the JSON document does")
	}
	return apierror.InvalidPointer("", "The request body is not valid: "+strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names the JSON type a Go kind is read from.
func jsonKind(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"), strings.HasPrefix(goKind, "float"):
		return "a number"
	case goKind == "string":
		return "a string"
	case goKind == "bool":
		return "a boolean"
	case goKind == "slice" || goKind == "array":
		return "an array"
	}
	return "an object"
}
