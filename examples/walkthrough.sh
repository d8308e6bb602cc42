#!/usr/bin/env bash
# Runs the README's "Try it" block as written (it is read from README.md):
# queued jobs at revision 2022-10-17, paging every job at 2026-07-15, a bulk
# update job created and polled until complete, throttling on purpose. Then
# checks what the block printed, and stops with a message (exit 1) at the
# first thing that is not as expected.
#
#   examples/walkthrough.sh [BASE_URL]
#
# BASE_URL defaults to $MOCKSERVER_URL, then http://127.0.0.1:8080 (the
# block's own address is replaced by it). Needs curl and jq. Start a server
# first, e.g.:
#   go run ./cmd/mockserver --job-duration 2s
# It works with the server clock frozen too (the block moves it on).
# shellcheck disable=SC2016 # $names in single-quoted jq programs are jq variables
set -euo pipefail

# shellcheck source=examples/lib.sh
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)

echo "README \"Try it\" against $BASE"
call GET "$ADMIN/health"
expect 200 "GET /__admin/health"
block=$(doc_block "$root/README.md" "Then, in bash:")
run_block walkthrough "$block"
out=$tmp/walkthrough.out

step "checks"
# a. Queued jobs at 2022-10-17: every line before the count is one job's
# attributes, exactly the fieldset's three, the job queued.
queued=$(sed '/ jobs listed; /,$d' "$out")
[ -n "$queued" ] || fail "no queued job was listed (seeded accounts have a few)"
jq -se 'all(.[]; keys == ["created_at", "job_id", "status"] and .status == "queued" and (.job_id | length) > 0)' \
  <<<"$queued" >/dev/null || fail "the queued jobs are not {job_id, status: queued, created_at}: $queued"
say "$(wc -l <<<"$queued" | tr -d ' ') queued jobs, fieldset job_id, status, created_at"

# b. Paging found every job the account holds.
count=$(grep -E ' jobs listed; the account holds ' "$out") || fail "the block did not print the job count"
[[ "$count" =~ ^([0-9]+)\ jobs\ listed\;\ the\ account\ holds\ ([0-9]+)$ ]] &&
  [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] && [ "${BASH_REMATCH[1]}" -gt 0 ] ||
  fail "paging and the control API disagree: $count"
say "$count"

# c. The job completed and the item shows its new title and price.
grep -qxF '{"status":"complete","item":{"title":"New title","price":19.99}}' "$out" ||
  fail "the updated item was not read back complete with its new title and price: $(grep '"status"' "$out" | head -n 1)"
say "the job completed; the item reads title \"New title\", price 19.99"

# d. Prefer: code=429 answered Klaviyo's 429 with Retry-After; the throttle
# rule made the next request a 429 and the one after a 200.
grep -qE '^HTTP/1\.1 429 ' "$out" || fail "Prefer: code=429 did not answer 429"
grep -qiE '^Retry-After: [1-9][0-9]*' "$out" || fail "the 429 has no Retry-After in whole seconds"
grep -qF '"code":"throttled"' "$out" || fail "the 429's body is not Klaviyo's throttled error"
[ "$(tail -n 2 "$out" | tr '\n' ' ')" = "429 200 " ] ||
  fail "after POST /throttle the next two requests answered $(tail -n 2 "$out" | tr '\n' ' '), want 429 then 200"
say "Prefer: code=429 gave a 429 with Retry-After; the throttle rule: 429, then 200"

printf '\nWalkthrough passed: the README block ran as written and printed what it should.\n'
