#!/usr/bin/env bash
# End-to-end: `yourict pull prometheus` against a real VictoriaMetrics (Debian's package,
# single node), a Prometheus-compatible long-term store, then `yourict build`, then the
# same exact availability figures of /api/services.json as the Prometheus test.
#
#   Tests/EndToEnd/victoriametrics/run.sh
#
# What it does:
#   1. installs Debian's victoria-metrics if missing, without starting Debian's own
#      service (policy-rc.d), which this test never uses anyway;
#   2. starts its own server on a free loopback port, with basic authentication, a fresh
#      -storageDataPath and a retention long enough for the backfilled dates, configured
#      to answer query_range like Prometheus (see below), and stops it on exit (trap);
#   3. imports the Prometheus test's series (../prometheus/series.py) through
#      /api/v1/import/prometheus, then flushes it (/internal/force_flush);
#   4. (../prometheus/pull-checks.sh, shared with the Prometheus test) pulls (≥ 2 chunks),
#      pulls again (only the new day), checks the error paths leave the files as they
#      were, builds a small site with --now and --strict and checks every figure.
#
# Needs a built yourict: YOURICT_BIN, else .build/release/yourict. KEEP=1 keeps the
# work folder (its path is printed).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
yourict_binary "$repo"

# --- Debian's victoria-metrics, only if missing -------------------------------------------
if ! command -v victoria-metrics >/dev/null 2>&1; then
  install_missing --no-start victoria-metrics
fi

work_folder victoriametrics

# --- The server -------------------------------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
closed_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== starting VictoriaMetrics on 127.0.0.1:$port"
# What makes VictoriaMetrics answer query_range like Prometheus (docs/deployment.md):
# - -search.minStalenessInterval=5m: Prometheus' 5-minute lookback. Without it, VM holds a
#   sample only about one scrape interval, so a gap costs 3 more minutes of no data
#   (measured: after the sample at 06:00 before the gap, 06:01 only instead of 06:01-06:04;
#   the 90-day figure is then 99.924562 instead of 99.924566);
# - -search.latencyOffset=0s: by default VM hides the newest 30 s of samples;
# - -search.disableCache: the response cache would keep answers computed before an import
#   of older samples (here: none is, but the test must not depend on it).
# -retentionPeriod counts back from the wall clock: 100 years keeps series.py's dates.
victoria-metrics -storageDataPath="$work/data" -retentionPeriod=100y \
  -httpListenAddr="127.0.0.1:$port" \
  -httpAuth.username=yourict -httpAuth.password=pull-test-password \
  -search.minStalenessInterval=5m -search.latencyOffset=0s -search.disableCache \
  >"$work/victoria-metrics.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port"
export YOURICT_PROMETHEUS_USER=yourict YOURICT_PROMETHEUS_PASSWORD=pull-test-password
for _ in $(seq 120); do
  curl -sf "$url/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/victoria-metrics.log" >&2; echo "VictoriaMetrics did not start" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$url/health" >/dev/null || { tail -20 "$work/victoria-metrics.log" >&2; exit 1; }
echo "   VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null || victoria-metrics -version)"

# --- The series -------------------------------------------------------------------------
echo "== importing the test series"
# series.py writes OpenMetrics: timestamps in seconds, `# EOF`. The Prometheus text format
# VictoriaMetrics imports has them in milliseconds.
python3 "$here/../prometheus/series.py" | awk '/^#/ { next } { $NF = $NF "000"; print }' > "$work/series.prom"
curl -sf -u "yourict:pull-test-password" --data-binary @"$work/series.prom" "$url/api/v1/import/prometheus"
curl -sf -u "yourict:pull-test-password" "$url/internal/force_flush" >/dev/null
count="$(curl -sf -u "yourict:pull-test-password" "$url/api/v1/query" \
  --data-urlencode 'query=count_over_time(probe_success[41d])' --data-urlencode 'time=2026-11-26T00:00:00Z' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')"
check "the store refuses a query without credentials (HTTP 401)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/query?query=up")" = 401
check "the store holds the 57,000 samples of series.py" test "$count" = 57000

# --- Pull, errors, build, figures: shared with prometheus/run.sh ------------------------
backend=victoriametrics
bad_query_error="Prometheus answered with an error (HTTP 422, 422): .*cannot execute query"
# -search.minStalenessInterval=5m: a left-open window (t-5m, t], as Prometheus 3.x.
stale_minutes=4
# VictoriaMetrics answers 401 with `WWW-Authenticate: Basic realm=…` (Prometheus sends no
# such header): the no-credentials check below proves that pull reports it as HTTP 401 with
# its hint instead of waiting for an answer to the challenge.
# shellcheck source=../prometheus/pull-checks.sh
. "$here/../prometheus/pull-checks.sh"
