"""Every page type, in every language: axe-core (WCAG 2.0/2.1 A and AA) finds nothing,
the browser logs no error, no request fails, and nothing scrolls sideways on a phone.

Pages are served with the strict Content-Security-Policy the product promises to work
under, so an inline style or script would show up here as a console error."""
from __future__ import annotations

import pytest

from conftest import emulate, format_violations, run_axe, visit

MODES = {
    "light-1280": dict(width=1280, scheme="light"),
    "dark-1280": dict(width=1280, scheme="dark"),
    "light-375": dict(width=375, scheme="light"),
}

_cache: dict[tuple[str, str], dict] = {}


def _load(driver, base_url, axe_source, path, mode):
    key = (path, mode)
    if key not in _cache:
        emulate(driver, **MODES[mode])
        v = visit(driver, base_url, path)
        axe = run_axe(driver, axe_source)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        lang = driver.execute_script("return document.documentElement.lang")
        _cache[key] = {"visit": v, "axe": axe, "overflow": overflow, "lang": lang}
    return _cache[key]


@pytest.mark.parametrize("mode", list(MODES))
def test_axe_finds_no_violation(driver, base_url, axe_source, page, mode):
    lang, path = page
    r = _load(driver, base_url, axe_source, path, mode)["axe"]
    assert "error" not in r, f"axe-core failed on {path}: {r.get('error')}"
    assert not r["violations"], (
        f"axe-core {r['version']} found {len(r['violations'])} violation(s) on {path} ({mode}):\n"
        + format_violations(r["violations"]))


@pytest.mark.parametrize("mode", list(MODES))
def test_no_console_error(driver, base_url, axe_source, page, mode):
    lang, path = page
    v = _load(driver, base_url, axe_source, path, mode)["visit"]
    errors = v.console_errors
    assert not errors, f"console errors on {path} ({mode}):\n" + "\n".join(f"  {e['message']}" for e in errors)


@pytest.mark.parametrize("mode", list(MODES))
def test_no_failed_request(driver, base_url, axe_source, page, mode):
    lang, path = page
    v = _load(driver, base_url, axe_source, path, mode)["visit"]
    assert not v.failed, f"failed requests on {path} ({mode}):\n" + "\n".join(f"  {f}" for f in v.failed)


def test_page_language(driver, base_url, axe_source, page):
    lang, path = page
    r = _load(driver, base_url, axe_source, path, "light-1280")
    assert r["lang"] == lang, f"{path}: <html lang={r['lang']!r}>, expected {lang!r}"


@pytest.mark.parametrize("width", [375, 320])
def test_no_horizontal_scrolling(driver, base_url, axe_source, page, width):
    """WCAG 1.4.10 Reflow: content fits 320 CSS pixels without scrolling sideways
    (wide tables scroll inside their own focusable region, not the page)."""
    lang, path = page
    if width == 375:
        overflow = _load(driver, base_url, axe_source, path, "light-375")["overflow"]
    else:
        emulate(driver, width=width, scheme="light")
        visit(driver, base_url, path)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        if width == 375:
            emulate(driver, width=width, scheme="light")
            visit(driver, base_url, path)
        culprits = driver.execute_script("""
            var w = document.documentElement.clientWidth, out = [];
            document.querySelectorAll('body *').forEach(function (el) {
              var r = el.getBoundingClientRect();
              if (r.right > w + 1 && !el.closest('.table-scroll')) out.push(el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(r.right));
            });
            return out.slice(0, 10);""")
        pytest.fail(f"{path} scrolls sideways by {overflow}px at {width}px; widest elements: {culprits}")
