package klaviyomock_test

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// buildBinary builds cmd/mockserver into a temporary directory, the same
// go build the Dockerfile and CI run.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mockserver")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/mockserver")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary runs the binary on a free port and returns its base URL.
func startBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--addr=127.0.0.1:0"}, args...)...)
	cmd.Env = []string{}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "listening on "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return "http://" + strings.Trim(after, `"`)
		}
	}
	t.Fatal("the binary never logged its address")
	return ""
}

func TestSameClientAgainstInProcessServerAndBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Run("in-process", func(t *testing.T) {
		clientScenario(t, klaviyomock.RunT(t, scenarioArgs...).URL())
	})
	t.Run("binary", func(t *testing.T) {
		clientScenario(t, startBinary(t, buildBinary(t), scenarioArgs...))
	})
}

func TestBinary_HealthcheckSubcommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	base := startBinary(t, bin)
	addr := strings.TrimPrefix(base, "http://")
	if out, err := exec.Command(bin, "healthcheck", "--addr", addr).CombinedOutput(); err != nil {
		t.Fatalf("healthcheck of a running server failed: %v %s", err, out)
	}
	// A port that was free a moment ago: nothing listens on it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	if err := exec.Command(bin, "healthcheck", "--addr", closed, "--timeout", "2s").Run(); err == nil {
		t.Fatal("healthcheck succeeded with no server")
	}
}
