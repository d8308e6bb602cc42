package persist

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func sample() *State {
	return &State{
		SavedAt: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		Seed:    7,
		Clock:   clock.State{Frozen: true, At: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)},
	}
}

// sampleAccounts returns exports of two small accounts.
func sampleAccounts(t *testing.T) []store.Export {
	t.Helper()
	s := store.New(store.Options{Seed: 1, Now: func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }})
	var out []store.Export
	for _, key := range []string{"pk_a", "pk_b"} {
		a, _ := s.Mutable(key)
		st := accountdoc.AccountState{
			Jobs: map[store.JobKind][]accountdoc.JobState{jobItemUpdate: {{
				ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Status: "queued", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				TotalCount: 1, IDs: map[string][]string{"items": {"$custom:::$default:::A"}}, Errors: []accountdoc.JobError{},
			}}},
			Entities: map[store.EntityKind][]json.RawMessage{itemKind: {json.RawMessage(`{"external_id":"A"}`)}},
		}
		if probs, err := accountdoc.Replace(a, st, accountdoc.ReplaceOptions{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); len(probs) > 0 || err != nil {
			t.Fatal(probs, err)
		}
		ex, err := a.Export()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

func TestSaveLoad_RoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	got, ok, err := Load(path)
	if err != nil || !ok {
		t.Fatalf("%v %v", ok, err)
	}
	if got.State.Version != Version || got.State.Seed != 7 || !got.State.Clock.Frozen {
		t.Fatalf("%+v", got.State)
	}
	var accounts []accountdoc.AccountState
	if err := got.Accounts(func(a accountdoc.AccountState) error { accounts = append(accounts, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 2 || accounts[1].Account != "pk_b" || accounts[0].Jobs[jobItemUpdate][0].ID != "01JAAAAAAAAAAAAAAAAAAAAAAA" ||
		!strings.Contains(string(accounts[0].Entities[itemKind][0]), `"id":"$custom:::$default:::A"`) {
		t.Fatalf("%+v", accounts)
	}
	stop := errors.New("stop")
	n := 0
	if err := got.Accounts(func(accountdoc.AccountState) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("a restore error did not stop the read: %v after %d", err, n)
	}
}

func TestLoad_MissingFileIsNotAnError(t *testing.T) {
	if _, ok, err := Load(filepath.Join(t.TempDir(), "none.json")); ok || err != nil {
		t.Fatalf("%v %v", ok, err)
	}
}

func TestLoad_CorruptFileIsRefusedAndLeftAlone(t *testing.T) {
	for name, content := range map[string]string{
		"truncated":             `{"version":1,"accounts":[{"account":"pk_a","jobs":[`,
		"bad account":           `{"version":1,"accounts":[{"account":"pk_a","surprise":1}]}`,
		"accounts not an array": `{"version":1,"accounts":{}}`,
		"garbage":               "not json",
		"unknown":               `{"version":1,"surprise":true}`,
		"trailing":              `{"version":1} {}`,
		"version":               `{"version":99}`,
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		os.WriteFile(path, []byte(content), 0o600)
		_, _, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", name, err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("%s: the file was changed", name)
		}
	}
}

func TestWriteAtomic_AFailedWriteKeepsThePreviousFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	err := WriteAtomic(path, func(w io.Writer) error {
		w.Write([]byte(`{"version":1,"accounts":[{"acc`)) // half a document, then the "crash"
		return errors.New("disk on fire")
	})
	if err == nil {
		t.Fatal("the failure was not reported")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the previous state file was damaged")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

// TestWriteAtomic_KilledDuringASave kills a process in the middle of a save
// (it has written half of the new state and waits) and shows the previous
// file intact.
func TestWriteAtomic_KilledDuringASave(t *testing.T) {
	if os.Getenv("PERSIST_HELPER_PATH") != "" {
		helperProcess()
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteAtomic_KilledDuringASave$")
	cmd.Env = append(os.Environ(), "PERSIST_HELPER_PATH="+path)
	stdout, _ := cmd.StdoutPipe()
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "half-written" {
		t.Fatalf("helper said %q", line)
	}
	cmd.Process.Kill()
	cmd.Wait()
	stdin.Close()
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatal("killing a save damaged the previous state file")
	}
	if _, ok, err := Load(path); !ok || err != nil {
		t.Fatalf("the previous file no longer loads: %v", err)
	}
	// The kill left a temporary file; the next start removes it, and only it.
	stale, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*"))
	if len(stale) != 1 {
		t.Fatalf("%d temporary files after the kill, want 1: %v", len(stale), stale)
	}
	other := filepath.Join(dir, ".other.json.tmp-1")
	os.WriteFile(other, []byte("x"), 0o600)
	if n, err := RemoveStale(path); n != 1 || err != nil {
		t.Fatalf("RemoveStale = %d, %v; want 1", n, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("another file's temporary file was removed: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("RemoveStale touched the state file")
	}
}

// helperProcess starts a save, writes half of it, says so, and blocks until
// it is killed.
func helperProcess() {
	path := os.Getenv("PERSIST_HELPER_PATH")
	_ = WriteAtomic(path, func(w io.Writer) error {
		w.Write([]byte(strings.Repeat(`{"version":1,"accounts":[`, 100000)))
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
		os.Stdout.WriteString("half-written\n")
		io.ReadAll(os.Stdin) // blocks until the parent kills us
		return errors.New("unreachable")
	})
	os.Exit(0)
}

func TestLoad_AnAccountListedTwiceIsCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	const k = "pk_0123456789abcdef0123456789abcdef01"
	content := `{"version":3,"accounts":[{"account":"` + k + `","items":[]},{"account":"pk_other"},{"account":"` + k + `","items":[]}]}`
	os.WriteFile(path, []byte(content), 0o600)
	_, _, err := Load(path)
	if err == nil {
		t.Fatal("a file listing one account twice was loaded")
	}
	msg := err.Error()
	for _, want := range []string{path, "corrupt", "account 2", "pk_…ef01", "twice", "account 0"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, k) {
		t.Errorf("the message shows the whole key: %s", msg)
	}
	if b, _ := os.ReadFile(path); string(b) != content {
		t.Error("the file was changed")
	}
}

// TestLoad_ATruncatedFileSaysWhereItEnds: a file cut anywhere, even just
// before its final '}', is refused, and the message says where it ends.
func TestLoad_ATruncatedFileSaysWhereItEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(path)
	body := strings.TrimRight(string(whole), "\n")
	for _, cut := range []string{body[:len(body)-1], body[:len(body)-1] + "\n", body[:len(body)/2]} {
		os.WriteFile(path, []byte(cut), 0o600)
		_, _, err := Load(path)
		if err == nil {
			t.Fatalf("a file cut at byte %d was loaded", len(cut))
		}
		want := fmt.Sprintf("ends at byte %d", len(cut))
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "corrupt") {
			t.Errorf("cut at byte %d: the message does not say %q: %v", len(cut), want, err)
		}
	}
}

func TestLoad_ASyntaxErrorSaysWhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, []byte(`{"version":3,"accounts":[{"account":"pk_a",}]}`), 0o600)
	_, _, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "from byte offset 25") || !strings.Contains(err.Error(), "account 0") {
		t.Fatalf("err = %v, want the byte and the account", err)
	}
}

// TestSave_TheFileIsReadableByItsOwnerOnly: it holds whole API keys.
func TestSave_TheFileIsReadableByItsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, []byte("{}"), 0o644) // an older, readable file
	if err := Save(path, sample(), sampleAccounts(t)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestCheckWritable_NamesThePathAndTheReason(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable(filepath.Join(dir, "state.json")); err != nil {
		t.Fatalf("a writable directory was refused: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the check left files behind: %v", entries)
	}
	missing := filepath.Join(dir, "nonexistent", "s.json")
	if err := CheckWritable(missing); err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file or directory") {
		t.Fatalf("a missing directory: %v", err)
	}
	if err := CheckWritable(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("a directory as the state file: %v", err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o500)
		if err := CheckWritable(filepath.Join(ro, "s.json")); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("a read-only directory: %v", err)
		}
	}
}
