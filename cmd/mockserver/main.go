// Command mockserver runs the Klaviyo catalog item bulk update jobs
// emulator until SIGINT or SIGTERM; "mockserver healthcheck" checks a
// running one.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(ctx, args[1:], getenv, stdout, stderr)
	}
	cfg, err := config.Parse(args, getenv, stderr)
	if config.IsHelp(err) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mockserver:", err)
		fmt.Fprintln(stderr, "Run 'mockserver -h' to list every flag and its environment variable.")
		return 2
	}
	// The Go runtime's memory limit is most of the budget (the rest covers
	// what the runtime does not count: the binary, thread stacks, pages not
	// yet returned): the collector works harder as the heap nears it, while
	// the server's own bounds (accounts, journal, bodies, connections) keep
	// the live heap well below it.
	debug.SetMemoryLimit(cfg.GoMemoryLimit())
	logger := server.NewLogger(cfg, stdout)
	srv, err := server.NewContext(ctx, cfg, logger, nil)
	if errors.Is(err, context.Canceled) {
		// Told to stop while waiting for the state file: nothing was
		// started or changed, so this is a clean stop.
		fmt.Fprintln(stderr, "mockserver:", err)
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mockserver:", err)
		return 1
	}
	ln, err := srv.Listen()
	if err != nil {
		srv.Close() // gives the state file up
		fmt.Fprintln(stderr, "mockserver:", err)
		return 1
	}
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(stderr, "mockserver:", err)
		return 1
	}
	return 0
}
