package server

import (
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// NewLogger returns the slog logger cfg asks for, writing to w.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logReady writes, once the server listens, where the API and the web page
// are and one request to try: one record, so a JSON log holds it whole.
func (s *Server) logReady(addr string) {
	base := s.cfg.PublicURL
	if base == "" {
		host, port, _ := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	all := resource.Default().Revisions().All()
	s.logger.Info("ready",
		slog.String("api", base+"/api"),
		slog.String("page", base+"/__admin/ui/"),
		slog.String("example_key", admin.ExampleKey),
		slog.String("try", fmt.Sprintf("curl -H 'revision: %s' -H 'Authorization: Klaviyo-API-Key %s' %s/api/catalog-items",
			all[len(all)-1].Date, admin.ExampleKey, base)))
}
