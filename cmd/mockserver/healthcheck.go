package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
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
	fs.StringVar(&addr, "addr", addr, "address of the server to check (default $MOCKSERVER_ADDR or 127.0.0.1:8080)")
	socket := fs.String("health-socket", getenv(config.EnvName("health-socket")), "Unix socket of the server, probed first (default $MOCKSERVER_HEALTH_SOCKET)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	// The health socket finds the server whatever address it listens on,
	// even one given as a flag the healthcheck cannot see (docker run IMAGE
	// --addr ...).
	if *socket != "" {
		dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", *socket)
		}
		if probe(ctx, &http.Client{Transport: &http.Transport{DialContext: dial}}, "http://localhost/__admin/health", stdout, io.Discard) {
			return 0
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
	url := "http://" + net.JoinHostPort(host, port) + "/__admin/health"
	if probe(ctx, http.DefaultClient, url, stdout, stderr) {
		return 0
	}
	return 1
}

// probe asks url and reports whether it answered 200.
func probe(ctx context.Context, client *http.Client, url string, stdout, stderr io.Writer) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return false
	}
	res, err := client.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return false
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "healthcheck: %s answered %d\n", url, res.StatusCode)
		return false
	}
	fmt.Fprintln(stdout, "healthy")
	return true
}
