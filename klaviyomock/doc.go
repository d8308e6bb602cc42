// Package klaviyomock runs the Klaviyo Catalogs API emulator in-process for
// Go tests, as miniredis runs Redis and httptest runs a handler:
//
//	func TestSync(t *testing.T) {
//		m := klaviyomock.RunT(t)               // 127.0.0.1, a free port; closed when t ends
//		client := myapp.NewClient(m.URL(), m.Key())
//		m.ThrottleNext(m.Key(), 1)             // the client must retry a 429
//		if err := client.SyncCatalog(ctx); err != nil {
//			t.Fatal(err)
//		}
//		m.CompleteJobs(m.Key())                // the bulk jobs it started are done now
//		if got := m.Items(m.Key()); len(got) != 3 { … }
//		if posts := m.RequestsMatching(klaviyomock.Filter{Method: "POST"}); len(posts) != 1 { … }
//	}
//
// The server is the one cmd/mockserver runs (one construction path); Run's
// arguments are the binary's flags ("--jobs=20", "--seed=7", …; see
// docs/configuration.md), and environment variables are not read. It
// serves, at every revision from 2022-10-17 to the newest:
//
//   - the whole Catalogs API under /api: catalog items, variants and
//     categories (list with filter, sort, sparse fields, include and cursor
//     pages; get; create; update; delete), their relationships (the variants
//     of an item, the items of a category, the categories of an item), and
//     the nine bulk jobs (create, update and delete of items, variants and
//     categories), which progress with the server clock and apply their
//     effect to the catalog;
//   - back-in-stock subscriptions, on /api with a private key and on
//     /client with a public key (company_id), as a storefront sends them;
//   - GET /api/accounts, the account a key reaches;
//   - Klaviyo's rate limits, error shapes and headers.
//
// Every key reaches an account of its own, seeded from the seed: any
// well-formed private key ("pk_" and 34 letters and digits), an OAuth token
// ("bearer:" and the token), or, for /client, the account's public key.
// DefaultKey (Key) is one such key. NewRequest and Do make requests as an
// SDK does, with the newest revision and that key.
//
// Besides the API, a test reaches the server through:
//
//   - the catalog as typed values: Items, Variants, Categories, Account,
//     BackInStockSubscriptions and BackInStockNotifications, and their
//     setters, which obey the rules of a create at the newest revision
//     (what a create requires is required; a nil optional field, set with
//     Ptr, gets the create's default); JobsOf and SetJobsOf for each of the
//     nine JobKinds; Empty for one account, Reset for all;
//   - jobs: CompleteJobs completes the jobs in progress now;
//   - the clock: Now, SetTime, Advance, Freeze, Unfreeze (jobs and rate
//     windows follow it; no test sleeps);
//   - faults: AddFault (a status, latency or dropped connection for the
//     requests a FaultMatch selects, with a count or a probability),
//     ThrottleNext, Faults, DeleteFault, ClearFaults;
//   - the journal of API requests: Requests, RequestsMatching with a
//     Filter (method, path prefix, account, revision, operation, the
//     x-klaviyo-req-id the client received, status), ClearRequests;
//   - Snapshot, which saves the state file of --state-file.
//
// Each of these is also a route of the control API under /__admin (see
// docs/control-api.md), which tests in other languages use. Field names
// match: a path prefix is Path in FaultMatch and Filter as in the control
// API's "path".
package klaviyomock
