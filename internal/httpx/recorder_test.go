package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"
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
