"""Without JavaScript, the pages still say everything: the dashboard shows every
service's status in words and its 30-day availability figure."""
from __future__ import annotations

import json
import re
import time

import pytest

from conftest import emulate, visit


def _figure(text: str) -> float | None:
    m = re.search(r"(\d{1,3}(?:[.,]\d+)?)\s*%", text.replace("\u202f", " ").replace("\u00a0", " "))
    return float(m.group(1).replace(",", ".")) if m else None


@pytest.fixture(scope="module")
def services(site_dir):
    data = json.loads((site_dir / "api/services.json").read_text(encoding="utf-8"))
    assert data["services"], "api/services.json lists no service"
    return data["services"]


def test_javascript_is_really_off(nojs_driver, base_url, pages):
    emulate(nojs_driver, width=1280)
    visit(nojs_driver, base_url, pages.by_lang[pages.languages[0]]["dashboard"])
    # app.js creates .strip-tip elements and roving tab stops; none may exist here.
    assert nojs_driver.find_elements("css selector", ".strip-tip") == []
    assert nojs_driver.find_elements("css selector", "[data-strip] li[tabindex]") == []


def test_dashboard_without_javascript_shows_status_and_30_day_figure(nojs_driver, base_url, pages, services, lang):
    emulate(nojs_driver, width=1280)
    path = pages.by_lang[lang]["dashboard"]
    visit(nojs_driver, base_url, path)
    problems = []
    for s in services:
        # A planned service is in the catalogue, not yet on the dashboard.
        if (s.get("lifecycle") or {}).get("stage") == "planned":
            continue
        # The row whose own name links to the service: other rows link to it too when
        # they are affected through it.
        rows = nojs_driver.find_elements(
            "xpath", f"//main//li[contains(concat(' ', @class, ' '), ' service-row ')]"
                     f"[.//a[contains(concat(' ', @class, ' '), ' service-name ')]"
                     f"[substring(@href, string-length(@href) - string-length('/services/{s['id']}/') + 1)"
                     f" = '/services/{s['id']}/']]")
        if not rows:
            problems.append(f"{s['id']}: no row on the dashboard")
            continue
        row = rows[0]
        status = row.find_elements("css selector", f".status.status-{s['status']}")
        if not status or not status[0].text.strip() or not status[0].is_displayed():
            problems.append(f"{s['id']}: status {s['status']!r} is not shown in words")
        expected = s["availability"].get("30d")
        figures = [f for f in row.find_elements("css selector", ".figure") if f.is_displayed()]
        if not figures:
            problems.append(f"{s['id']}: no visible 30-day figure")
            continue
        shown = _figure(figures[0].text)
        if expected is None:
            if shown is not None:
                problems.append(f"{s['id']}: no data, yet the dashboard shows {figures[0].text!r}")
        # Figures are shown with two decimals, rounded down (never overstating availability).
        elif shown is None or not (expected - 0.01 - 1e-9 <= shown <= expected + 0.005):
            problems.append(f"{s['id']}: 30-day figure {figures[0].text!r}, expected {expected:.4f} % to two decimals")
    assert not problems, f"{path} without JavaScript:\n  " + "\n  ".join(problems)


def test_history_days_are_text_without_javascript(nojs_driver, base_url, pages, lang):
    """Each day of the strip carries its date, figure and state as text (for screen
    readers), whatever the script does."""
    emulate(nojs_driver, width=1280)
    visit(nojs_driver, base_url, pages.by_lang[lang]["dashboard"])
    days = nojs_driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('[data-strip] li'), function (li) {"
        "  return li.textContent.trim(); });")
    assert days, "no history days on the dashboard"
    empty = [i for i, t in enumerate(days) if not re.search(r"\d", t)]
    assert not empty, f"{len(empty)} history days have no text, e.g. #{empty[:5]}"


def test_search_form_leads_to_the_whole_catalogue_without_javascript(nojs_driver, base_url, pages, lang):
    """From a filter page, the search form (a plain GET) opens the whole catalogue."""
    emulate(nojs_driver, width=1280)
    start = pages.by_lang[lang].get("catalogue-filter") or pages.by_lang[lang]["catalogue"]
    visit(nojs_driver, base_url, start)
    form = nojs_driver.find_element("css selector", "form[data-search]")
    assert form.is_displayed(), "the search form is hidden without JavaScript"
    field = form.find_element("css selector", "input[type=search]")
    field.send_keys("webmail")
    form.find_element("css selector", "button[type=submit]").click()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not ("q=webmail" in nojs_driver.current_url
                                                and nojs_driver.execute_script("return document.readyState") == "complete"):
        time.sleep(0.1)
    catalogue = base_url.rstrip("/") + pages.by_lang[lang]["catalogue"]
    assert nojs_driver.current_url == catalogue + "?q=webmail", nojs_driver.current_url
    assert nojs_driver.find_elements("css selector", f".card-title a[href='{pages.by_lang[lang]['service']}']"), \
        "the whole catalogue is not listed"
