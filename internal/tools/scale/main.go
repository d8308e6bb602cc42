// Command scale proves the scale-out of docs/performance.md on a real
// engine: it starts three mockserver processes on free loopback ports and
// Debian's haproxy in front of them with docker/haproxy.cfg (the file the
// compose profile "scale" mounts), then checks that every request of one
// API key reaches one process, that an account's data and rate limits hold
// across many requests through the proxy, and that each process's control
// API answers on its own address. Last it measures reads through the proxy
// against one process alone, as a ratio measured in one run. It exits 1 on
// the first check that fails, saying what it expected.
//
//	go run ./internal/tools/scale              (scripts/scale-check wraps it)
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// processes is how many emulators run behind the proxy (docker/haproxy.cfg
// names three).
const processes = 3

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "mockserver binary (default: build ./cmd/mockserver)")
	flag.StringVar(&o.haproxy, "haproxy", "haproxy", "the haproxy binary (Debian: apt-get install haproxy)")
	flag.StringVar(&o.config, "config", "docker/haproxy.cfg", "the HAProxy configuration")
	flag.IntVar(&o.keys, "keys", 30, "distinct API keys sent through the proxy")
	flag.IntVar(&o.perKey, "per-key", 10, "requests per key")
	flag.DurationVar(&o.duration, "duration", 3*time.Second, "how long each throughput run lasts (0: none)")
	flag.IntVar(&o.conns, "conns", 16, "connections of each throughput run")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	bin, haproxy, config string
	keys, perKey, conns  int
	duration             time.Duration
}

// fleet is the processes and the proxy in front of them.
type fleet struct {
	procs []*proc.Process
	bases []string // each process's http://127.0.0.1:port
	proxy string   // the proxy's http://127.0.0.1:port
	cmd   *exec.Cmd
}

func run(o options) error {
	bin, cleanup, err := proc.Binary(o.bin)
	if err != nil {
		return err
	}
	defer cleanup()
	f, err := start(o, bin)
	if err != nil {
		return err
	}
	defer f.stop()
	fmt.Printf("three processes %v behind haproxy at %s\n", f.bases, f.proxy)
	for _, check := range []func(options, *fleet) error{sticky, dataHolds, limitsHold, controlReachable} {
		if err := check(o, f); err != nil {
			return err
		}
	}
	if o.duration > 0 {
		return throughput(o, f)
	}
	return nil
}

// start launches the processes (clock frozen, so rate windows stay put
// while the checks run) and the proxy, and waits until the proxy's health
// checks have found every process.
func start(o options, bin string) (*fleet, error) {
	f := &fleet{}
	for range processes {
		p, err := proc.Launch(bin, "--freeze-clock", "--seed", "1")
		if err != nil {
			f.stop()
			return nil, err
		}
		f.procs = append(f.procs, p)
		s, err := p.Listening(30 * time.Second)
		if err != nil {
			f.stop()
			return nil, fmt.Errorf("a process never listened: %v\n%s", err, p.Log())
		}
		f.bases = append(f.bases, s.Base)
	}
	if err := f.startProxy(o); err != nil {
		f.stop()
		return nil, err
	}
	return f, nil
}

// startProxy runs haproxy in the foreground on a free loopback port, its
// servers the processes, and waits until a request through it succeeds.
func (f *fleet) startProxy(o options) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	bind := fmt.Sprintf("127.0.0.1:%d", port)
	f.cmd = exec.Command(o.haproxy, "-db", "-f", o.config)
	f.cmd.Env = append(os.Environ(), "HAPROXY_BIND="+bind)
	for i, base := range f.bases {
		f.cmd.Env = append(f.cmd.Env, fmt.Sprintf("MOCK%d=%s", i+1, base[len("http://"):]))
	}
	f.cmd.Stdout, f.cmd.Stderr = os.Stderr, os.Stderr
	if err := f.cmd.Start(); err != nil {
		return fmt.Errorf("%s: %v (Debian: apt-get install haproxy)", o.haproxy, err)
	}
	f.proxy = "http://" + bind
	return waitReady(f.proxy)
}

// freePort asks the kernel for a free loopback port. The proxy binds it a
// moment later; another process taking it first makes the run fail, not
// lie.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (f *fleet) stop() {
	if f.cmd != nil && f.cmd.Process != nil {
		f.cmd.Process.Kill()
		f.cmd.Wait()
	}
	for _, p := range f.procs {
		p.Terminate()
		if _, ok := p.Wait(10 * time.Second); !ok {
			p.Kill()
		}
	}
}
