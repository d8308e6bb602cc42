#!/usr/bin/env bash
# Runs the catalog round trip of docs/catalog-round-trip.md as written (the
# block is read from that file): create items with a bulk create job, poll
# it, read them back, give one a variant and the other a category, delete
# them (one with DELETE, one with a bulk delete job) and see them gone. Then
# checks every line the block printed, and stops with a message (exit 1) at
# the first one that is not as expected.
#
#   examples/catalog.sh [BASE_URL]
#
# BASE_URL defaults to $MOCKSERVER_URL, then http://127.0.0.1:8080.
# KLAVIYO_KEY picks the account (every key is its own isolated account; the
# script uses a fresh one unless told). Needs curl and jq. Start a server
# first, e.g.:  go run ./cmd/mockserver --job-duration 2s
# It works with the server clock frozen too (the block moves it on).
set -euo pipefail

KLAVIYO_KEY=${KLAVIYO_KEY:-pk_$(od -An -N17 -tx1 /dev/urandom | tr -d ' \n')}
# shellcheck source=examples/lib.sh
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)

echo "Klaviyo catalog round trip (docs/catalog-round-trip.md) against $BASE (account $KEY)"
block=$(doc_block "$root/docs/catalog-round-trip.md" "")
run_block catalog "$block" B="$BASE" K="$AUTH"

# What each line of the block prints, in order (docs/catalog-round-trip.md
# shows the same in its comments).
q() { printf '%s' "$1" | sed 's/[][$.^*+?(){}|\\]/\\&/g'; } # a literal line as a pattern
expect_lines catalog \
  '^complete$' \
  "^$(q '{"id":"$custom:::$default:::TSHIRT","title":"T-shirt","price":19.99}')\$" \
  "^$(q '{"id":"$custom:::$default:::MUG","title":"Mug","price":null}')\$" \
  "^$(q '{"status":201,"id":"$custom:::$default:::TSHIRT-M"}')\$" \
  "^$(q '["$custom:::$default:::TSHIRT-M"]')\$" \
  '^204$' \
  "^$(q '["$custom:::$default:::MUG"]')\$" \
  '^204$' \
  '^complete$' \
  '^\[\]$' \
  '^404$'

printf '\nAll steps passed.\n'
