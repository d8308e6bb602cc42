package httpx

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"
)

func TestRecorder_CapturesTheFirstBytesOfWhatIsWritten(t *testing.T) {
	for _, tc := range []struct {
		name      string
		writes    []string
		max       int
		want      string
		truncated bool
	}{
		{"one write within the cap", []string{"abc"}, 8, "abc", false},
		{"writes filling the cap exactly", []string{"abcd", "efgh"}, 8, "abcdefgh", false},
		{"a write past the cap", []string{"abcdef", "ghijkl"}, 8, "abcdefgh", true},
		{"a write after the cap is full", []string{"abcdefgh", "i"}, 8, "abcdefgh", true},
		{"nothing written", nil, 8, "", false},
		{"no capture", []string{"abc"}, 0, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			rec := &Recorder{ResponseWriter: w, CaptureMax: tc.max}
			for _, s := range tc.writes {
				b := []byte(s)
				if _, err := rec.Write(b); err != nil {
					t.Fatal(err)
				}
				copy(b, strings.Repeat("X", len(b))) // the writer reuses its buffer
			}
			if got := rec.CapturedBody(); got != tc.want || rec.Captured != tc.truncated {
				t.Fatalf("captured %q (truncated %v), want %q (%v)", got, rec.Captured, tc.want, tc.truncated)
			}
			if got := w.Body.String(); got != strings.Join(tc.writes, "") {
				t.Fatalf("the response was %q", got)
			}
		})
	}
}

func TestRecorder_KeepsAWholeStringWithinTheCapWithoutACopy(t *testing.T) {
	w := httptest.NewRecorder()
	rec := &Recorder{ResponseWriter: w, CaptureMax: 8}
	doc := strings.Repeat("d", 8)
	if _, err := io.WriteString(rec, doc); err != nil {
		t.Fatal(err)
	}
	got := rec.CapturedBody()
	if got != doc || rec.Captured || unsafe.StringData(got) != unsafe.StringData(doc) {
		t.Fatalf("captured %q (truncated %v), a copy: %v; want the string written itself",
			got, rec.Captured, unsafe.StringData(got) != unsafe.StringData(doc))
	}
	if w.Body.String() != doc {
		t.Fatalf("the response was %q", w.Body.String())
	}
}

func TestRecorder_CapturesStringsAsItCapturesBytes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		writes    []string
		asString  []bool
		want      string
		truncated bool
	}{
		{"a string past the cap", []string{"abcdefghij"}, []bool{true}, "abcdefgh", true},
		{"a string then bytes", []string{"abc", "def"}, []bool{true, false}, "abcdef", false},
		{"bytes then a string", []string{"abc", "def"}, []bool{false, true}, "abcdef", false},
		{"two strings past the cap", []string{"abcdef", "ghij"}, []bool{true, true}, "abcdefgh", true},
		{"an empty string", []string{""}, []bool{true}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			rec := &Recorder{ResponseWriter: w, CaptureMax: 8}
			for i, s := range tc.writes {
				var err error
				if tc.asString[i] {
					_, err = io.WriteString(rec, s)
				} else {
					_, err = rec.Write([]byte(s))
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := rec.CapturedBody(); got != tc.want || rec.Captured != tc.truncated {
				t.Fatalf("captured %q (truncated %v), want %q (%v)", got, rec.Captured, tc.want, tc.truncated)
			}
			if got := w.Body.String(); got != strings.Join(tc.writes, "") || rec.Bytes != len(got) {
				t.Fatalf("the response was %q, %d bytes counted", got, rec.Bytes)
			}
			if rec.Status != 200 {
				t.Fatalf("status %d", rec.Status)
			}
		})
	}
}

// spyWriter records how a body reaches the writer under the recorder.
type spyWriter struct {
	*httptest.ResponseRecorder
	writes, stringWrites int
	first                []byte
}

func (s *spyWriter) Write(p []byte) (int, error) {
	if s.writes == 0 {
		s.first = p
	}
	s.writes++
	return s.ResponseRecorder.Write(p)
}

func (s *spyWriter) WriteString(str string) (int, error) {
	s.stringWrites++
	return s.ResponseRecorder.WriteString(str)
}

// TestRecorder_WritesAStringAsTheBytesItHolds checks that a string (a
// cached document) reaches the writer as one Write of its own bytes:
// net/http's WriteString copies a large body through its 2 KiB buffer, a
// piece per write to the connection, where one Write of a large slice goes
// to the connection whole.
func TestRecorder_WritesAStringAsTheBytesItHolds(t *testing.T) {
	spy := &spyWriter{ResponseRecorder: httptest.NewRecorder()}
	rec := &Recorder{ResponseWriter: spy, CaptureMax: 16}
	doc := strings.Repeat("d", 64<<10)
	if n, err := io.WriteString(rec, doc); n != len(doc) || err != nil {
		t.Fatalf("wrote %d, %v", n, err)
	}
	if spy.writes != 1 || spy.stringWrites != 0 || unsafe.SliceData(spy.first) != unsafe.StringData(doc) {
		t.Fatalf("%d writes, %d string writes, a copy: %v; want one write of the string's own bytes",
			spy.writes, spy.stringWrites, spy.writes > 0 && unsafe.SliceData(spy.first) != unsafe.StringData(doc))
	}
	if spy.Body.String() != doc || rec.CapturedBody() != doc[:16] || !rec.Captured {
		t.Fatalf("the response or its capture differ: %d bytes, captured %q", spy.Body.Len(), rec.CapturedBody())
	}
}
