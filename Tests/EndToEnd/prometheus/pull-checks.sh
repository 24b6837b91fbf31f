# The part of the `pull prometheus` end-to-end test that does not depend on the server:
# sourced by prometheus/run.sh and victoriametrics/run.sh once their server answers at
# `url` (with basic authentication) and holds series.py's series, so that both backends
# are pulled, built and checked the same way, against the same exact figures.
#
# Expects from the sourcing script (after lib.sh, yourict_binary and work_folder):
#   backend            a name for messages and the report (`prometheus`, `victoriametrics`)
#   url, port          the server's base URL and its loopback port
#   closed_port        a loopback port nothing listens on
#   bad_query_error    what yourict's error line says for the bad query (a grep pattern)
#   stale_minutes      how many minutes after the last sample before the gap the server
#                      still answers (its lookback): 5 (Prometheus 2.x, window [t-5m, t]),
#                      4 (Prometheus 3.x and VictoriaMetrics -search.minStalenessInterval=5m,
#                      window (t-5m, t])
#   no_credentials_skip  (optional) why the no-credentials check cannot run against this
#                      server; empty or unset runs it
#   YOURICT_PROMETHEUS_USER, YOURICT_PROMETHEUS_PASSWORD   exported credentials

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
check "bad query: exit 1 with the server's errorType and error" \
  expect_exit 1 "$bad_query_error" -- \
  "$bin" pull prometheus --url "$url" --query 'probe_success{job=' --days 40 --end 2026-11-26T00:00:00Z --out "$monitoring/bad"
check "bad query: files unchanged" test "$(state)" = "$before"
if [ -z "${no_credentials_skip:-}" ]; then
  check "no credentials: exit 1, HTTP 401 with a hint naming the variables" \
    expect_exit 1 "YOURICT_PROMETHEUS_USER" -- \
    env -u YOURICT_PROMETHEUS_USER -u YOURICT_PROMETHEUS_PASSWORD "$bin" pull prometheus --url "$url" --query "$query" --days 40 --end 2026-11-27T00:00:00Z --out "$out"
  check "no credentials: files unchanged" test "$(state)" = "$before"
else
  echo "  skip no credentials: $no_credentials_skip"
fi
check "unreachable server: exit 2 after the retries" \
  expect_exit 2 "cannot connect to http://127.0.0.1:$closed_port.*after 2 attempts" -- \
  "$bin" pull prometheus --url "http://127.0.0.1:$closed_port" --query "$query" --days 40 --retries 1 --timeout 5 --end 2026-11-27T00:00:00Z --out "$out"
check "unreachable server: files unchanged" test "$(state)" = "$before"
check "credentials on the command line are refused (exit 2)" \
  expect_exit 2 "must not contain credentials" -- "$bin" pull prometheus --url "http://yourict:x@127.0.0.1:$port" --query "$query" --out "$out"

echo "== build and check /api/services.json"
check "build --strict with --now 2026-11-26T00:00:00Z" "$bin" build --source "$site" --now 2026-11-26T00:00:00Z --strict
check "the exact figures of /api/services.json" python3 - "$site/public/api/services.json" "$stale_minutes" <<'EOF'
import json, sys
from decimal import Decimal, ROUND_FLOOR, ROUND_HALF_UP

api = json.load(open(sys.argv[1]))
# The server fills an instant with the last sample up to its lookback (5 min) before it:
# after the sample at 06:00 before the gap, the query returns 06:01 to 06:05 as well with
# Prometheus 2.x (closed window [t-5m, t]), 06:01 to 06:04 with Prometheus 3.x and
# VictoriaMetrics (left-open window): `stale_minutes`, 5 or 4.
stale = int(sys.argv[2])
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

report "$backend"
