package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// A file read to its end in one buffer is checked where it is: the
// accounts read whole (for the restore to take) refer to that buffer
// rather than to copies of their own, and those checked only are not
// copied either. Loading a file of small accounts allocated the file's
// size twice (its buffer, then a copy of every account), besides what
// reading them makes.
func TestLoad_AFileReadToItsEndIsNotCopiedAgain(t *testing.T) {
	var accounts []string
	for i := range 200 {
		items := strings.Repeat(fmt.Sprintf(`{"external_id":"I%d","title":"%s"},`, i, strings.Repeat("t", 1000)), 4)
		accounts = append(accounts, fmt.Sprintf(`{"account":"pk_%04d","items":[%s]}`, i, strings.TrimSuffix(items, ",")))
	}
	doc := `{"version":6,"seed":7,"clock":{"frozen":false},"accounts":[` + strings.Join(accounts, ",") + `]}`
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 5
	for range n {
		if _, ok, err := Load(path); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > uint64(len(doc))*3/2 {
		t.Errorf("loading a file of %d KiB allocates %d KiB; want under one and a half times its size", len(doc)>>10, per>>10)
	}
}

// TestDocReader_SettledOnlyWhenReadWholeIntoABufferOfItsSize: values are
// settled (valid for good, taken without a copy) when the stream was read
// to its end into one buffer it mostly fills; not while more may be read,
// nor when the stream was read a buffer at a time, nor when its size was
// not known and it fills a small part of its buffer.
func TestDocReader_SettledOnlyWhenReadWholeIntoABufferOfItsSize(t *testing.T) {
	doc := `{"accounts":[` + strings.Repeat(`{"account":"k"},`, 10) + `{}]}`
	d := newDocReader(strings.NewReader(doc))
	d.size = int64(len(doc))
	if _, err := d.delim("{"); err != nil || !d.settled() {
		t.Fatalf("a stream of a known size read whole: settled %v (%v)", d.settled(), err)
	}
	d = newDocReader(strings.NewReader(doc)) // size not known: a buffer of readSize
	if _, err := d.delim("{"); err != nil || d.settled() {
		t.Fatalf("a small stream in a buffer of %d bytes: settled %v (%v)", cap(d.buf), d.settled(), err)
	}
	big := `[` + strings.Repeat(`"x",`, readSize/4+1) + `"x"]`
	d = newDocReader(strings.NewReader(big))
	d.size = int64(len(big))
	if _, err := d.delim("["); err != nil || d.settled() {
		t.Fatalf("a stream larger than a buffer, partly read: settled %v (%v)", d.settled(), err)
	}
	if _, err := d.value(); err != nil || d.settled() {
		t.Fatalf("a stream read a buffer at a time: settled %v", d.settled())
	}
}
