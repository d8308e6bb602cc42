package httpx

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"
)

// oneBuffer is a BufferSource of one buffer, given once when it holds
// what is asked.
type oneBuffer struct {
	b     []byte
	asked []int
}

func (o *oneBuffer) ResponseBuffer(n int) []byte {
	o.asked = append(o.asked, n)
	if cap(o.b) < n {
		return nil
	}
	b := o.b
	o.b = nil
	return b[:0]
}

// TestRecorder_CapturesIntoTheBufferItIsGiven: the first write is
// captured into the buffer Buffers gives for its size, and the capture is
// the bytes written, whatever the buffer held.
func TestRecorder_CapturesIntoTheBufferItIsGiven(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offer  int
		pieces []string
		max    int
		want   string
		used   bool
	}{
		{"fits", 16, []string{"0123456789"}, 64, "0123456789", true},
		{"exact", 10, []string{"0123456789"}, 64, "0123456789", true},
		{"too small", 8, []string{"0123456789"}, 64, "0123456789", false},
		{"cut at the cap", 8, []string{"0123456789"}, 8, "01234567", true},
		{"grows past it", 12, []string{"0123456789", "abcdef"}, 64, "0123456789abcdef", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			rec := &Recorder{ResponseWriter: w, CaptureMax: tc.max}
			offer := bytes.Repeat([]byte{'x'}, tc.offer)
			rec.Buffers = &oneBuffer{b: offer}
			for _, p := range tc.pieces {
				if _, err := rec.Write([]byte(p)); err != nil {
					t.Fatal(err)
				}
			}
			got, buf := rec.CapturedBody(), rec.CapturedBuffer()
			if got != tc.want || string(buf) != tc.want || rec.Captured != (len(tc.want) < len(strings.Join(tc.pieces, ""))) {
				t.Fatalf("captured %q (buffer %q, truncated %v), want %q", got, buf, rec.Captured, tc.want)
			}
			if used := unsafe.StringData(got) == unsafe.SliceData(offer); used != tc.used && len(tc.pieces) == 1 {
				t.Fatalf("the offered buffer used: %v, want %v", used, tc.used)
			}
			if w.Body.String() != strings.Join(tc.pieces, "") {
				t.Fatalf("the response was %q", w.Body.String())
			}
		})
	}
}

// TestRecorder_AWholeStringIsNoBuffer: a string kept as it is is not a
// buffer to hand over.
func TestRecorder_AWholeStringIsNoBuffer(t *testing.T) {
	rec := &Recorder{ResponseWriter: httptest.NewRecorder(), CaptureMax: 16}
	src := &oneBuffer{b: make([]byte, 8)}
	rec.Buffers = src
	_, _ = rec.WriteString("document")
	if rec.CapturedBody() != "document" || rec.CapturedBuffer() != nil || len(src.asked) != 0 {
		t.Fatalf("captured %q, buffer %q, asked for %v", rec.CapturedBody(), rec.CapturedBuffer(), src.asked)
	}
}
