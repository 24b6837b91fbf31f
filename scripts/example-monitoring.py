#!/usr/bin/env python3
"""Writes the example site's monitoring data into content/monitoring/.

Deterministic (fixed seed, fixed dates): running it twice gives the same bytes.
The outages match the example incidents in content/incidents/.

- Messagerie's three probes come as a real Prometheus `query_range` export of
  `probe_success{job="blackbox"}` at a 5-minute step, cut into chunks of at most
  11,000 points per series as Prometheus requires (three files), and their response
  times as an export of `probe_duration_seconds{job="blackbox"}` at a 15-minute step
  (one file): invented but plausible figures, slower in office hours, and slow during
  the webmail incident of 3 November.
- The other services use the yourict format (docs/monitoring-format.md): long
  stretches as `runs`, and one component as minute `samples` with latencies.
- The intranet's probe stops reporting at 10:20 UTC on the last day, so that the
  example shows late data ("no recent data") at its reference time.
- The telephony service has no monitoring at all: its figures come from its
  declared incidents.

Usage: python3 scripts/example-monitoring.py [--out content/monitoring]
"""
import argparse
import json
import os
import random
from datetime import datetime, timezone

START = int(datetime(2026, 8, 28, 0, 0, tzinfo=timezone.utc).timestamp())
END = int(datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc).timestamp())  # the reference time
STEP = 300
MAX_POINTS = 11000


def ts(text):
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def iso(t):
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Outages of the Prometheus-monitored messagerie, as (from, until, kind); kind
# "down" fails every probe, "flap" fails every other probe (half the servers).
MESSAGERIE = {
    "https://webmail.example.be/": [
        (ts("2026-11-03T08:12:00Z"), ts("2026-11-03T09:40:00Z"), "flap"),  # incident 2026-11-03
        (ts("2026-09-30T02:10:00Z"), ts("2026-09-30T02:20:00Z"), "down"),
    ],
    "smtp.example.be:587": [
        (ts("2026-10-08T13:25:00Z"), ts("2026-10-08T13:35:00Z"), "down"),
    ],
    "https://mobile.example.be/": [
        (ts("2026-09-16T06:00:00Z"), ts("2026-09-16T06:05:00Z"), "down"),
    ],
}

# Other components: stretches that are not "up", in UTC, plus gaps with no data.
OTHER = {
    ("hebergement-applications", "plateforme"): [
        ("2026-09-09T12:05:00Z", "2026-09-09T12:52:00Z", "down"),  # incident 2026-09-09
    ],
    ("hebergement-applications", "repartiteur"): [
        ("2026-09-09T12:05:00Z", "2026-09-09T12:52:00Z", "down"),
    ],
    ("bases-de-donnees", "postgresql"): [
        ("2026-10-17T04:20:00Z", "2026-10-17T04:45:00Z", "down"),  # inside the planned maintenance
        ("2026-10-17T06:05:00Z", "2026-10-17T06:15:00Z", "down"),
    ],
    ("bases-de-donnees", "sqlserver"): [
        ("2026-10-17T05:00:00Z", "2026-10-17T05:40:00Z", "down"),
    ],
    ("visioconference", "portail"): [],
    ("visioconference", "sip"): [
        ("2026-10-21T07:30:00Z", "2026-10-21T09:20:00Z", "partial"),  # incident 2026-10-21
    ],
    ("sites-web", "cms"): [
        ("2026-10-02T10:00:00Z", "2026-10-02T10:10:00Z", "down"),
    ],
    ("sites-web", "sites-publics"): [
        ("2026-11-12T19:40:00Z", "2026-11-12T19:55:00Z", "degraded"),
    ],
    ("sites-web", "intranet"): [
        ("2026-09-21T01:00:00Z", "2026-09-21T03:00:00Z", None),  # the probe itself was down: no data
    ],
    ("acces-distant", "vpn"): [
        ("2026-09-24T05:48:00Z", "2026-09-24T07:10:00Z", "partial"),  # incident 2026-09-24
    ],
    ("acces-distant", "authentification"): [],
    ("gestion-documents", "portail"): [
        ("2026-10-29T15:30:00Z", "2026-10-29T15:45:00Z", "down"),
    ],
    ("partage-fichiers", "portail"): [],
    ("partage-fichiers", "synchronisation"): [
        ("2026-09-05T08:00:00Z", "2026-09-05T08:25:00Z", "down"),
        ("2026-11-19T14:10:00Z", "2026-11-19T14:30:00Z", "partial"),
    ],
}


# Components whose data stops before END: the export job stalled.
STOPPED = {
    ("sites-web", "intranet"): "2026-11-26T10:20:00Z",
}


def prometheus_chunks(rng):
    """Chunk files of a query_range export, each covering at most MAX_POINTS steps."""
    times = list(range(START, END + 1, STEP))
    chunks = [times[i:i + MAX_POINTS] for i in range(0, len(times), MAX_POINTS)]
    files = []
    for n, chunk in enumerate(chunks, 1):
        result = []
        for instance, outages in MESSAGERIE.items():
            values = []
            for t in chunk:
                v = "1"
                for start, until, kind in outages:
                    if start <= t < until:
                        v = "0" if kind == "down" or (t // STEP) % 2 == 0 else "1"
                values.append([t, v])
            result.append({
                "metric": {"__name__": "probe_success", "instance": instance, "job": "blackbox"},
                "values": values,
            })
        doc = {"status": "success", "data": {"resultType": "matrix", "result": result}}
        files.append((f"prometheus-messagerie-{n}.json", doc))
    return files


# Response times of messagerie's probes: (typical seconds, spread), by instance.
LATENCY = {
    "https://webmail.example.be/": (0.180, 0.35),
    "smtp.example.be:587": (0.045, 0.25),
    "https://mobile.example.be/": (0.240, 0.30),
}
LATENCY_STEP = 900


def prometheus_latency(rng):
    """probe_duration_seconds of messagerie's probes, one file (8,641 points per series)."""
    result = []
    for instance, (typical, spread) in LATENCY.items():
        values = []
        for t in range(START, END + 1, LATENCY_STEP):
            hour = (t // 3600 + 1) % 24  # Brussels time, near enough for example data
            busy = 1.35 if 8 <= hour < 18 and (t // 86400 + 4) % 7 < 5 else 1.0
            seconds = typical * busy * rng.lognormvariate(0, spread)
            for start, until, kind in MESSAGERIE[instance]:
                if start <= t < until:
                    seconds = rng.uniform(2.5, 5.0)  # failing and slow probes, up to the 5 s timeout
            values.append([t, f"{seconds:.6f}"])
        result.append({
            "metric": {"__name__": "probe_duration_seconds", "instance": instance, "job": "blackbox"},
            "values": values,
        })
    return {"status": "success", "data": {"resultType": "matrix", "result": result}}


def own_format(rng):
    checks = []
    for (service, component), outages in sorted(OTHER.items()):
        if (service, component) == ("gestion-documents", "recherche"):
            continue
        runs = []
        cursor = START
        for start, until, state in sorted(outages):
            s, u = ts(start), ts(until)
            if s > cursor:
                runs.append([iso(cursor), iso(s), "up"])
            if state is not None:
                runs.append([iso(s), iso(u), state])
            cursor = u
        runs.append([iso(cursor), iso(ts(STOPPED[(service, component)]) if (service, component) in STOPPED else END), "up"])
        checks.append({"service": service, "component": component, "runs": runs})

    # Search in the document management service: minute samples with response times
    # over the last two days; slow (degraded) since the open incident of 26 November.
    samples = []
    degraded_from = ts("2026-11-26T09:40:00Z")
    for t in range(END - 2 * 86400, END + 1, 60):
        slow = t >= degraded_from
        latency = rng.randint(2400, 4800) if slow else rng.randint(90, 260)
        samples.append([t, "degraded" if slow else "up", latency])
    checks.append({
        "service": "gestion-documents", "component": "recherche", "interval": 60,
        "runs": [[iso(START), iso(END - 2 * 86400), "up"]],
        "samples": samples,
    })
    return {"yourict_monitoring": 1, "source": "example data from scripts/example-monitoring.py", "checks": checks}


def write(path, doc, compact):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(doc, f, separators=(",", ":"), ensure_ascii=False)
        else:
            json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "content", "monitoring"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(20261126)
    for name, doc in prometheus_chunks(rng):
        write(os.path.join(args.out, name), doc, compact=True)
    write(os.path.join(args.out, "services.json"), own_format(rng), compact=False)
    # Drawn last, so that the files above keep their bytes.
    write(os.path.join(args.out, "prometheus-messagerie-latency.json"), prometheus_latency(rng), compact=True)


if __name__ == "__main__":
    main()
