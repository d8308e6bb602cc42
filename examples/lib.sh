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

# doc_block FILE AFTER: prints the first ```bash or ```sh block of FILE that
# follows the first line containing AFTER ("" for the file's first block),
# with http://127.0.0.1:8080 (the address the docs use) made $BASE. The
# examples run the docs' blocks as written, so the two cannot drift apart.
doc_block() {
  local file=$1 after=$2 block
  [ -f "$file" ] || fail "$file is missing"
  block=$(awk -v after="$after" -v base="$BASE" '
    !found && index($0, after) { found = 1; if (after != "") next }
    found && !inside && /^```(bash|sh)$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { while ((i = index($0, "http://127.0.0.1:8080")) > 0) $0 = substr($0, 1, i - 1) base substr($0, i + 21); print }
  ' "$file")
  [ -n "$block" ] || fail "no \`\`\`bash block after '$after' in $file"
  printf '%s\n' "$block"
}

# run_block NAME BLOCK [VAR=value...]: runs BLOCK in a bash of its own with
# errexit, nounset and pipefail and the given variables, printing what it
# prints; its output is kept in $tmp/NAME.out and $tmp/NAME.err. A block that
# fails, or says FAILED on stderr, fails the example.
run_block() {
  local name=$1 block=$2
  shift 2
  if ! env "$@" bash -euo pipefail -c "$block" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    cat "$tmp/$name.out"
    fail "$name: the block failed: $(tail -n 5 "$tmp/$name.err")"
  fi
  cat "$tmp/$name.out"
  ! grep -q FAILED "$tmp/$name.err" || fail "$name: $(grep FAILED "$tmp/$name.err")"
  if [ -s "$tmp/$name.err" ]; then
    fail "$name: the block wrote to stderr: $(head -c 600 "$tmp/$name.err")"
  fi
}

# expect_lines NAME PATTERN...: the block's output, line by line, must match
# the extended regular expressions given, in order and all of them.
expect_lines() {
  local name=$1 n=0 line
  shift
  while IFS= read -r line; do
    [ "$#" -gt 0 ] || fail "$name printed more lines than expected, from: $line"
    [[ "$line" =~ $1 ]] || fail "$name: line $((n + 1)) is '$line', expected /$1/"
    n=$((n + 1))
    shift
  done <"$tmp/$name.out"
  [ "$#" -eq 0 ] || fail "$name printed $n lines; the next should match /$1/"
}
