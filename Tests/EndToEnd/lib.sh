# Shared by Tests/EndToEnd/*/run.sh (sourced, after `set -euo pipefail`): Debian packages, the
# yourict binary, a work folder that is cleaned up with the server a test started, and
# counted checks.

# install_missing [--no-start] PACKAGE…: apt-get install (as root, else through sudo).
# --no-start keeps the packages' own services from starting (policy-rc.d): the tests run
# their own servers on loopback ports.
install_missing() {
  local no_start=0
  if [ "${1:-}" = --no-start ]; then no_start=1; shift; fi
  [ $# -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: missing $* and no apt-get to install them" >&2
    exit 2
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "== installing Debian packages: $*"
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ "$no_start" -eq 1 ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod +x "$policy"
    added_policy=1
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  [ "$added_policy" -eq 0 ] || "${sudo[@]}" rm -f "$policy"
}

# yourict_binary REPO: sets `bin` to YOURICT_BIN, else REPO/.build/release/yourict, as an
# absolute path; exits 2 when there is none.
yourict_binary() {
  bin="${YOURICT_BIN:-$1/.build/release/yourict}"
  [ -x "$bin" ] || { echo "run.sh: no yourict binary at $bin (swift build -c release --product yourict)" >&2; exit 2; }
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
}

# work_folder NAME: sets `work` to a new temporary folder, removed on exit (KEEP=1 keeps
# it) after stopping the process whose id the test puts in `server_pid`.
server_pid=""
work_folder() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/yourict-$1.XXXXXX")"
  trap _cleanup EXIT
}
_cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}

# check DESCRIPTION COMMAND…: runs the command and counts it as passed or failed.
failures=0
passes=0
check() {
  local what="$1"; shift
  if "$@"; then echo "  ok   $what"; passes=$((passes + 1)); else echo "  FAIL $what" >&2; failures=$((failures + 1)); fi
}

# report NAME: prints the counts; fails when a check failed.
report() {
  echo "$1: $passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
