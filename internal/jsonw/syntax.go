package jsonw

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// SyntaxError is a body Decode refused as not JSON, with where it broke.
// Its Error is the decoder's message alone (what Klaviyo's framework puts
// in its detail); Offset, Line and Column locate it for a hint.
type SyntaxError struct {
	Msg string
	// Offset is the byte offset (from 0) of the first byte that is not
	// JSON, or the body's length when the body ends too soon.
	Offset int
	// Line and Column (from 1; the column in characters) are Offset's.
	Line, Column int
}

// Error returns the decoder's message.
func (e *SyntaxError) Error() string { return e.Msg }

// located returns err as a *SyntaxError located in body, when body is not
// well-formed JSON; otherwise (a document nesting too deeply) err itself.
func located(body []byte, err error) error {
	var raw json.RawMessage
	se, ok := json.Unmarshal(body, &raw).(*json.SyntaxError)
	if !ok {
		return err
	}
	off := int(se.Offset)
	if !strings.HasPrefix(se.Error(), "unexpected end") && off > 0 {
		off-- // the offending byte, not the bytes read through it
	}
	off = min(off, len(body))
	start := bytes.LastIndexByte(body[:off], '\n') + 1
	return &SyntaxError{Msg: err.Error(), Offset: off, Line: bytes.Count(body[:off], []byte{'\n'}) + 1,
		Column: utf8.RuneCount(body[start:off]) + 1}
}
