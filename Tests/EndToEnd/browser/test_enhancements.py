"""What the script adds on top of the pages: catalogue search and filters, the print button."""
from __future__ import annotations

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import emulate, format_violations, run_axe, visit


def _wait(driver, script, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    return None


def test_catalogue_search_finds_services_by_keyword(driver, base_url, pages, lang):
    emulate(driver, width=1280)
    path = pages.by_lang[lang]["catalogue"]
    service = pages.by_lang[lang]["service"]
    v = visit(driver, base_url, path)
    form = driver.find_element("css selector", "form[data-search]")
    assert form.is_displayed(), "the search form must be shown when the script runs"
    title = driver.execute_script(
        "var a = document.querySelector('.card-title a[href=\"' + arguments[0] + '\"]'); return a && a.textContent;", service)
    assert title, f"{service} is not listed on {path}"
    word = max(title.split(), key=len)
    field = form.find_element("css selector", "input[type=search]")
    field.click()
    ActionChains(driver).send_keys(word).perform()
    hrefs = _wait(driver, "return Array.prototype.map.call(document.querySelectorAll('.search-results a'),"
                          " function (a) { return a.getAttribute('href'); })")
    assert hrefs and service in hrefs, f"searching {word!r} did not list {service}: {hrefs}"
    status = driver.find_element("css selector", ".search-status").text
    assert any(ch.isdigit() for ch in status), f"the result count is not announced: {status!r}"
    ActionChains(driver).send_keys(Keys.END, " zzqxw").perform()
    none = _wait(driver, "return document.querySelectorAll('.search-results li').length === 0"
                         " && document.querySelector('.search-status').textContent")
    assert none, "a search without match must say so"
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not errors, errors


def _result_hrefs(driver):
    return _wait(driver, "var a = document.querySelectorAll('.search-results a');"
                         " return a.length && Array.prototype.map.call(a, function (x) { return x.getAttribute('href'); });")


def test_search_finds_words_of_bodies_packs_and_components(driver, base_url, pages, lang):
    """"webmail" is in the messagerie sheet's body, packs and components, not in its
    title; case and accents are ignored; the query goes into the address."""
    emulate(driver, width=1280)
    service = pages.by_lang[lang]["service"]
    visit(driver, base_url, pages.by_lang[lang]["catalogue"])
    driver.find_element("css selector", "form[data-search] input[type=search]").click()
    ActionChains(driver).send_keys("WEBMA\u00ceL").perform()
    hrefs = _result_hrefs(driver)
    assert hrefs and hrefs[0] == service, f"searching 'WEBMA\u00ceL' listed {hrefs}, not {service} first"
    assert "q=WEBMA%C3%8EL" in driver.current_url, driver.current_url


def test_search_ranks_title_matches_first(driver, base_url, pages, lang):
    emulate(driver, width=1280)
    service = pages.by_lang[lang]["service"]
    visit(driver, base_url, pages.by_lang[lang]["catalogue"])
    title = driver.execute_script(
        "return document.querySelector('.card-title a[href=\"' + arguments[0] + '\"]').textContent;", service)
    driver.find_element("css selector", "form[data-search] input[type=search]").click()
    ActionChains(driver).send_keys(title).perform()
    hrefs = _result_hrefs(driver)
    # The title's words are in other sheets and pages too; its own sheet comes first.
    assert hrefs and len(hrefs) > 1 and hrefs[0] == service, f"searching {title!r} listed {hrefs}"


def test_q_link_opens_a_search_that_axe_accepts(driver, base_url, axe_source, pages, lang):
    emulate(driver, width=1280)
    service = pages.by_lang[lang]["service"]
    v = visit(driver, base_url, pages.by_lang[lang]["catalogue"] + "?q=webmail")
    hrefs = _result_hrefs(driver)
    assert hrefs and hrefs[0] == service, f"?q=webmail listed {hrefs}"
    assert driver.execute_script("return document.getElementById('search-input').value") == "webmail"
    status = driver.find_element("css selector", ".search-status")
    assert status.get_attribute("role") == "status" and any(ch.isdigit() for ch in status.text), status.text
    r = run_axe(driver, axe_source)
    assert "error" not in r, r.get("error")
    assert not r["violations"], format_violations(r["violations"])
    assert not v.console_errors and not v.failed, (v.console_errors, v.failed)


def test_catalogue_filters_are_unfolded_on_wide_screens(driver, base_url, pages, lang):
    emulate(driver, width=1280)
    visit(driver, base_url, pages.by_lang[lang]["catalogue"])
    assert driver.execute_script("return document.querySelector('details[data-filters]').open")


def test_sla_report_has_a_print_button(driver, base_url, pages, lang):
    emulate(driver, width=1280)
    visit(driver, base_url, pages.by_lang[lang]["sla"])
    button = driver.find_element("css selector", "button[data-print]")
    assert button.is_displayed() and button.text.strip()
