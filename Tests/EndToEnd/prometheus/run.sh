#!/usr/bin/env bash
# End-to-end: `yourict pull prometheus` against a real Prometheus (Debian's package), then
# `yourict build`, then the exact availability figures of /api/services.json.
#
#   Tests/EndToEnd/prometheus/run.sh
#
# What it does:
#   1. installs Debian's prometheus (server and promtool) if missing, without starting
#      Debian's own service (policy-rc.d), which this test never uses anyway;
#   2. backfills a known series (series.py) with promtool into a fresh TSDB folder;
#   3. starts its own server on a free loopback port, with basic authentication, a
#      retention long enough for the backfilled dates, and stops it on exit (trap);
#   4. (pull-checks.sh, shared with victoriametrics/run.sh) pulls (≥ 2 chunks), pulls
#      again (only the new day), checks the error paths (no credentials, bad query,
#      unreachable server) leave the files as they were;
#   5. builds a small site with --now and --strict and checks every figure.
#
# Needs a built yourict: YOURICT_BIN, else .build/release/yourict. KEEP=1 keeps the
# work folder (its path is printed).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
yourict_binary "$repo"

# --- Debian's prometheus, only if missing ---------------------------------------------
# Keep the package's own service from starting: this test runs its own server.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  install_missing --no-start prometheus
fi

work_folder prometheus

# --- The series -------------------------------------------------------------------------
echo "== backfilling the test series"
python3 "$here/series.py" > "$work/series.om"
promtool tsdb create-blocks-from openmetrics --quiet "$work/series.om" "$work/tsdb" >/dev/null

# --- The server -------------------------------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
closed_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
printf 'global:\n  scrape_interval: 1h\n' > "$work/prometheus.yml"
# Basic authentication (password pull-test-password, bcrypt cost 4: a test fixture).
cat > "$work/web.yml" <<'EOF'
basic_auth_users:
  yourict: $2b$04$NgSSKL3xulh6HC61RPQvS.V/4YHA3.UWIZXJx84MApE405e8Br1ze
EOF
echo "== starting Prometheus on 127.0.0.1:$port"
# Retention counts back from the newest block, not from the wall clock: 10 years keeps
# every backfilled block whatever today's date.
prometheus --config.file="$work/prometheus.yml" --web.config.file="$work/web.yml" \
  --storage.tsdb.path="$work/tsdb" --storage.tsdb.retention.time=3650d \
  --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port"
export YOURICT_PROMETHEUS_USER=yourict YOURICT_PROMETHEUS_PASSWORD=pull-test-password
for _ in $(seq 120); do
  curl -sf -u "yourict:pull-test-password" "$url/-/ready" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/prometheus.log" >&2; echo "Prometheus did not start" >&2; exit 1; }
  sleep 0.5
done
curl -sf -u "yourict:pull-test-password" "$url/-/ready" >/dev/null || { tail -20 "$work/prometheus.log" >&2; exit 1; }
version="$(curl -s -u "yourict:pull-test-password" "$url/api/v1/status/buildinfo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["version"])')"
echo "   Prometheus $version"

# --- Pull, errors, build, figures: shared with victoriametrics/run.sh ------------------
backend=prometheus
bad_query_error="Prometheus answered with an error (HTTP 400, bad_data): .*parse error"
# 2.x's lookback window is closed ([t-5m, t]), 3.x's left-open: see pull-checks.sh.
stale_minutes=$([ "${version%%.*}" -lt 3 ] && echo 5 || echo 4)
# shellcheck source=pull-checks.sh
. "$here/pull-checks.sh"
