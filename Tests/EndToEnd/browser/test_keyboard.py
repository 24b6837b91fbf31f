"""Keyboard use: the skip link, visible focus, and the 90-day history strip."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import emulate, visit

FOCUS_STYLE = """
var el = document.activeElement, cs = getComputedStyle(el);
return {tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 60),
        outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
        boxShadow: cs.boxShadow, focusVisible: el.matches(':focus-visible'),
        rect: el.getBoundingClientRect().toJSON(), vw: innerWidth, vh: innerHeight};
"""


def press(driver, *keys):
    chain = ActionChains(driver)
    for k in keys:
        chain.send_keys(k)
    chain.perform()


def shift_tab(driver):
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


def active_is(driver, element) -> bool:
    return driver.execute_script("return document.activeElement === arguments[0]", element)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(driver, base_url, page):
    lang, path = page
    emulate(driver, width=1280, scheme="light")
    visit(driver, base_url, path)
    press(driver, Keys.TAB)
    info = driver.execute_script(
        "var a = document.activeElement, r = a.getBoundingClientRect();"
        "return {cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim(),"
        "        visible: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,"
        "        outline: getComputedStyle(a).outlineStyle};")
    assert info["href"] == "#main", f"{path}: first tab stop is {info}, not the skip link"
    assert info["text"], f"{path}: the skip link has no text"
    assert info["visible"], f"{path}: the focused skip link is not visible on screen: {info}"
    press(driver, Keys.ENTER)
    focused = driver.execute_script("return document.activeElement.id")
    assert focused == "main", f"{path}: after the skip link, focus is on #{focused!r}, not main"


@pytest.mark.parametrize("kind", ["dashboard", "catalogue", "service"])
def test_focus_is_visible_on_every_tab_stop(driver, base_url, pages, lang, kind):
    path = pages.by_lang[lang][kind]
    emulate(driver, width=1280, scheme="light")
    visit(driver, base_url, path)
    seen = 0
    problems = []
    for _ in range(60):
        press(driver, Keys.TAB)
        f = driver.execute_script(FOCUS_STYLE)
        if f["tag"] == "body":
            break
        seen += 1
        has_ring = (f["outlineStyle"] != "none" and f["outlineWidth"] >= 2) or f["boxShadow"] not in ("none", "")
        if not has_ring:
            problems.append(f"<{f['tag']}> {f['text']!r}: outline {f['outlineStyle']} {f['outlineWidth']}px")
    assert seen > 5, f"{path}: only {seen} tab stops"
    assert not problems, f"{path}: focus not visible on:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("kind", ["dashboard", "service"])
def test_history_strip_is_one_tab_stop_with_arrow_keys(driver, base_url, pages, lang, kind):
    path = pages.by_lang[lang][kind]
    emulate(driver, width=1280, scheme="light")
    visit(driver, base_url, path)
    strips = driver.find_elements("css selector", "[data-strip]")
    if not strips:
        pytest.skip(f"{path} has no history strip (no monitoring data)")
    strip = strips[0]
    days = strip.find_elements("css selector", "li")
    assert len(days) >= 2
    assert driver.execute_script(
        "return arguments[0].querySelectorAll('[tabindex=\"0\"]').length + (arguments[0].tabIndex === 0 ? 1 : 0)", strip) == 1, \
        "the strip must be exactly one tab stop"

    def inside():
        return driver.execute_script("return arguments[0].contains(document.activeElement)", strip)

    def focused_index():
        # A day is its item, or the link inside it to its SLA report row.
        return driver.execute_script(
            "var a = document.activeElement, li = a && a.closest('li');"
            "return Array.prototype.indexOf.call(arguments[0].querySelectorAll('li'), li)", strip)

    def tip_text():
        return driver.execute_script(
            "var t = arguments[0].parentNode.querySelector('.strip-tip');"
            "if (!t || t.hidden) return null;"
            "var r = t.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? t.textContent : null;", strip)

    def day_text(i):
        return driver.execute_script("return arguments[0].textContent.trim()", days[i])

    for _ in range(200):
        press(driver, Keys.TAB)
        if inside():
            break
    else:
        pytest.fail(f"{path}: Tab never reached the history strip")
    start = focused_index()
    assert start == len(days) - 1, f"{path}: the strip's tab stop should be today (last day), got day {start}"
    assert tip_text() and day_text(start) in tip_text(), f"{path}: the focused day's text is not shown: {tip_text()!r}"

    press(driver, Keys.ARROW_LEFT)
    assert focused_index() == start - 1, "ArrowLeft must move to the previous day"
    assert tip_text() and day_text(start - 1) in tip_text(), "the shown text must follow the focused day"
    press(driver, Keys.ARROW_LEFT, Keys.ARROW_RIGHT)
    assert focused_index() == start - 1, "ArrowRight must move to the next day"
    press(driver, Keys.HOME)
    assert focused_index() == 0, "Home must move to the first day"
    assert day_text(0) in (tip_text() or ""), "the first day's text must be shown"
    press(driver, Keys.ARROW_LEFT)
    assert focused_index() == 0, "ArrowLeft on the first day stays there"
    press(driver, Keys.END)
    assert focused_index() == len(days) - 1, "End must move to the last day"
    press(driver, Keys.ARROW_LEFT)
    remembered = focused_index()

    press(driver, Keys.TAB)
    assert not inside(), "Tab must leave the strip (one tab stop), not walk through its days"
    shift_tab(driver)
    assert inside() and focused_index() == remembered, "Shift+Tab must come back to the day last focused"
    press(driver, Keys.ESCAPE)
    assert tip_text() is None, "Escape must hide the shown text"


@pytest.mark.parametrize("kind", ["dashboard", "service"])
def test_enter_on_a_strip_day_opens_its_row_in_the_sla_report(driver, base_url, pages, lang, kind):
    path = pages.by_lang[lang][kind]
    emulate(driver, width=1280, scheme="light")
    visit(driver, base_url, path)
    strips = driver.find_elements("css selector", "[data-strip]")
    if not strips or not strips[0].find_elements("css selector", "li > a"):
        pytest.skip(f"{path} has no history strip linked to SLA reports")
    strip = strips[0]
    for _ in range(200):
        press(driver, Keys.TAB)
        if driver.execute_script("return arguments[0].contains(document.activeElement)", strip):
            break
    else:
        pytest.fail(f"{path}: Tab never reached the history strip")
    press(driver, Keys.ARROW_LEFT)
    link = driver.execute_script("return document.activeElement.getAttribute('href')")
    assert link and "/sla/" in link and "#day_" in link, f"{path}: the focused day is not a link to its SLA row: {link!r}"
    press(driver, Keys.ENTER)
    fragment = link.split("#", 1)[1]
    for _ in range(100):
        if driver.execute_script("return location.hash") == "#" + fragment:
            break
        time.sleep(0.05)
    target = driver.execute_script("var t = document.querySelector(':target'); return t && t.tagName + '#' + t.id")
    assert target == "TR#" + fragment, f"{path}: Enter on a day must open its row in the SLA report, got {target!r}"
