#!/usr/bin/env bash
# A catalog round trip, runnable end to end: create items with a bulk create
# job, poll it, read the items back through the catalog endpoints, give one a
# variant and a category, then delete them (one with DELETE, one with a bulk
# delete job) and see them gone. Every step checks what the server answered
# and stops with a message (exit 1) as soon as something is not as expected.
# docs/catalog-round-trip.md runs the same requests.
#
#   examples/catalog.sh [BASE_URL]
#
# BASE_URL defaults to $MOCKSERVER_URL, then http://127.0.0.1:8080.
# KLAVIYO_KEY picks the account (every key is its own isolated account; the
# script uses a fresh one unless told). Needs curl and jq. Start a server
# first, e.g.:  go run ./cmd/mockserver --job-duration 2s
# shellcheck disable=SC2016 # $custom ids and $names in jq programs are literal
set -euo pipefail

KLAVIYO_KEY=${KLAVIYO_KEY:-pk_$(od -An -N17 -tx1 /dev/urandom | tr -d ' \n')}
# shellcheck source=examples/lib.sh
. "$(dirname "$0")/lib.sh"
API=$BASE/api
REV=(-H 'revision: 2026-07-15' -H "$AUTH" -H 'Content-Type: application/vnd.api+json')
TSHIRT='$custom:::$default:::TSHIRT'
MUG='$custom:::$default:::MUG'
# An id in a path is sent percent-encoded, as Klaviyo's SDKs send it.
enc() { jq -rn --arg s "$1" '$s | @uri'; }

# wait_complete JOBS_PATH JOB_ID: poll the job until it is complete.
wait_complete() {
  for _ in $(seq 60); do
    call GET "$API/$1/$2" "${REV[@]}"
    expect 200 "poll job $2"
    if jq -e '.data.attributes.status == "complete"' <<<"$BODY" >/dev/null; then
      return
    fi
    sleep 0.5
  done
  fail "job $2 is not complete after 30 s: $(jq -c .data.attributes <<<"$BODY")"
}

echo "Klaviyo catalog round trip against $BASE (account $KEY)"

step "1. Create two items with a bulk create job (202), poll it until complete"
call POST "$API/catalog-item-bulk-create-jobs" "${REV[@]}" -d '{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[
  {"type":"catalog-item","attributes":{"external_id":"TSHIRT","title":"T-shirt","description":"Cotton","url":"https://shop.example/tshirt","price":19.99}},
  {"type":"catalog-item","attributes":{"external_id":"MUG","title":"Mug","description":"Ceramic","url":"https://shop.example/mug"}}]}}}}'
expect 202 "create the job"
JOB=$(jq -r .data.id <<<"$BODY")
wait_complete catalog-item-bulk-create-jobs "$JOB"
check "both elements must have succeeded" '.data.attributes.completed_count == 2 and .data.attributes.failed_count == 0'
say "job $JOB complete"

step "2. Read them back: filter=any(ids,[…])"
IDS="any(ids,[\"$TSHIRT\",\"$MUG\"])"
call GET "$API/catalog-items" "${REV[@]}" -G --data-urlencode "filter=$IDS"
expect 200 "list the two items"
check "the two items must be listed, oldest first" '[.data[].id] == [$t, $m]' --arg t "$TSHIRT" --arg m "$MUG"
check "an item created without a price has price null and Klaviyo's defaults" \
  '.data[1].attributes | .price == null and .published == true and .images == [] and .custom_metadata == {}'
say "$(jq -c '[.data[] | {id, title: .attributes.title, price: .attributes.price}]' <<<"$BODY")"

step "3. A variant for the T-shirt (201), listed under its item"
call POST "$API/catalog-variants" "${REV[@]}" -d '{"data":{"type":"catalog-variant","attributes":{"external_id":"TSHIRT-M","title":"T-shirt, M","description":"Medium","sku":"TS-M","inventory_quantity":12,"price":19.99,"url":"https://shop.example/tshirt?size=m"},"relationships":{"item":{"data":{"type":"catalog-item","id":"'"$TSHIRT"'"}}}}}'
expect 201 "create the variant"
call GET "$API/catalog-items/$(enc "$TSHIRT")/variants" "${REV[@]}"
expect 200 "the item's variants"
check "the item must list its variant" '[.data[].id] == [$v]' --arg v '$custom:::$default:::TSHIRT-M'

step "4. Put the mug in a category, seen from both sides"
call GET "$API/catalog-categories" "${REV[@]}" -G --data-urlencode 'page[size]=1'
expect 200 "list one category"
CATEGORY=$(jq -r '.data[0].id' <<<"$BODY")
call POST "$API/catalog-items/$(enc "$MUG")/relationships/categories" "${REV[@]}" \
  -d '{"data":[{"type":"catalog-category","id":"'"$CATEGORY"'"}]}'
expect 204 "add the category to the mug"
call GET "$API/catalog-categories/$(enc "$CATEGORY")/relationships/items" "${REV[@]}" -G --data-urlencode "filter=$IDS"
expect 200 "the category's items"
check "the category must hold the mug" '[.data[].id] == [$m]' --arg m "$MUG"

step "5. Delete the T-shirt (204) and the mug with a bulk delete job; both are gone"
call DELETE "$API/catalog-items/$(enc "$TSHIRT")" "${REV[@]}"
expect 204 "delete the T-shirt"
call POST "$API/catalog-item-bulk-delete-jobs" "${REV[@]}" \
  -d '{"data":{"type":"catalog-item-bulk-delete-job","attributes":{"items":{"data":[{"type":"catalog-item","id":"'"$MUG"'"}]}}}}'
expect 202 "create the delete job"
wait_complete catalog-item-bulk-delete-jobs "$(jq -r .data.id <<<"$BODY")"
call GET "$API/catalog-items" "${REV[@]}" -G --data-urlencode "filter=$IDS"
expect 200 "list the two items again"
check "no item may be left" '.data == []'
call GET "$API/catalog-variants/$(enc '$custom:::$default:::TSHIRT-M')" "${REV[@]}"
expect 404 "the T-shirt's variant went with it"
call GET "$API/catalog-categories/$(enc "$CATEGORY")/relationships/items" "${REV[@]}" -G --data-urlencode "filter=$IDS"
expect 200 "the category's items again"
check "the category must no longer hold the mug" '.data == []'

printf '\nAll steps passed.\n'
