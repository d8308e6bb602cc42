package jsonw

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/klaviyo-mock/mockserver/internal/jsonw/jsonwtest"
)

// misfitCases are documents holding a number too large for a float64, and
// the JSON pointer and text of the first such number.
var misfitCases = []struct {
	doc, pointer, number string
}{
	{`{"a":1e999}`, "/a", "1e999"},
	{`1e999`, "", "1e999"},
	{`{"data":{"attributes":{"custom_metadata":{"a":{"b":[-1e400]}}}}}`, "/data/attributes/custom_metadata/a/b/0", "-1e400"},
	{`[1,2,[3, 1.8e308 ]]`, "/2/1", "1.8e308"},
	{`[1.7976931348623159e308]`, "/0", "1.7976931348623159e308"},
	{`{"a~b/c":{"":1E+999}}`, "/a~0b~1c/", "1E+999"},
	{`{"k\u00e9y\"\\":{"x":[{}, {"y":2e308}]}}`, "/k\u00e9y\"\\/x/1/y", "2e308"},
	{`{"a":[{"x":1},{"y":"1e999","z":-1e999}]}`, "/a/1/z", "-1e999"},
	{`{"a":{"b":1},"c":1e999,"d":1e999}`, "/c", "1e999"},
	{`{"a":1,"a":1e999}`, "/a", "1e999"},
	{"[" + "1" + strings.Repeat("0", 400) + "]", "/0", "1" + strings.Repeat("0", 400)},
}

// fittingCases are documents whose every number fits a float64 (a
// magnitude below the smallest one reads as zero, as Go and Python read it).
var fittingCases = []string{
	`{"a":1e-999}`, `1.7976931348623157e308`, `-0`, `{"a":"1e999"}`, `{"1e999":1}`, `[4e-324, -2e-324]`,
	"[" + "1" + strings.Repeat("0", 300) + "]", `{"a":[true,false,null,-12.5e3]}`,
}

func TestDecode_RefusesANumberThatDoesNotFitAFloat64WithItsPointer(t *testing.T) {
	for _, c := range misfitCases {
		_, err := Decode([]byte(c.doc))
		var ne *NumberError
		if !errors.As(err, &ne) {
			t.Errorf("%s: error %v, want a NumberError", c.doc, err)
			continue
		}
		if ne.Pointer != c.pointer || ne.Number != c.number {
			t.Errorf("%s: pointer %q number %q, want %q %q", c.doc, ne.Pointer, ne.Number, c.pointer, c.number)
		}
		if want := fmt.Sprintf(DetailNumberOutOfRange, c.number); ne.Detail() != want {
			t.Errorf("%s: detail %q, want %q", c.doc, ne.Detail(), want)
		}
	}
	for _, doc := range fittingCases {
		if _, err := Decode([]byte(doc)); err != nil {
			t.Errorf("%s: %v", doc, err)
		}
	}
}

// A document that is not JSON is a syntax error, even when it holds a
// number that does not fit: the body is refused for what is wrong first.
func TestDecode_ASyntaxErrorComesBeforeANumberThatDoesNotFit(t *testing.T) {
	for _, doc := range []string{`{"a":1e999,}`, `[1e999`, `{"a":1e999} x`} {
		_, err := Decode([]byte(doc))
		var ne *NumberError
		if err == nil || errors.As(err, &ne) {
			t.Errorf("%s: error %v, want a syntax error", doc, err)
		}
	}
}

// The guard finds the same number however the text is cut into reads.
func TestNumberGuard_SeesNumbersAcrossReads(t *testing.T) {
	for _, c := range misfitCases {
		var g NumberGuard
		if _, err := io.Copy(io.Discard, io.TeeReader(iotest.OneByteReader(strings.NewReader(c.doc)), &g)); err != nil {
			t.Fatal(err)
		}
		var ne *NumberError
		if err := g.Err(); !errors.As(err, &ne) || ne.Pointer != c.pointer || ne.Number != c.number {
			t.Errorf("%s one byte at a time: %v, want %q at %q", c.doc, err, c.number, c.pointer)
		}
	}
	for _, doc := range fittingCases {
		var g NumberGuard
		g.Write([]byte(doc))
		if err := g.Err(); err != nil {
			t.Errorf("%s: %v", doc, err)
		}
	}
}

// FuzzDecode_NumbersThatDoNotFit compares the guard with an independent
// walk of the document by encoding/json's tokenizer: a well-formed
// document is refused exactly when one of its numbers does not fit a
// float64, at the first such number's pointer.
func FuzzDecode_NumbersThatDoNotFit(f *testing.F) {
	for _, c := range misfitCases {
		f.Add([]byte(c.doc))
	}
	for _, doc := range fittingCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, ok := jsonwtest.Numbers(doc)
		first, misfit := jsonwtest.FirstMisfit(doc)
		pointer, number := first.Pointer, first.Text
		_, err := Decode(doc)
		var ne *NumberError
		switch {
		case !ok || (err != nil && strings.Contains(err.Error(), "nests deeper")):
			if errors.As(err, &ne) {
				t.Fatalf("%q is not one JSON document, yet the error is %v", doc, err)
			}
		case misfit:
			if !errors.As(err, &ne) || ne.Pointer != pointer || ne.Number != number {
				t.Fatalf("%q: error %v, want %s at %q", doc, err, number, pointer)
			}
			var g NumberGuard // the same, written in two pieces
			g.Write(doc[:len(doc)/3])
			g.Write(doc[len(doc)/3:])
			if err := g.Err(); !errors.As(err, &ne) || ne.Pointer != pointer || ne.Number != number {
				t.Fatalf("%q in two pieces: %v, want %s at %q", doc, err, number, pointer)
			}
		case err != nil:
			t.Fatalf("%q: %v", doc, err)
		}
	})
}

// BenchmarkNumberGuard is the cost of the number check on a job body of
// 100 items (it runs on every request body; Decode itself is far slower).
func BenchmarkNumberGuard(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[`)
	for i := 0; i < 100; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"type":"catalog-item","id":"$custom:::$default:::X%d","attributes":{"title":"a title here",`+
			`"price":12.5,"custom_metadata":{"a":[1,2.5e3,-3],"b":"text \"quoted\" text"}}}`, i)
	}
	sb.WriteString(`]}}}}`)
	doc := []byte(sb.String())
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		var g NumberGuard
		g.Write(doc)
		if g.Err() != nil {
			b.Fatal(g.Err())
		}
	}
}
