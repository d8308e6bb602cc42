package admin

import (
	"bufio"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// TestWriteCut_APanickingWriteLeavesNoGoroutineOnTheWriter: an export that
// panics mid-write must not leave cutAtStop's goroutine holding the
// response writer, which the pipeline gives back to its pool once the
// request ends (a later stop would set a deadline on another answer).
func TestWriteCut_APanickingWriteLeavesNoGoroutineOnTheWriter(t *testing.T) {
	a := New(Options{Stopping: make(chan struct{})})
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Fatalf("recovered %v, want the write's own panic", p)
			}
		}()
		a.writeCut(httptest.NewRecorder(), func(*bufio.Writer) error { panic("boom") })
	}()
	buf := make([]byte, 1<<20)
	if st := string(buf[:runtime.Stack(buf, true)]); strings.Contains(st, "cutAtStop.func") {
		t.Fatalf("cutAtStop's goroutine outlived the panicking handler:\n%s", st)
	}
}
