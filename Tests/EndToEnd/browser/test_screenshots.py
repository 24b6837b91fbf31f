"""Screenshots of the main pages (written to SCREENSHOT_DIR) and the printed SLA report."""
from __future__ import annotations

import base64
import re
import struct

import pytest

from conftest import emulate, full_page_png, visit

SHOTS = ["dashboard", "service", "catalogue"]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("kind", SHOTS)
def test_screenshot(driver, base_url, pages, screenshot_dir, kind, width, scheme):
    lang = pages.languages[0]
    path = pages.by_lang[lang][kind]
    emulate(driver, width=width, scheme=scheme)
    v = visit(driver, base_url, path)
    assert not v.failed, v.failed
    bg = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    png, height = full_page_png(driver, width)
    emulate(driver, width=width, scheme=scheme)
    w, h = _png_size(png)
    assert w == width and h >= 300
    out = screenshot_dir / f"{kind}-{width}-{scheme}.png"
    out.write_bytes(png)
    # The scheme really applies: dark pages have a dark background, light ones a light one.
    r, g, b = (int(x) for x in re.findall(r"\d+", bg)[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    assert (luminance < 80) if scheme == "dark" else (luminance > 200), f"{scheme} page has background {bg}"


def test_sla_report_prints_on_at_most_two_pages(driver, base_url, pages, screenshot_dir):
    """The monthly SLA report is a printable document: A4, one or two pages, without
    the site's navigation."""
    lang = pages.languages[0]
    path = pages.by_lang[lang]["sla"]
    emulate(driver, width=1280, scheme="light")
    visit(driver, base_url, path)
    # The print view hides the site chrome.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = driver.execute_script(
        "return ['.site-header', '.site-footer', '.skip-link'].map(function (s) {"
        "  var e = document.querySelector(s); return !e || getComputedStyle(e).display === 'none'; });")
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False, "preferCSSPageSize": True})["data"])
    emulate(driver, width=1280, scheme="light")
    (screenshot_dir / "sla-report.pdf").write_bytes(pdf)
    pages_count = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert all(hidden), "header, footer and skip link must not print"
    assert 1 <= pages_count <= 2, f"the SLA report prints on {pages_count} A4 pages"
