package klaviyomock_test

import (
	"bufio"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// BenchmarkBinaryStartToHealthy measures the built binary's time from exec
// to its first 200 from /__admin/health (what a compose stack waits for).
func BenchmarkBinaryStartToHealthy(b *testing.B) {
	bin := buildBinary(b)
	for b.Loop() {
		cmd := exec.Command(bin, "--addr=127.0.0.1:0")
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		addr := ""
		for addr == "" && sc.Scan() {
			if _, after, ok := strings.Cut(sc.Text(), "listening on "); ok {
				addr = strings.Trim(after, `"`)
			}
		}
		res, err := http.Get("http://" + addr + "/__admin/health")
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("health: %v", err)
		}
		res.Body.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}
}
