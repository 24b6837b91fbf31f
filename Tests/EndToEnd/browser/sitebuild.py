"""Builds the example site, serves it, and finds the pages the browser suite visits.

Everything here is plain Python (no pytest), so that `python3 -m sitebuild` style
debugging and the fixtures in conftest.py share one implementation.
"""
from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# The policy the product promises to work under (DESIGN.md, qualities). The test server
# sends it, so any inline style or script shows up as a console error in the browser.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"


def yourict_binary() -> Path:
    """`YOURICT_BIN`, else the release build, else the debug build."""
    env = os.environ.get("YOURICT_BIN")
    candidates = [Path(env)] if env else [REPO / ".build/release/yourict", REPO / ".build/debug/yourict"]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise FileNotFoundError(
        "no yourict binary: set YOURICT_BIN or build one (swift build -c release --product yourict); looked at "
        + ", ".join(str(c) for c in candidates)
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(output: Path, base_url: str, source: Path = REPO) -> Path:
    """Runs `yourict build` into `output` (a fresh folder) and returns it.

    The base URL is the test server's, so canonical and hreflang links point at pages
    the link checker can follow."""
    binary = yourict_binary()
    # The binary may be being rebuilt by someone else: retry a few times.
    last = None
    for attempt in range(5):
        try:
            proc = subprocess.run(
                [str(binary), "build", "--source", str(source), "--output", str(output), "--base-url", base_url],
                capture_output=True, text=True, timeout=300,
            )
        except OSError as e:  # binary replaced while we tried to run it
            last = str(e)
            time.sleep(3)
            continue
        if proc.returncode == 0:
            return output
        last = proc.stdout + proc.stderr
        break
    raise RuntimeError(f"yourict build failed:\n{last}")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder with the production security headers."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        # LinkChecker throttles every host to a few requests per second unless the
        # server says it is fine with more: this is our own loopback server.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):  # quiet
        pass


_Handler.extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                           ".svg": "image/svg+xml", ".json": "application/json",
                           ".xml": "application/xml", ".js": "text/javascript", ".css": "text/css"}


@contextlib.contextmanager
def serve(root: Path, port: int):
    """Serves the site on http://127.0.0.1:port/ for the duration of the block.

    This is the only place that knows how the site is served. By default a small static
    server serves the built folder `root` with the production headers (CSP); with
    BROWSER_SERVER=yourict, `yourict serve` (the real preview server) serves the
    sources instead."""
    if os.environ.get("BROWSER_SERVER", "static") == "yourict":
        with _yourict_serve(port) as base:
            yield base
        return
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(base)
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def _yourict_serve(port: int, source: Path = REPO):
    proc = subprocess.Popen([str(yourict_binary()), "serve", "--source", str(source), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(base, timeout=120)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_until_up(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# ---------------------------------------------------------------------------
# Finding pages in the build


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.hreflangs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if a.get("hreflang"):
                self.hreflangs.append(a["hreflang"])


def links_of(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def languages(site: Path) -> list[str]:
    """The site's languages, in order: the choices of the root language chooser."""
    langs = []
    for code in links_of(site / "index.html").hreflangs:
        if code not in langs and (site / code / "index.html").is_file():
            langs.append(code)
    if not langs:
        langs = sorted(p.name for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()
                       and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", p.name))
    return langs


@dataclass
class PageSet:
    """One URL path per page type and language, e.g. pages["fr"]["service"]."""

    languages: list[str]
    by_lang: dict[str, dict[str, str]] = field(default_factory=dict)
    chooser: str = "/index.html"
    not_found: str = "/404.html"

    def all(self) -> list[tuple[str, str, str]]:
        """(id, lang, path) for every page the suite visits."""
        out = []
        for lang in self.languages:
            for kind, path in self.by_lang[lang].items():
                out.append((f"{lang}-{kind}", lang, path))
        out.append(("chooser", self.languages[0], self.chooser))
        out.append(("404", self.languages[0], self.not_found))
        return out


# Preferred examples (from the example site); any other site falls back to the first found.
PREFERRED = {"filter": "critical", "service": "messagerie", "sla": "2026-11", "incident": "2026-11-03-messagerie-webmail", "page": "support"}
SECTIONS = ("", "catalogue/", "incidents/", "sla/")


def _pick(candidates: list[str], preferred: str) -> str | None:
    for c in candidates:
        if preferred and f"/{preferred}/" in c:
            return c
    return candidates[0] if candidates else None


def page_set(site: Path) -> PageSet:
    langs = languages(site)
    ps = PageSet(languages=langs)
    for lang in langs:
        root = site / lang
        pages = {"dashboard": f"/{lang}/", "catalogue": f"/{lang}/catalogue/"}
        filters = [h for h in links_of(root / "catalogue/index.html").hrefs
                   if re.fullmatch(rf"/{lang}/catalogue/[a-z]+/[^/]+/", h)]
        catalogue_filter = _pick(filters, PREFERRED["filter"])
        if catalogue_filter:
            pages["catalogue-filter"] = catalogue_filter
        services = sorted({h for h in links_of(root / "catalogue/index.html").hrefs
                           if re.fullmatch(rf"/{lang}/services/[^/]+/", h)})
        service = _pick(services, PREFERRED["service"])
        if service:
            pages["service"] = service
            service_file = site / service.strip("/") / "index.html"
            reports = [h for h in links_of(service_file).hrefs if re.fullmatch(rf"{re.escape(service)}sla/\d{{4}}-\d{{2}}/", h)]
            sla = _pick(reports, PREFERRED["sla"])
            if sla:
                pages["sla"] = sla
        pages["incidents"] = f"/{lang}/incidents/"
        incidents = sorted({h for h in links_of(root / "incidents/index.html").hrefs
                            if re.fullmatch(rf"/{lang}/incidents/[^/]+/", h)})
        incident = _pick(incidents, PREFERRED["incident"])
        if incident:
            pages["incident"] = incident
        if (root / "sla/index.html").is_file():
            pages["sla-index"] = f"/{lang}/sla/"
            months = sorted({h for h in links_of(root / "sla/index.html").hrefs if re.fullmatch(rf"/{lang}/sla/\d{{4}}-\d{{2}}/", h)})
            overview = _pick(months, PREFERRED["sla"])
            if overview:
                pages["sla-overview"] = overview
        if (root / "404.html").is_file():
            pages["404"] = f"/{lang}/404.html"
        nav = [h for h in links_of(root / "index.html").hrefs
               if re.fullmatch(rf"/{lang}/[^/]+/", h) and h not in {f"/{lang}/{s}" for s in SECTIONS}
               and (site / h.strip("/") / "index.html").is_file()]
        general = _pick(nav, PREFERRED["page"])
        if general:
            pages["page"] = general
        ps.by_lang[lang] = pages
    return ps


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def which(name: str) -> str | None:
    return shutil.which(name)
