package handlers

import (
	"bufio"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// adminKey refuses a {key} that no API request could send: one with a
// byte outside printable ASCII.
func (h *Handler) adminKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := keyProblem(pathParam(r, "key")); d != "" {
			h.adminError(w, r, apierror.Invalid("key", d))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// keyProblem says what is wrong with an account key a control request
// names ("" when nothing is), without repeating the key.
func keyProblem(key string) string {
	i := secret.BadByte(key)
	if i < 0 {
		return ""
	}
	what := "is empty"
	if key != "" {
		what = fmt.Sprintf("has the byte %#02x at position %d", key[i], i)
	}
	return "The account key " + what + "; no request could select its account. Keys are the private key " +
		"(pk_…) or bearer: and the OAuth token, whole. " + secret.Hint
}

// ExportAccount takes a view of collections cs of account key (every
// collection when none is named).
func (h *Handler) ExportAccount(key string, cs ...store.Collection) (store.Export, error) {
	a, err := h.opts.Store.Account(key)
	if err != nil {
		return store.Export{}, err
	}
	if len(cs) == 0 {
		cs = store.AllCollections()
	}
	return a.Export(cs...)
}

// ImportAccount validates st and, only if all of it is valid, makes its
// collections the account's content. whole: collections st leaves out
// become empty (a PUT of the whole account).
func (h *Handler) ImportAccount(key string, st store.AccountState, whole bool) []*apierror.Error {
	a, err := h.opts.Store.Mutable(key)
	if err != nil {
		return []*apierror.Error{h.storeError(err)}
	}
	probs, err := a.Replace(st, store.ReplaceOptions{Whole: whole, Now: h.opts.Clock.Now().Truncate(time.Microsecond)})
	if err != nil {
		return []*apierror.Error{h.storeError(err)}
	}
	var errs []*apierror.Error
	for _, p := range probs {
		errs = append(errs, apierror.InvalidPointer(p.Pointer, p.Detail))
	}
	return errs
}

// adminGetAccount exports every collection of an account.
func (h *Handler) adminGetAccount(w http.ResponseWriter, r *http.Request) {
	h.writeExport(w, r, "")
}

// adminGetCollection exports one collection; the document's member is the
// name used in the path ("jobs" stays "jobs").
func (h *Handler) adminGetCollection(w http.ResponseWriter, r *http.Request) {
	name := pathParam(r, "collection")
	if _, ok := store.CollectionNamed(name); !ok {
		h.adminError(w, r, unknownCollection(name))
		return
	}
	h.writeExport(w, r, name)
}

// writeExport streams an account's document, one object at a time, so an
// export never holds a copy of the account. An export in progress when
// the server stops is cut (cutAtStop): one of ten million jobs would hold
// the shutdown past its drain.
func (h *Handler) writeExport(w http.ResponseWriter, r *http.Request, name string) {
	var cs []store.Collection
	if c, ok := store.CollectionNamed(name); ok {
		cs = []store.Collection{c}
	}
	ex, err := h.ExportAccount(pathParam(r, "key"), cs...)
	if err != nil {
		h.adminError(w, r, h.storeError(err))
		return
	}
	w.Header().Set("Content-Type", adminJSON)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	stopped := h.cutAtStop(w)
	bw := bufio.NewWriterSize(w, 64<<10)
	rename := func(c store.Collection) string { return c.Name() }
	if name != "" {
		rename = func(store.Collection) string { return name }
	}
	err = ex.WriteJSONNamed(bw, rename)
	if err == nil {
		bw.WriteString("\n")
		err = bw.Flush()
	}
	stopped(err != nil)
}

// cutAtStop makes the response's writes fail from the moment the server
// begins to stop, even one blocked on a client that reads slowly or not at
// all. The handler calls the function it returns when it is done writing,
// saying whether a write failed: a response cut so (or left by its client)
// is aborted (http.ErrAbortHandler), so that the client sees it incomplete
// rather than a well-formed end.
func (h *Handler) cutAtStop(w http.ResponseWriter) func(failed bool) {
	rc := http.NewResponseController(w)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-h.stopping:
			_ = rc.SetWriteDeadline(time.Now())
		case <-done:
		}
	}()
	return func(failed bool) {
		close(done)
		wg.Wait() // no deadline is set once the handler is done
		if failed {
			panic(http.ErrAbortHandler)
		}
	}
}

// adminPutAccount replaces the whole account: the collections the document
// holds, every other one emptied. The path names the account; the
// document's "account" member (an export's fingerprint) is a label and
// not read, so an export puts back into its account or copies into another.
func (h *Handler) adminPutAccount(w http.ResponseWriter, r *http.Request) {
	var st store.AccountState
	if !h.decodeAdmin(w, r, &st, false) {
		return
	}
	h.importState(w, r, st, true)
}

// adminPutCollection replaces exactly one collection:
// {"<collection>": […]}.
func (h *Handler) adminPutCollection(w http.ResponseWriter, r *http.Request) {
	name := pathParam(r, "collection")
	c, ok := store.CollectionNamed(name)
	if !ok {
		h.adminError(w, r, unknownCollection(name))
		return
	}
	var st store.AccountState
	if !h.decodeAdmin(w, r, &st, false) {
		return
	}
	if !st.Has(c) || len(st.Jobs)+len(st.Entities) != 1 {
		h.adminError(w, r, apierror.InvalidPointer("/"+name, "A \""+name+"\" array is required (it may be empty), and nothing else."))
		return
	}
	h.importState(w, r, st, false)
}

func (h *Handler) importState(w http.ResponseWriter, r *http.Request, st store.AccountState, whole bool) {
	key := pathParam(r, "key")
	if errs := h.ImportAccount(key, st, whole); errs != nil {
		h.adminError(w, r, errs...)
		return
	}
	a, err := h.opts.Store.Account(key)
	if err != nil {
		h.adminError(w, r, h.storeError(err))
		return
	}
	out := map[string]any{"account": secret.Fingerprint(key)}
	for _, c := range store.AllCollections() {
		if st.Has(c) || whole {
			out[st.NameOf(c)] = a.Count(c)
		}
	}
	adminJSONReply(w, http.StatusOK, out)
}

func unknownCollection(name string) *apierror.Error {
	var names []string
	for _, c := range store.AllCollections() {
		names = append(names, c.Name())
	}
	return apierror.NotFound("There is no collection '" + name + "'; the collections are " + joinNames(names) + " (and jobs, the original name of item-bulk-update-jobs).")
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
