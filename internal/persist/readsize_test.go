package persist

import (
	"path/filepath"
	"runtime"
	"testing"
)

// Reading a small state file takes a buffer of about its size, not the
// 4 MiB a large file's accounts are read in: a start on a file of a few
// accounts would otherwise clear megabytes it never fills.
func TestLoad_ASmallFileIsReadInABufferOfItsSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := Save(path, sample(), nil); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 10
	for range n {
		if _, ok, err := Load(path); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 256<<10 {
		t.Errorf("loading a small state file allocates %d KiB; want under 256 KiB", per>>10)
	}
}
