#!/usr/bin/env bash
# Runs the control API block of docs/control-api.md as written (the block is
# read from that file): a reset to seed 42, a catalog and a job put into the
# account pk_test, an account emptied, fault rules, the clock frozen and
# moved on, the journal read. Then checks that no request was refused and
# that the server holds what the block set. It leaves the clock frozen, as
# the block does: the other examples work so too.
#
#   examples/control.sh [BASE_URL]
#
# BASE_URL defaults to $MOCKSERVER_URL, then http://127.0.0.1:8080. Needs
# curl and jq.
set -euo pipefail

# shellcheck source=examples/lib.sh
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)

echo "docs/control-api.md against $BASE"
block=$(doc_block "$root/docs/control-api.md" "")
run_block control "$block"
! grep -q '"errors"' "$tmp/control.out" || fail "a control API request was refused: $(grep '"errors"' "$tmp/control.out")"

step "checks"
call GET "$ADMIN/clock"
check "the clock must be frozen" '.frozen == true'
call GET "$ADMIN/faults"
check "the three fault rules must be there, each for pk_test only" \
  '(.faults | length) == 3 and all(.faults[]; .match.account == "pk_…st")'
call GET "$ADMIN/accounts/pk_test"
check "pk_test must hold the catalog and the job put" \
  '(.items | map(.id)) == ["$custom:::$default:::SKU-1"] and (.variants | length) == 1 and (."item-bulk-update-jobs" | length) == 1'
call GET "$ADMIN/accounts/pk_empty"
# Everything but the account's own record (GET /api/accounts always has one).
check "pk_empty must hold nothing but its account record" '([to_entries[] | select(.key != "accounts" and (.value | type == "array")) | .value | length] | add == 0) and (.accounts | length == 1)'
say "clock frozen, 3 fault rules for pk_test, pk_test's catalog and job, pk_empty empty"

printf '\nThe control API block ran as written.\n'
