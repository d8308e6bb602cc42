package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// errorStream tells the error ids' sequence apart from others of the seed.
const errorStream = 0x6572726f72

// Errors writes Klaviyo error documents, for the API and the control API
// alike: their ids come from one seeded sequence, and a 5xx is logged with
// its request id.
type Errors struct {
	ids    UUIDs
	logger *slog.Logger
	bufs   *Buffers
}

// NewErrors returns the writer of error documents, its ids seeded with
// seed; documents are built in bufs.
func NewErrors(seed uint64, logger *slog.Logger, bufs *Buffers) *Errors {
	e := &Errors{logger: logger, bufs: bufs}
	e.Reseed(seed)
	return e
}

// Reseed restarts the error ids from seed (on a reset).
func (e *Errors) Reseed(seed uint64) { e.ids.Reseed(seed, errorStream) }

// ID returns a UUID4 for one error response, from the seeded sequence.
func (e *Errors) ID() string { return e.ids.Next() }

// Write sends errs as one Klaviyo error document: the status of the first
// error, all errors sharing one id, always application/vnd.api+json.
func (e *Errors) Write(w http.ResponseWriter, style apierror.Style, errs ...*apierror.Error) {
	first := errs[0]
	hd := w.Header()
	if first.RetryAfter > 0 {
		hd.Set("Retry-After", strconv.Itoa(first.RetryAfter))
	}
	if first.Allow != "" {
		hd.Set("Allow", first.Allow)
	}
	if first.Status >= 500 {
		e.logger.Error("server error", "request_id", RecorderOf(w).ID, "status", first.Status, "detail", first.Detail)
	}
	e.logHints(w, style, errs)
	buf := e.bufs.Get()
	*buf = apierror.Append(*buf, e.ID(), style, errs...)
	Write(w, first.Status, revision.JSONAPI, *buf)
	e.bufs.Put(buf)
}

// logHints logs, at info level with the request id, the hint of each
// error that has one: where the error object carries no meta (before
// 2024-05-15, a 401 or 404) the log is the only place it is shown.
func (e *Errors) logHints(w http.ResponseWriter, style apierror.Style, errs []*apierror.Error) {
	for _, x := range errs {
		if x.Hint != "" {
			e.logger.LogAttrs(context.Background(), slog.LevelInfo, "client error", slog.String("request_id", RecorderOf(w).ID),
				slog.Int("status", x.Status), slog.String("code", x.Code), slog.String("detail", x.Detail),
				slog.String("hint", x.Hint), slog.Bool("in_meta", x.ShowsHint(style)))
		}
	}
}

// StoreError maps the sentinels of store s to Klaviyo-shaped errors (any
// other error is a 500).
func StoreError(s *store.Store, err error) *apierror.Error {
	switch {
	case errors.Is(err, store.ErrTooManyAccounts):
		return apierror.PermissionDenied(fmt.Sprintf(
			"The mock server holds %d accounts, all changed by requests, and will not drop them: "+
				"reset it (POST /__admin/reset) or raise --max-accounts to use another key.",
			s.Options().MaxAccounts))
	case errors.Is(err, store.ErrMemoryBudget):
		used, limit := s.Used()
		return apierror.PermissionDenied(fmt.Sprintf(
			"The mock server's memory budget for accounts (%d MiB, half of --memory-budget) is used up (%d MiB) by accounts "+
				"changed by requests: reset it (POST /__admin/reset), forget an account (DELETE /__admin/accounts/{key}) "+
				"or raise --memory-budget.", limit>>20, used>>20))
	case errors.Is(err, store.ErrTooManyInProgress):
		return apierror.InvalidPointer(apierror.PointerData, fmt.Sprintf(
			"The maximum number of jobs in progress at one time is %d; wait for a job to complete before creating another.",
			s.Options().Lifecycle.MaxInProgress))
	}
	return apierror.Server(http.StatusInternalServerError)
}
