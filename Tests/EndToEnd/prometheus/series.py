#!/usr/bin/env python3
"""Writes the backfilled series of the real-Prometheus test as OpenMetrics text.

probe_success{job="blackbox",instance="https://test.example/"}, one sample every 60 s
from NOW - 40 days to NOW inclusive (NOW = 2026-11-26T00:00:00Z), value 1, except:

- an outage: 43 samples at 0, 2026-11-16T08:00:00Z to 08:42:00Z (43 minutes down);
- a gap: no samples after 2026-10-22T06:00:00Z until 2026-10-22T16:02:00Z (601 samples
  missing). The sample at 06:00 holds for twice the interval (2 minutes), so the gap
  leaves exactly 600 minutes of no data.

57,601 instants minus 601 missing: 57,000 samples.
"""
import calendar
import sys
import time

def ts(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))

NOW = ts("2026-11-26T00:00:00Z")
START = NOW - 40 * 86400
OUTAGE = (ts("2026-11-16T08:00:00Z"), ts("2026-11-16T08:42:00Z"))  # inclusive
GAP = (ts("2026-10-22T06:01:00Z"), ts("2026-10-22T16:01:00Z"))     # inclusive: no samples

def main(out):
    out.write("# HELP probe_success Displays whether or not the probe was a success\n")
    out.write("# TYPE probe_success gauge\n")
    n = 0
    for t in range(START, NOW + 1, 60):
        if GAP[0] <= t <= GAP[1]:
            continue
        value = 0 if OUTAGE[0] <= t <= OUTAGE[1] else 1
        out.write(f'probe_success{{job="blackbox",instance="https://test.example/"}} {value} {t}\n')
        n += 1
    out.write("# EOF\n")
    assert n == 57_000, n

if __name__ == "__main__":
    main(sys.stdout)
