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
#   4. pulls (≥ 2 chunks), pulls again (only the new day), checks the error paths
#      (no credentials, bad query, unreachable server) leave the files as they were;
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

# --- The site ---------------------------------------------------------------------------
site="$work/site"
"$bin" init "$site" >/dev/null
rm -f "$site/content/services/example.md"
cat > "$site/content/services/portail.md" <<'EOF'
---
title: Portail
summary: The partners' portal, probed every minute by blackbox_exporter.
category: general
delivery: SaaS
service_level: critical
manager: {name: Test Manager, email: spoc@example.org, phone: "+32 2 000 00 00"}
components:
  - id: web
    name: Web
    monitor: {job: blackbox, instance: "https://test.example/"}
---
## Characteristics

The portal.
EOF
monitoring="$site/content/monitoring"
out="$monitoring/portail"
query='probe_success{job="blackbox",instance="https://test.example/"}'
state() { (cd "$monitoring" && ls -A | sort && cat ./* 2>/dev/null | sha256sum); }

echo "== first pull: 40 days up to 2026-11-25, in weekly chunks"
start_ns=$(date +%s%N)
"$bin" pull prometheus --url "$url" --query "$query" --days 40 --step 60s --end 2026-11-25T00:00:00Z --out "$out" >"$work/pull1.out"
pull_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
cat "$work/pull1.out"
check "first pull: 7 requests (chunks under 11,000 points)" grep -q " in 7 requests: 2026-10-16T00:00:00Z to 2026-11-25T00:00:00Z, step 1m" "$work/pull1.out"
check "first pull: 7 weekly files" test "$(ls "$monitoring" | grep -c '^portail-2026[0-9]\{4\}T000000Z\.json$')" = 7
echo "   $(grep -o '[0-9,]* samples' "$work/pull1.out") in $pull_ms ms (whole command)"

echo "== second pull: only the new day"
"$bin" pull prometheus --url "$url" --query "$query" --days 40 --step 60s --end 2026-11-26T00:00:00Z --out "$out" >"$work/pull2.out"
cat "$work/pull2.out"
check "second pull: 1 request for the day after the newest sample" \
  grep -q "1 series, 1,440 samples in 1 request: 2026-11-25T00:01:00Z to 2026-11-26T00:00:00Z, step 1m, after the newest sample at 2026-11-25T00:00:00Z" "$work/pull2.out"
check "second pull: 1 file rewritten, still 7" grep -q "Wrote 1 file to .*removed 0; 7 files in all" "$work/pull2.out"

"$bin" pull prometheus --url "$url" --query "$query" --days 40 --step 60s --end 2026-11-26T00:00:00Z --out "$out" >"$work/pull3.out"
check "third pull: up to date, no request" grep -q "^Up to date: nothing to fetch after the newest sample at 2026-11-26T00:00:00Z" "$work/pull3.out"

echo "== error paths leave the files as they were"
before="$(state)"
expect_exit() {  # expect_exit CODE PATTERN -- COMMAND…
  local code="$1" pattern="$2"; shift 3
  local rc=0
  "$@" >"$work/err.out" 2>"$work/err.txt" || rc=$?
  if [ "$rc" != "$code" ]; then echo "    exit $rc, expected $code: $(cat "$work/err.txt")" >&2; return 1; fi
  grep -q -- "$pattern" "$work/err.txt" || { echo "    no \`$pattern\` in: $(cat "$work/err.txt")" >&2; return 1; }
}
check "bad query: exit 1 with Prometheus' errorType and error" \
  expect_exit 1 "Prometheus answered with an error (HTTP 400, bad_data): .*parse error" -- \
  "$bin" pull prometheus --url "$url" --query 'probe_success{job=' --days 40 --end 2026-11-26T00:00:00Z --out "$monitoring/bad"
check "bad query: files unchanged" test "$(state)" = "$before"
check "no credentials: exit 1, HTTP 401 with a hint naming the variables" \
  expect_exit 1 "YOURICT_PROMETHEUS_USER" -- \
  env -u YOURICT_PROMETHEUS_USER -u YOURICT_PROMETHEUS_PASSWORD "$bin" pull prometheus --url "$url" --query "$query" --days 40 --end 2026-11-27T00:00:00Z --out "$out"
check "no credentials: files unchanged" test "$(state)" = "$before"
check "unreachable server: exit 2 after the retries" \
  expect_exit 2 "cannot connect to http://127.0.0.1:$closed_port.*after 2 attempts" -- \
  "$bin" pull prometheus --url "http://127.0.0.1:$closed_port" --query "$query" --days 40 --retries 1 --timeout 5 --end 2026-11-27T00:00:00Z --out "$out"
check "unreachable server: files unchanged" test "$(state)" = "$before"
check "credentials on the command line are refused (exit 2)" \
  expect_exit 2 "must not contain credentials" -- "$bin" pull prometheus --url "http://yourict:x@127.0.0.1:$port" --query "$query" --out "$out"

echo "== build and check /api/services.json"
check "build --strict with --now 2026-11-26T00:00:00Z" "$bin" build --source "$site" --now 2026-11-26T00:00:00Z --strict
check "the exact figures of /api/services.json" python3 - "$site/public/api/services.json" "$version" <<'EOF'
import json, sys
from decimal import Decimal, ROUND_FLOOR, ROUND_HALF_UP

api = json.load(open(sys.argv[1]))
major = int(sys.argv[2].split(".")[0])
# Prometheus fills an instant with the last sample up to its lookback delta (5 min) before
# it: after the sample at 06:00 before the gap, the query returns 06:01 to 06:05 as well
# (2.x: closed window [t-5m, t]); 3.x's window is left-open (06:01 to 06:04).
stale = 5 if major < 3 else 4
minutes_90d = 40 * 1440 - (600 - stale)  # data since NOW-40d, less the gap's no-data time

def floor6(x):  # the API rounds every figure down to six decimals
    return float(Decimal(x).quantize(Decimal("0.000001"), rounding=ROUND_FLOOR))

expected = {
    # 24 h and 7 days: every sample up.
    "24h": (100.0, 100.0),
    "7d": (100.0, 100.0),
    # 30 days = 43,200 measured minutes (the gap is older), 43 down: 99.900463 %.
    "30d": (99.9005, floor6((1 - Decimal(43) / 43200) * 100)),
    # 90 days: 57,600 minutes since the first sample, less the gap's no-data, 43 down.
    "90d": (99.9246, floor6((1 - Decimal(43) / minutes_90d) * 100)),
    # November in Europe/Brussels: 2026-10-31T23:00Z to 2026-11-26T00:00Z = 36,060 minutes.
    "month": (99.8808, floor6((1 - Decimal(43) / 36060) * 100)),
}
services = {s["id"]: s for s in api["services"]}
s = services["portail"]
errors = []
for entity in (s, s["components"][0]):
    for window, (four, six) in expected.items():
        got = entity["availability"][window]
        rounded = float(Decimal(repr(got)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        if rounded != four or got != six:
            errors.append(f"{entity['id']} {window}: got {got}, expected {six} ({four} to four decimals)")
        else:
            print(f"  ok   {entity['id']:8} {window:5} {got} ({four:.4f})")
checks = {
    "reference_time": (api["reference_time"], "2026-11-26T00:00:00Z"),
    "status": (s["status"], "operational"),
    "target": (s["target"], 99.9),
    "met": (s["met"], True),
    "error_budget": (s["error_budget"], {"allowed_minutes": 43.2, "used_minutes": 43.0}),
}
for name, (got, want) in checks.items():
    if got != want:
        errors.append(f"{name}: got {got!r}, expected {want!r}")
    else:
        print(f"  ok   {name} = {got!r}")
if errors:
    print("\n".join("  FAIL " + e for e in errors), file=sys.stderr)
    sys.exit(1)
EOF

report prometheus
