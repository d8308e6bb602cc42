package jsonw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DetailNumberOutOfRange is the detail of a NumberError, formatted with the
// number as sent: the words the API has always used for a price that does
// not fit.
const DetailNumberOutOfRange = "'%s' is not a valid number."

// NumberError is a number in a JSON document whose magnitude is too large
// for a float64 (it would read as ±Inf): JSON decoders such as Go's
// encoding/json refuse it, so a document echoing it could not be read
// back. A magnitude too small for one is not an error: it reads as zero,
// in Go as in Python.
type NumberError struct {
	// Pointer is the JSON pointer (RFC 6901) of the number's member.
	Pointer string
	// Number is the number as sent.
	Number string
}

// Error implements error.
func (e *NumberError) Error() string { return e.Pointer + ": " + e.Detail() }

// Detail says what is wrong with the number, for an error's detail.
func (e *NumberError) Detail() string { return fmt.Sprintf(DetailNumberOutOfRange, e.Number) }

// fits reports whether the JSON number literal n reads as a finite
// float64. Without an exponent, 300 digits always fit.
func fits(n []byte) bool {
	if len(n) <= 300 && !bytes.ContainsAny(n, "eE") {
		return true
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	return !math.IsInf(f, 0)
}

// NumberGuard watches a JSON text written to it, in pieces of any size,
// for the first number that does not fit a float64 (see NumberError),
// keeping track of where it is so Err can name the member. It reads any
// text without failing (it is not a validator: a decoder reports syntax
// errors), holds the open members' keys and nothing else, and its zero
// value is ready. Decode checks with one; a decoder reading a stream
// checks with one through io.TeeReader.
type NumberGuard struct {
	stack   []guardFrame
	wantKey bool // the next string in the open object is a key
	str     bool // inside a string
	key     bool // the string is the open object's key
	escape  bool // after a backslash in a string
	num     []byte
	inNum   bool
	err     *NumberError
}

// guardFrame is an open object (its current member's key, as sent) or
// array (its current element's index).
type guardFrame struct {
	obj bool
	key []byte
	idx int
}

// Write implements io.Writer; it never fails.
func (g *NumberGuard) Write(p []byte) (int, error) {
	for i := 0; i < len(p) && g.err == nil; i++ {
		if g.str && !g.key && !g.escape {
			// Inside a value string only a quote or a backslash matters.
			j := bytes.IndexAny(p[i:], `"\`)
			if j < 0 {
				break
			}
			i += j
		}
		g.byte(p[i])
	}
	return len(p), nil
}

// Err returns the first number of the text written so far that does not
// fit a float64, as a *NumberError, or nil.
func (g *NumberGuard) Err() error {
	if g.inNum {
		g.endNumber()
	}
	if g.err == nil {
		return nil
	}
	return g.err
}

func (g *NumberGuard) byte(c byte) {
	if g.str {
		g.inString(c)
		return
	}
	if g.inNum {
		if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			g.num = append(g.num, c)
			return
		}
		g.endNumber()
	}
	top := len(g.stack) - 1
	switch {
	case c == '"':
		g.str, g.escape = true, false
		g.key = top >= 0 && g.stack[top].obj && g.wantKey
		if g.key {
			g.stack[top].key, g.wantKey = g.stack[top].key[:0], false
		}
	case c == '{':
		g.push(true)
		g.wantKey = true
	case c == '[':
		g.push(false)
	case (c == '}' || c == ']') && top >= 0:
		g.stack, g.wantKey = g.stack[:top], false
	case c == ',' && top >= 0:
		g.stack[top].idx++
		g.wantKey = g.stack[top].obj
	case c == '-' || c >= '0' && c <= '9':
		g.inNum, g.num = true, append(g.num[:0], c)
	}
}

// push opens an object or array, reusing the key buffer of a frame
// closed before.
func (g *NumberGuard) push(obj bool) {
	if n := len(g.stack); n < cap(g.stack) {
		g.stack = g.stack[:n+1]
		f := &g.stack[n]
		f.obj, f.key, f.idx = obj, f.key[:0], 0
		return
	}
	g.stack = append(g.stack, guardFrame{obj: obj})
}

func (g *NumberGuard) inString(c byte) {
	if g.key {
		top := &g.stack[len(g.stack)-1]
		if g.escape || c != '"' {
			top.key = append(top.key, c)
		}
	}
	switch {
	case g.escape:
		g.escape = false
	case c == '\\':
		g.escape = true
	case c == '"':
		g.str = false
	}
}

func (g *NumberGuard) endNumber() {
	g.inNum = false
	if g.err == nil && !fits(g.num) {
		g.err = &NumberError{Pointer: g.pointer(), Number: string(g.num)}
	}
}

// pointer is the JSON pointer of the value being read.
func (g *NumberGuard) pointer() string {
	var b strings.Builder
	for _, f := range g.stack {
		b.WriteByte('/')
		if !f.obj {
			b.WriteString(strconv.Itoa(f.idx))
			continue
		}
		var key string
		if json.Unmarshal(append(append([]byte{'"'}, f.key...), '"'), &key) != nil {
			key = string(f.key) // not valid JSON: a decoder refuses the text anyway
		}
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(key))
	}
	return b.String()
}
