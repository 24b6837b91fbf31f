"""What a static status site offers to subscribe to, read by real parsers.

Builds the example site (content/) and checks:
  - every Atom feed, the site's and each service's in each language, with feedparser;
  - every maintenance calendar with icalendar, and RFC 5545's line rules on the raw bytes;
  - a stable UID, DTSTAMP from the latest update and a SEQUENCE that grows when an update
    is added (a second build of a copy of the site with one more update);
  - every /api/v2/ document with check-jsonschema against docs/schemas/statuspage/, at two
    reference times: the example's own, and one with a maintenance under way (active.json).

Prints one line per check and closes with "feeds: N passed, N failed"; exits 1 on a failure.
"""

import argparse
import datetime
import pathlib
import shutil
import subprocess
import sys

import feedparser
import icalendar

NOW = "2026-11-26T12:00:00Z"
# The example's maintenance of the mail platform (2026-12-05, 06:00–08:00 local) is under way.
DURING = "2026-12-05T05:30:00Z"
LANGS = ["fr", "nl"]  # content/site.yaml
UTC = datetime.timezone.utc

# The example's events per service (content/incidents/*.md, `affected`), newest first.
SERVICE_EVENTS = {
    "messagerie": ["2026-12-05-messagerie-maintenance", "2026-11-03-messagerie-webmail"],
    "visioconference": ["2026-12-12-visioconference-maintenance", "2026-10-21-visioconference-passerelle-sip"],
    "partage-fichiers": [],
}
MAINTENANCE = {
    # id: (status, sequence, dtstamp, dtstart, dtend) at NOW
    "2026-10-17-bases-de-donnees-maintenance": ("CONFIRMED", 3, "2026-10-17T06:40:00", "2026-10-17T04:00:00", "2026-10-17T06:40:00"),
    "2026-12-05-messagerie-maintenance": ("CONFIRMED", 1, "2026-11-20T13:00:00", "2026-12-05T05:00:00", "2026-12-05T07:00:00"),
    "2026-12-12-visioconference-maintenance": ("CANCELLED", 2, "2026-11-24T15:00:00", "2026-12-12T06:00:00", "2026-12-12T08:00:00"),
}
SCHEMAS = {
    "summary.json": "summary",
    "status.json": "status",
    "components.json": "components",
    "incidents.json": "incidents",
    "incidents/unresolved.json": "incidents-unresolved",
    "scheduled-maintenances.json": "scheduled-maintenances",
    "scheduled-maintenances/upcoming.json": "scheduled-maintenances-upcoming",
    "scheduled-maintenances/active.json": "scheduled-maintenances-active",
}

passes = 0
failures = 0


def check(what, ok, detail=""):
    global passes, failures
    if ok:
        passes += 1
        print(f"  ok   {what}")
    else:
        failures += 1
        print(f"  FAIL {what}" + (f": {detail}" if detail else ""), file=sys.stderr)


def build(yourict, source, output, now):
    subprocess.run([yourict, "build", "--source", str(source), "--output", str(output), "--now", now],
                   check=True, stdout=subprocess.DEVNULL)
    return output


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- Atom ------------------------------------------------------------------------------

def entry_ids(parsed):
    return [e.link.rstrip("/").rsplit("/", 1)[-1] for e in parsed.entries]


def check_feeds(site):
    feeds = sorted(site.glob("*/feed.xml")) + sorted(site.glob("*/services/*/feed.xml"))
    check(f"a feed for the site and each service in each language ({len(feeds)})",
          len(feeds) == len(LANGS) * (1 + len(list(site.glob("fr/services/*/index.html")))))
    for path in feeds:
        name = path.relative_to(site)
        parsed = feedparser.parse(path.read_bytes())
        problems = []
        if parsed.bozo:
            problems.append(f"not well-formed: {parsed.bozo_exception}")
        if parsed.version != "atom10":
            problems.append(f"version {parsed.version!r}")
        feed = parsed.feed
        for key in ("id", "title", "updated", "link"):
            if not feed.get(key):
                problems.append(f"feed without {key}")
        if feed.get("language") != name.parts[0]:
            problems.append(f"xml:lang {feed.get('language')!r}")
        for entry in parsed.entries:
            for key in ("id", "title", "link", "published", "updated", "content"):
                if not entry.get(key):
                    problems.append(f"entry {entry.get('id')} without {key}")
            if entry.get("published_parsed") and entry.get("updated_parsed") and entry.updated_parsed < entry.published_parsed:
                problems.append(f"entry {entry.id} updated before published")
            if entry.get("updated_parsed") and entry.updated_parsed > feed.updated_parsed:
                problems.append(f"entry {entry.id} newer than the feed")
        check(f"{name}: Atom 1.0 that feedparser reads cleanly ({len(parsed.entries)} entries)", not problems, "; ".join(problems))

    for lang in LANGS:
        site_feed = feedparser.parse((site / lang / "feed.xml").read_bytes())
        site_ids = set(entry_ids(site_feed))
        for service, expected in SERVICE_EVENTS.items():
            parsed = feedparser.parse((site / lang / "services" / service / "feed.xml").read_bytes())
            got = entry_ids(parsed)
            check(f"{lang}/services/{service}/feed.xml holds the events affecting it", got == expected, f"{got}")
            check(f"... the site's entries, with the same ids", set(got) <= site_ids
                  and {e.id for e in parsed.entries} <= {e.id for e in site_feed.entries})
            check(f"... links to itself and to the service's page",
                  parsed.feed.get("link", "").endswith(f"/{lang}/services/{service}/")
                  and any(l.get("rel") == "self" and l.href.endswith(f"/{lang}/services/{service}/feed.xml") for l in parsed.feed.links))


# --- iCalendar -------------------------------------------------------------------------

def raw_line_problems(data):
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end in CRLF")
    lines = data.split(b"\r\n")[:-1]
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(f"not UTF-8 ({error})")
    return problems


def events(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return calendar, {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def when(event, key):
    return event.decoded(key)


def check_calendars(site):
    calendars = sorted(site.glob("*/maintenance.ics")) + sorted(site.glob("*/services/*/maintenance.ics"))
    check(f"a calendar for the site and each service in each language ({len(calendars)})",
          len(calendars) == len(LANGS) * (1 + len(list(site.glob("fr/services/*/index.html")))))
    for path in calendars:
        name = path.relative_to(site)
        problems = raw_line_problems(path.read_bytes())
        try:
            calendar, by_id = events(path)
        except Exception as error:  # noqa: BLE001 - any parser error fails the check
            check(f"{name}: icalendar reads it", False, repr(error))
            continue
        if str(calendar.get("VERSION")) != "2.0" or not calendar.get("PRODID"):
            problems.append("no VERSION:2.0 or PRODID")
        for uid, event in by_id.items():
            for key in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "STATUS"):
                if key not in event:
                    problems.append(f"{uid} without {key}")
            for key in ("DTSTAMP", "DTSTART", "DTEND"):
                if key in event and when(event, key).utcoffset() != datetime.timedelta(0):
                    problems.append(f"{uid}: {key} not in UTC")
            if "DTSTART" in event and "DTEND" in event and not when(event, "DTEND") > when(event, "DTSTART"):
                problems.append(f"{uid}: DTEND not after DTSTART")
        check(f"{name}: iCalendar that icalendar reads, lines of at most 75 octets in CRLF ({len(by_id)} events)",
              not problems, "; ".join(problems))

    uids = {}
    for lang in LANGS:
        _, by_id = events(site / lang / "maintenance.ics")
        check(f"{lang}/maintenance.ics: every planned maintenance of the example", sorted(by_id) == sorted(MAINTENANCE), f"{sorted(by_id)}")
        for uid, (status, sequence, stamp, start, end) in MAINTENANCE.items():
            event = by_id.get(uid)
            if event is None:
                continue
            got = (str(event["STATUS"]), int(event["SEQUENCE"]), when(event, "DTSTAMP"), when(event, "DTSTART"), when(event, "DTEND"))
            check(f"{lang}: {uid} is {status}, SEQUENCE {sequence}, DTSTAMP its latest update, in UTC",
                  got == (status, sequence, utc(stamp), utc(start), utc(end)), f"{got}")
            uids.setdefault(uid, set()).add(str(event["UID"]))
        for service, expected in SERVICE_EVENTS.items():
            _, own = events(site / lang / "services" / service / "maintenance.ics")
            check(f"{lang}/services/{service}/maintenance.ics holds its maintenance only",
                  sorted(own) == sorted(e for e in expected if e in MAINTENANCE), f"{sorted(own)}")
    check("a maintenance has the same UID in every language's calendar", all(len(v) == 1 for v in uids.values()), f"{uids}")
    return {uid: str(next(iter(v))) for uid, v in uids.items()}


def check_sequence_grows(yourict, repo, work, uids_before):
    source = work / "source"
    shutil.copytree(repo / "content", source / "content")
    shutil.copytree(repo / "templates", source / "templates")
    maintenance = source / "content" / "incidents" / "2026-12-05-messagerie-maintenance.md"
    text = maintenance.read_text(encoding="utf-8")
    head, separator, body = text.partition("\n---\n")
    update = '  - {at: 2026-11-25T09:30:00+01:00, status: scheduled, body: "Horaire confirmé."}\n'
    maintenance.write_text(head + "\n" + update.rstrip("\n") + separator + body, encoding="utf-8")
    site = build(yourict, source, work / "updated", NOW)
    _, by_id = events(site / "fr" / "maintenance.ics")
    event = by_id["2026-12-05-messagerie-maintenance"]
    check("an added update keeps the UID", str(event["UID"]) == uids_before["2026-12-05-messagerie-maintenance"])
    check("... raises SEQUENCE (1 → 2)", int(event["SEQUENCE"]) == 2, str(event["SEQUENCE"]))
    check("... and dates DTSTAMP by it", when(event, "DTSTAMP") == utc("2026-11-25T08:30:00"), str(when(event, "DTSTAMP")))
    other = by_id["2026-12-12-visioconference-maintenance"]
    check("... and changes no other event", (int(other["SEQUENCE"]), str(other["STATUS"])) == (2, "CANCELLED"))


# --- Statuspage API --------------------------------------------------------------------

def check_statuspage(site, schemas, label):
    documents = sorted(p.relative_to(site / "api" / "v2").as_posix() for p in (site / "api" / "v2").rglob("*.json"))
    check(f"{label}: /api/v2/ has the eight Statuspage documents", documents == sorted(SCHEMAS), f"{documents}")
    for document in documents:
        schema = SCHEMAS.get(document)
        if schema is None:
            check(f"{label}: /api/v2/{document} has a schema in docs/schemas/statuspage/", False)
            continue
        result = subprocess.run(["check-jsonschema", "--schemafile", str(schemas / f"{schema}.schema.json"),
                                 str(site / "api" / "v2" / document)], capture_output=True, text=True)
        check(f"{label}: /api/v2/{document} is valid against {schema}.schema.json", result.returncode == 0,
              (result.stdout + result.stderr).strip())


def check_schemas_reject(site, schemas, work):
    """The schemas can fail: a document with a status Statuspage does not know is rejected."""
    bad = work / "bad-components.json"
    bad.write_text((site / "api" / "v2" / "components.json").read_text(encoding="utf-8")
                   .replace('"status": "operational"', '"status": "no_data"', 1), encoding="utf-8")
    result = subprocess.run(["check-jsonschema", "--schemafile", str(schemas / "components.schema.json"), str(bad)],
                            capture_output=True, text=True)
    check("the schemas reject a status Statuspage does not have", result.returncode == 1 and "no_data" in result.stdout,
          result.stdout.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--yourict", required=True)
    parser.add_argument("--repo", required=True, type=pathlib.Path)
    parser.add_argument("--work", required=True, type=pathlib.Path)
    args = parser.parse_args()
    schemas = args.repo / "docs" / "schemas" / "statuspage"

    print(f"== building the example site at {NOW} and at {DURING}")
    site = build(args.yourict, args.repo, args.work / "site", NOW)
    during = build(args.yourict, args.repo, args.work / "during", DURING)

    print("== Atom feeds (feedparser)")
    check_feeds(site)
    print("== maintenance calendars (icalendar)")
    uids = check_calendars(site)
    check_sequence_grows(args.yourict, args.repo, args.work, uids)
    print("== the Statuspage API (check-jsonschema)")
    check_statuspage(site, schemas, NOW)
    check_statuspage(during, schemas, DURING)
    active = (during / "api" / "v2" / "scheduled-maintenances" / "active.json").read_text(encoding="utf-8")
    check(f"{DURING}: active.json lists the maintenance under way", '"id": "2026-12-05-messagerie-maintenance"' in active)
    check_schemas_reject(site, schemas, args.work)

    print(f"feeds: {passes} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
