# Helpers shared by the example scripts: sourced, not run. The caller sets
# nothing; after sourcing, BASE, KEY, AUTH and ADMIN are set from $1,
# $MOCKSERVER_URL and $KLAVIYO_KEY, and $tmp is a scratch directory removed
# on exit.
# shellcheck shell=bash disable=SC2034 # the variables are for the sourcing script

for tool in curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$(basename "$0"): '$tool' is required but was not found in PATH; install it and run again." >&2
    exit 2
  fi
done

BASE=${1:-${MOCKSERVER_URL:-http://127.0.0.1:8080}}
BASE=${BASE%/}
KEY=${KLAVIYO_KEY:-pk_0123456789abcdef0123456789abcdef01}
ADMIN=$BASE/__admin                          # the emulator's control API
AUTH="Authorization: Klaviyo-API-Key $KEY"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n== %s\n' "$*"; }
say()  { printf '   %s\n' "$*"; }
fail() { printf '\nFAIL: %s\n' "$*" >&2; exit 1; }

# call METHOD URL [curl options...]
# Sends one request; sets STATUS (HTTP code) and BODY; headers go to $tmp/headers.
call() {
  local method=$1 url=$2
  shift 2
  STATUS=$(curl -sS -g -X "$method" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@" "$url") ||
    fail "$method $url: curl could not get an answer (is the emulator running at $BASE?)"
  BODY=$(cat "$tmp/body")
}

# expect CODE WHAT: the last call must have answered CODE.
expect() {
  [ "$STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $STATUS: $(printf '%s' "$BODY" | head -c 600)"
}

# header NAME: a response header of the last call (empty if absent).
header() {
  { grep -i "^$1:" "$tmp/headers" || true; } | tail -n 1 | cut -d: -f2- | tr -d ' \r'
}

# check WHAT JQ_EXPR [jq args...]: the expression must be true on the last body.
check() {
  local what=$1 expr=$2
  shift 2
  jq -e "$@" "$expr" <<<"$BODY" >/dev/null || fail "$what (jq: $expr)"
}
