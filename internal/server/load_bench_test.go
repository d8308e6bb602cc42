package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// benchChanged is how many accounts BenchmarkStart_OnAStateFile changes,
// as scripts/bench's state file row does.
const benchChanged = 100

// benchCfg is a server's configuration with default flags and a state file.
func benchCfg(b *testing.B, path string) config.Config {
	b.Helper()
	c, err := config.Parse([]string{"--addr=127.0.0.1:0", "--rate-limits=off", "--state-file=" + path}, func(string) string { return "" }, nil)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// changeThrough reads every list of the API as account through h (so each
// collection is generated and held) and patches its first item's title, as
// the bench row's client does.
func changeThrough(b *testing.B, h http.Handler, account string) {
	b.Helper()
	do := func(method, target, body string, must bool) string {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("revision", "2026-07-15")
		req.Header.Set("Authorization", "Klaviyo-API-Key "+account)
		if body != "" {
			req.Header.Set("Content-Type", "application/vnd.api+json")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if must && w.Code/100 != 2 {
			b.Fatalf("%s %s: %d %.300s", method, target, w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	for _, r := range resource.Default().All() {
		do("GET", r.Path(), "", false) // some lists only take a POST, as in the bench
	}
	list := do("GET", "/api/catalog-items?page%5Bsize%5D=1", "", true)
	at := strings.Index(list, `"id":"`) + len(`"id":"`)
	id := list[at : at+strings.IndexByte(list[at:], '"')]
	do("PATCH", "/api/catalog-items/"+id, fmt.Sprintf(`{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"changed by bench"}}}`, id), true)
}

// BenchmarkStart_OnAStateFile starts a server (default flags) on a state
// file of 100 accounts whose every list was read and one item patched, as
// scripts/bench's state file row does; "empty" starts one without a file,
// "save" saves the file. The goal: a start on the file costs, beyond an
// empty start, no more than twice a save.
func BenchmarkStart_OnAStateFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state.json")
	if p := os.Getenv("BENCH_STATE_PATH"); p != "" {
		path = p
	}
	cfg := benchCfg(b, path)
	s, err := New(cfg, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchChanged {
		changeThrough(b, s.Handler(), fmt.Sprintf("pk_%034x", 0x100+i))
	}
	if _, err := s.Snapshot(); err != nil { // the file, for a run of "load" alone
		b.Fatal(err)
	}
	b.Run("save", func(b *testing.B) {
		cpu := proc.SelfCPU()
		for b.Loop() {
			if _, err := s.Snapshot(); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	s.Close()
	b.Run("empty", func(b *testing.B) {
		empty := cfg
		empty.StateFile = ""
		cpu := proc.SelfCPU()
		for b.Loop() {
			if _, err := New(empty, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("load", func(b *testing.B) {
		cpu := proc.SelfCPU()
		for b.Loop() {
			s, err := New(cfg, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
		reportCPU(b, cpu)
	})
}

// reportCPU reports the process's CPU time per operation since from, in
// microseconds: on a machine shared with other work it moves less than
// the time per operation does.
func reportCPU(b *testing.B, from time.Duration) {
	b.ReportMetric(float64((proc.SelfCPU()-from).Microseconds())/float64(b.N), "cpu-µs/op")
}
