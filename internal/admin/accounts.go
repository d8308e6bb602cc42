package admin

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// accounts lists the accounts the store holds, by fingerprint.
func (a *API) accounts(w http.ResponseWriter, r *http.Request) {
	keys, changed := a.o.Store.Keys()
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"account": secret.Fingerprint(k), "public_key": a.o.Store.PublicKeyOf(k), "changed": changed[i]}
	}
	reply(w, http.StatusOK, map[string]any{"accounts": out})
}

// forgetAccount returns one account to its seeded state.
func (a *API) forgetAccount(w http.ResponseWriter, r *http.Request) {
	key := a.accountKey(r)
	a.forget(key)
	reply(w, http.StatusOK, map[string]any{"reset": "account", "account": secret.Fingerprint(key)})
}

// ExportAccount takes a view of collections cs of account key (every
// collection when none is named).
func (a *API) ExportAccount(key string, cs ...store.Collection) (store.Export, error) {
	acct, err := a.o.Store.Account(key)
	if err != nil {
		return store.Export{}, err
	}
	if len(cs) == 0 {
		cs = store.AllCollections()
	}
	return acct.Export(cs...)
}

// ImportAccount validates st and, only if all of it is valid, makes its
// collections the account's content. whole: collections st leaves out
// become empty (a PUT of the whole account).
func (a *API) ImportAccount(key string, st accountdoc.AccountState, whole bool) []*apierror.Error {
	acct, err := a.o.Store.Mutable(key)
	if err != nil {
		return []*apierror.Error{a.storeError(err)}
	}
	probs, err := accountdoc.Replace(acct, st, accountdoc.ReplaceOptions{Whole: whole, AsCreated: true,
		Now: a.o.Clock.Now().Truncate(time.Microsecond), Notify: true})
	if err != nil {
		return []*apierror.Error{a.storeError(err)}
	}
	var errs []*apierror.Error
	for _, p := range probs {
		errs = append(errs, apierror.InvalidPointer(p.Pointer, p.Detail))
	}
	return errs
}

// getAccount exports every collection of an account.
func (a *API) getAccount(w http.ResponseWriter, r *http.Request) {
	a.writeExport(w, r, "", accountdoc.Selection{})
}

// getCollection exports one collection; the document's member is the
// name used in the path ("jobs" stays "jobs"). Query parameters keep the
// objects whose members equal them (?variant=…&email=…, see
// accountdoc.Filter); a parameter naming no member is refused. ?limit=N
// keeps the first N objects the filters keep.
func (a *API) getCollection(w http.ResponseWriter, r *http.Request) {
	name := httpx.PathParam(r, "collection")
	c, ok := store.CollectionNamed(name)
	if !ok {
		a.fail(w, unknownCollection(name))
		return
	}
	q := r.URL.Query()
	limit, err := takeLimit(q)
	if err != nil {
		a.fail(w, err)
		return
	}
	f := accountdoc.Filter(q)
	if member, detail := f.Check(c); member != "" {
		a.fail(w, apierror.Invalid(member, detail))
		return
	}
	a.writeExport(w, r, name, accountdoc.Selection{Filter: f, Limit: limit})
}

// takeLimit removes ?limit= from q and returns it (0: none given).
func takeLimit(q url.Values) (int, *apierror.Error) {
	vs, ok := q["limit"]
	if !ok {
		return 0, nil
	}
	delete(q, "limit")
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < 1 || len(vs) > 1 {
		return 0, apierror.Invalid("limit", fmt.Sprintf("limit must be one whole number from 1 up, not %q: the first that many objects are answered.", strings.Join(vs, ",")))
	}
	return n, nil
}

// writeExport streams an account's document (of the collection name,
// as sel selects, when name is set), one object at a time, so an export
// never holds a copy of the account. An export in progress when the
// server stops is cut (cutAtStop): one of ten million jobs would hold the
// shutdown past its drain.
func (a *API) writeExport(w http.ResponseWriter, r *http.Request, name string, sel accountdoc.Selection) {
	var cs []store.Collection
	if c, ok := store.CollectionNamed(name); ok {
		cs = []store.Collection{c}
	}
	ex, err := a.ExportAccount(a.accountKey(r), cs...)
	if err != nil {
		a.fail(w, a.storeError(err))
		return
	}
	w.Header().Set("Content-Type", contentJSON)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	rename := func(c store.Collection) string { return c.Name() }
	if name != "" {
		rename = func(store.Collection) string { return name }
	}
	a.writeCut(w, func(bw *bufio.Writer) error { return accountdoc.WriteJSONSelected(bw, ex, rename, sel) })
}

// writeCut writes a long answer through write, cut when the server stops
// (cutAtStop), then a newline. If write panics, the cutting goroutine is
// still ended before the panic leaves the handler: the writer w is given
// back to the pipeline's pool once the request ends, and a goroutine left
// waiting on it would set a deadline on another request's answer.
func (a *API) writeCut(w http.ResponseWriter, write func(*bufio.Writer) error) {
	stopped, finished := a.cutAtStop(w), false
	defer func() {
		if !finished {
			stopped(false)
		}
	}()
	bw := bufio.NewWriterSize(w, 64<<10)
	err := write(bw)
	if err == nil {
		bw.WriteString("\n")
		err = bw.Flush()
	}
	finished = true
	stopped(err != nil)
}

// cutAtStop makes the response's writes fail from the moment the server
// begins to stop, even one blocked on a client that reads slowly or not at
// all. The handler calls the function it returns when it is done writing,
// saying whether a write failed: a response cut so (or left by its client)
// is aborted (http.ErrAbortHandler), so that the client sees it incomplete
// rather than a well-formed end.
func (a *API) cutAtStop(w http.ResponseWriter) func(failed bool) {
	rc := http.NewResponseController(w)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-a.o.Stopping:
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

// putAccount replaces the whole account: the collections the document
// holds, every other one emptied. The path names the account; the
// document's "account" member (an export's fingerprint) is a label and
// not read, so an export puts back into its account or copies into another.
func (a *API) putAccount(w http.ResponseWriter, r *http.Request) {
	var st accountdoc.AccountState
	if !a.decode(w, r, &st, false) {
		return
	}
	a.importState(w, r, st, true)
}

// putCollection replaces exactly one collection:
// {"<collection>": […]}.
func (a *API) putCollection(w http.ResponseWriter, r *http.Request) {
	name := httpx.PathParam(r, "collection")
	c, ok := store.CollectionNamed(name)
	if !ok {
		a.fail(w, unknownCollection(name))
		return
	}
	var st accountdoc.AccountState
	if !a.decode(w, r, &st, false) {
		return
	}
	if !st.Has(c) || len(st.Jobs)+len(st.Entities) != 1 {
		a.fail(w, apierror.InvalidPointer("/"+name, "A \""+name+"\" array is required (it may be empty), and nothing else."))
		return
	}
	a.importState(w, r, st, false)
}

func (a *API) importState(w http.ResponseWriter, r *http.Request, st accountdoc.AccountState, whole bool) {
	key := a.accountKey(r)
	if errs := a.ImportAccount(key, st, whole); errs != nil {
		a.fail(w, errs...)
		return
	}
	acct, err := a.o.Store.Account(key)
	if err != nil {
		a.fail(w, a.storeError(err))
		return
	}
	out := map[string]any{"account": secret.Fingerprint(key)}
	for _, c := range store.AllCollections() {
		if st.Has(c) || whole {
			out[st.NameOf(c)] = acct.Count(c)
		}
	}
	reply(w, http.StatusOK, out)
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

// bindPublicKey makes an account answer to another public key
// ({"public_key": "RU8Lmz"}): a storefront configured with its
// production public key then reaches it offline.
func (a *API) bindPublicKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		PublicKey string `json:"public_key"`
	}
	if !a.decode(w, r, &req, false) {
		return
	}
	if !store.ValidPublicKey(req.PublicKey) {
		a.fail(w, apierror.InvalidPointer("/public_key", fmt.Sprintf(
			"%q is not a public key: use six letters and digits, as Klaviyo's are (e.g. RU8Lmz).", req.PublicKey)))
		return
	}
	key := a.accountKey(r)
	switch err := a.o.Store.BindPublicKey(key, req.PublicKey); {
	case errors.Is(err, store.ErrPublicKeyTaken):
		a.fail(w, apierror.Conflict("/public_key", fmt.Sprintf("Another account answers to %s: bind another key, or forget that account "+
			"first (DELETE /__admin/accounts/%s).", req.PublicKey, req.PublicKey)))
		return
	case err != nil:
		a.fail(w, a.storeError(err))
		return
	}
	reply(w, http.StatusOK, map[string]any{"account": secret.Fingerprint(key), "public_key": req.PublicKey})
}
