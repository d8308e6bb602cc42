package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/server"
	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// startStatic runs this program as the static-bytes server of the answers
// in file.
func startStatic(file string) (*proc.Server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return proc.StartCmd(exec.Command(self, "-static", file))
}

// answerKey is what the static server finds an answer by: the call's
// method, revision, target and step (the Bench-Step header).
func answerKey(method, rev, target, step string) string {
	return method + " " + rev + " " + target + " " + step
}

// serveStatic serves the recorded answers, each with its headers (but
// Date), on the emulator's own net/http settings (timeouts, header cap,
// connection limit, with its default flags): only what is served differs.
func serveStatic(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var answers []answer
	if err := json.Unmarshal(b, &answers); err != nil {
		return err
	}
	byKey := map[string]*answer{}
	for i := range answers {
		a := &answers[i]
		a.Header.Del("Date")
		byKey[answerKey(a.Method, a.Rev, a.Target, strconv.Itoa(a.Step))] = a
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println("listening on " + ln.Addr().String())
	cfg, err := config.Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		return err
	}
	hs := server.HTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := byKey[answerKey(r.Method, r.Header.Get("revision"), r.RequestURI, r.Header.Get("Bench-Step"))]
		if a == nil {
			http.NotFound(w, r)
			return
		}
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
		}
		h := w.Header()
		for k, v := range a.Header {
			h[k] = v
		}
		w.WriteHeader(a.Status)
		w.Write(a.Body)
	}), cfg, nil)
	// It stops on SIGINT or SIGTERM as the emulator does: started from a
	// background job of a script, it would otherwise inherit SIGINT ignored
	// and be killed only after the bench's grace.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); hs.Close() }()
	if err := hs.Serve(server.Limit(hs, ln, cfg, nil)); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
