package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/config"
)

// healthcheck asks a running server's /__admin/health and exits 0 when it
// answers 200, for Docker's HEALTHCHECK in an image without curl.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mockserver healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := getenv(config.EnvName("addr"))
	if addr == "" {
		addr = config.Default().Addr
	}
	fs.StringVar(&addr, "addr", addr, "address of the server to check (default: the address in --addr-file if it exists, else $MOCKSERVER_ADDR or 127.0.0.1:8080)")
	addrFile := fs.String("addr-file", getenv(config.EnvName("addr-file")), "file a server started with --addr-file wrote its address to (default $MOCKSERVER_ADDR_FILE)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	addrGiven := false
	fs.Visit(func(f *flag.Flag) { addrGiven = addrGiven || f.Name == "addr" })
	// The address the server wrote is the one it really listens on, even
	// when it was started with --addr as a flag the healthcheck cannot see
	// (docker run IMAGE --addr ...).
	if !addrGiven && *addrFile != "" {
		if b, err := os.ReadFile(*addrFile); err == nil && strings.TrimSpace(string(b)) != "" {
			addr = strings.TrimSpace(string(b))
		}
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: --addr: must be host:port, got %q\n", addr)
		return 2
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // a server listening on all interfaces answers on loopback
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/__admin/health"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "healthcheck: %s answered %d\n", url, res.StatusCode)
		return 1
	}
	fmt.Fprintln(stdout, "healthy")
	return 0
}
