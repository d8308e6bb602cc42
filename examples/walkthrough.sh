#!/usr/bin/env bash
# A guided tour of the Klaviyo catalog-item-bulk-update-jobs emulator, runnable
# end to end. Every step checks what the server answered and stops with a
# message (exit 1) as soon as something is not as expected.
#
#   examples/walkthrough.sh [BASE_URL]
#
# BASE_URL defaults to $MOCKSERVER_URL, then http://127.0.0.1:8080.
# KLAVIYO_KEY picks the account (every key is its own isolated account).
# Needs curl and jq. Start a server first, e.g.:
#   go run ./cmd/mockserver --job-duration 2s
# shellcheck disable=SC2016 # $names in single-quoted jq programs are jq variables
set -euo pipefail

# shellcheck source=examples/lib.sh
. "$(dirname "$0")/lib.sh"
JOBS=$BASE/api/catalog-item-bulk-update-jobs  # the emulated Klaviyo endpoint

echo "Klaviyo emulator walkthrough against $BASE (account $KEY)"
call GET "$ADMIN/health"
expect 200 "GET /__admin/health"

# ---------------------------------------------------------------------------
step "a. Queued jobs at revision 2022-10-17, with a sparse fieldset"
say "At 2022-10-17 a job has no top-level id: its identifier is attributes.job_id,"
say "so the fieldset lists job_id along with status and created_at."
call GET "$JOBS/" -G \
  -H 'revision: 2022-10-17' -H "$AUTH" \
  --data-urlencode 'filter=equals(status,"queued")' \
  --data-urlencode 'fields[catalog-item-bulk-update-job]=job_id,status,created_at'
expect 200 "list queued jobs"
check "the page holds no queued job (seeded accounts have a few)" '.data | length > 0'
check "every job must be queued and carry a job_id" \
  'all(.data[]; .attributes.status == "queued" and (.attributes.job_id | type == "string" and length > 0))'
check "at 2022-10-17 jobs have no top-level id" 'all(.data[]; has("id") | not)'
check "the sparse fieldset must leave only job_id, status and created_at" \
  'all(.data[]; .attributes | keys == ["created_at", "job_id", "status"])'
say "$(jq '.data | length' <<<"$BODY") queued jobs, e.g. $(jq -c '.data[0].attributes' <<<"$BODY")"

# ---------------------------------------------------------------------------
step "b. Every job at revision 2026-07-15, following links.next until it is null"
url=$JOBS
pages=0
: >"$tmp/ids"
while [ "$url" != null ]; do
  pages=$((pages + 1))
  [ "$pages" -le 1000 ] || fail "still paging after 1000 pages: links.next never becomes null"
  call GET "$url" -H 'revision: 2026-07-15' -H "$AUTH"
  expect 200 "page $pages ($url)"
  jq -r '.data[].id' <<<"$BODY" >>"$tmp/ids"
  say "page $pages: $(jq '.data | length' <<<"$BODY") jobs"
  url=$(jq -r '.links.next' <<<"$BODY")
  # Links are built from the request's Host unless the server has --public-url.
  [ "$url" = null ] || [[ "$url" = "$BASE"/* ]] ||
    fail "links.next does not point back at $BASE: $url (is the server started with --public-url?)"
done
seen=$(wc -l <"$tmp/ids" | tr -d ' ')
distinct=$(sort -u "$tmp/ids" | wc -l | tr -d ' ')
[ "$seen" = "$distinct" ] || fail "paging returned $seen jobs but only $distinct distinct ids"

say "The control API reports the account's jobs directly: GET /__admin/accounts/{key}/jobs"
call GET "$ADMIN/accounts/$KEY/jobs"
expect 200 "control API: export the account's jobs"
held=$(jq '.jobs | length' <<<"$BODY")
[ "$seen" = "$held" ] || fail "paging found $seen jobs, the control API says the account holds $held"
say "$seen jobs on $pages pages; the control API agrees ($held)"

# ---------------------------------------------------------------------------
step "c. Create a bulk update job, poll it until complete, read the updated item"
say "Pick a catalog item of the account from the control API."
call GET "$ADMIN/accounts/$KEY/items"
expect 200 "control API: export the account's catalog items"
ITEM=$(jq -r '.items[0].id // empty' <<<"$BODY")
[ -n "$ITEM" ] || fail "the account has no catalog items"
say "item $ITEM"

body=$(jq -cn --arg id "$ITEM" '{data: {type: "catalog-item-bulk-update-job", attributes: {items: {data: [
  {type: "catalog-item", id: $id, attributes: {title: "New title", price: 19.99}}]}}}}')
call POST "$JOBS" \
  -H 'revision: 2026-07-15' -H "$AUTH" -H 'Content-Type: application/vnd.api+json' \
  --data "$body"
expect 202 "create a bulk update job"
JOB_ID=$(jq -r '.data.id // empty' <<<"$BODY")
[ -n "$JOB_ID" ] || fail "the 202 carries no data.id: $BODY"
check "a new job starts queued" '.data.attributes.status == "queued"'
say "job $JOB_ID is queued; polling it once a second (at most 30 s)"

status=
for _ in $(seq 30); do
  call GET "$JOBS/$JOB_ID?include=items" -H 'revision: 2026-07-15' -H "$AUTH"
  expect 200 "poll job $JOB_ID"
  status=$(jq -r '.data.attributes.status' <<<"$BODY")
  say "status: $status ($(jq -r '.data.attributes | "\(.completed_count)/\(.total_count) done"' <<<"$BODY"))"
  [ "$status" = complete ] && break
  sleep 1
done
[ "$status" = complete ] || fail "job $JOB_ID is still '$status' after 30 s"
check "a complete job has every item done" \
  '.data.attributes | .completed_count == 1 and .failed_count == 0 and .total_count == 1'
check "the included item must show the new title and price, updated by this job" \
  '.data.attributes.created_at as $created | any(.included[]?; .type == "catalog-item" and .id == $id
       and .attributes.title == "New title" and .attributes.price == 19.99 and .attributes.updated >= $created)' \
  --arg id "$ITEM"
say "included item: $(jq -c --arg id "$ITEM" '.included[] | select(.id == $id) | .attributes | {title, price, updated}' <<<"$BODY")"

# ---------------------------------------------------------------------------
step "d. Throttling on purpose"
say "'Prefer: code=429' answers that one request with Klaviyo's 429."
call GET "$JOBS" -H 'Prefer: code=429' -H 'revision: 2026-07-15' -H "$AUTH"
expect 429 "request sent with Prefer: code=429"
retry_after=$(header Retry-After)
[[ "$retry_after" =~ ^[1-9][0-9]*$ ]] || fail "a 429 must carry Retry-After with whole seconds, got '${retry_after}'"
check "the 429 body is a Klaviyo 'throttled' error" '.errors[0].code == "throttled"'
say "429, Retry-After: $retry_after, detail: $(jq -r '.errors[0].detail' <<<"$BODY")"

say "POST /__admin/accounts/{key}/throttle {\"count\":1} makes the account's next request a 429."
call POST "$ADMIN/accounts/$KEY/throttle" -H 'Content-Type: application/json' --data '{"count":1}'
[[ "$STATUS" = 2?? ]] || fail "control API throttle: expected a 2xx, got $STATUS: $BODY"
call GET "$JOBS" -H 'revision: 2026-07-15' -H "$AUTH"
expect 429 "the request right after POST /throttle"
[ -n "$(header Retry-After)" ] || fail "the throttled request has no Retry-After header"
say "next request: 429 (Retry-After: $(header Retry-After))"
call GET "$JOBS" -H 'revision: 2026-07-15' -H "$AUTH"
expect 200 "the request after the throttled one"
say "the one after: 200 (RateLimit-Remaining: $(header RateLimit-Remaining))"

printf '\nWalkthrough passed: every step gave the expected result.\n'
