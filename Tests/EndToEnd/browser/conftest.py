"""Fixtures of the browser suite: one build of the example site, one loopback server,
and headless Chromium drivers (JavaScript on, and JavaScript off)."""
from __future__ import annotations

import base64
import functools
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

import sitebuild

# Selenium must never try to download a browser or a driver: use Debian's.
os.environ.setdefault("SE_OFFLINE", "true")

CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN") or shutil.which("chromedriver") or "/usr/bin/chromedriver"

DESKTOP = (1280, 900)


# ---------------------------------------------------------------------------
# Site: built once per session, before collection, because the pages to visit (and so
# the test ids) come from the build.

_TMP = Path(tempfile.mkdtemp(prefix="yourict-browser-"))


@functools.lru_cache(maxsize=None)
def built_site() -> tuple[Path, int]:
    port = sitebuild.free_port()
    out = sitebuild.build_site(_TMP / "public", f"http://127.0.0.1:{port}/")
    return out, port


@functools.lru_cache(maxsize=None)
def page_set() -> sitebuild.PageSet:
    ps = sitebuild.page_set(built_site()[0])
    assert ps.languages, "the build has no language folders"
    return ps


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        params = [pytest.param((lang, path), id=pid) for pid, lang, path in page_set().all()]
        metafunc.parametrize("page", params)
    if "lang" in metafunc.fixturenames:
        metafunc.parametrize("lang", page_set().languages)


def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("KEEP_SITE"):
        shutil.rmtree(_TMP, ignore_errors=True)
    else:
        print(f"\nsite kept in {_TMP}")


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return built_site()[0]


@pytest.fixture(scope="session")
def base_url(site_dir):
    with sitebuild.serve(site_dir, built_site()[1]) as url:
        yield url


@pytest.fixture(scope="session")
def pages() -> sitebuild.PageSet:
    return page_set()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    d = os.environ.get("SCREENSHOT_DIR")
    path = Path(d) if d else Path(tempfile.mkdtemp(prefix="yourict-screenshots-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------
# Browsers


def chrome_options(javascript: bool = True) -> webdriver.ChromeOptions:
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--lang=en-GB", f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                "--disable-background-networking", "--no-first-run", "--no-default-browser-check"):
        o.add_argument(arg)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    if not javascript:
        o.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return o


def new_driver(javascript: bool = True) -> webdriver.Chrome:
    if not Path(CHROMEDRIVER).exists():
        pytest.fail(f"chromedriver not found at {CHROMEDRIVER} (Debian package chromium-driver)")
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chrome_options(javascript))
    d.set_page_load_timeout(60)
    d.set_script_timeout(120)
    d.execute_cdp_cmd("Network.enable", {})
    return d


@pytest.fixture(scope="session")
def driver():
    d = new_driver(javascript=True)
    yield d
    d.quit()


@pytest.fixture(scope="session")
def nojs_driver():
    d = new_driver(javascript=False)
    yield d
    d.quit()


def emulate(driver, width: int = DESKTOP[0], height: int = DESKTOP[1], scheme: str = "light", media: str = "screen"):
    """Viewport width and prefers-color-scheme, through the DevTools protocol."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme},
                                                         {"name": "prefers-reduced-motion", "value": "reduce"}]})


class PageVisit:
    """A page load with what the browser reported while loading it."""

    def __init__(self, url: str, console: list[dict], failed: list[str]):
        self.url = url
        self.console = console
        self.failed = failed

    @property
    def console_errors(self) -> list[dict]:
        return [e for e in self.console if e.get("level") == "SEVERE"]


def _network_failures(perf_log: list[dict]) -> list[str]:
    urls: dict[str, str] = {}
    failed = []
    for entry in perf_log:
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.responseReceived":
            status = params["response"]["status"]
            if status >= 400:
                failed.append(f"{status} {params['response']['url']}")
        elif method == "Network.loadingFailed":
            if params.get("canceled"):
                continue
            failed.append(f"{params.get('errorText', 'failed')} {urls.get(params['requestId'], params['requestId'])}"
                          + (f" (blocked: {params['blockedReason']})" if params.get("blockedReason") else ""))
    return failed


def visit(driver, base_url: str, path: str) -> PageVisit:
    """Loads `path`, waits for the load event and idle, and returns console and network problems."""
    driver.get_log("browser")       # drop what earlier pages logged
    driver.get_log("performance")
    url = base_url.rstrip("/") + path
    driver.get(url)
    # Polled synchronously: with JavaScript disabled, page timers never fire.
    deadline = time.monotonic() + 30
    while driver.execute_script("return document.readyState") != "complete":
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not finish loading")
        time.sleep(0.05)
    time.sleep(0.1)
    return PageVisit(url, driver.get_log("browser"), _network_failures(driver.get_log("performance")))


# ---------------------------------------------------------------------------
# axe-core


def axe_script_path() -> Path:
    """axe-core's browser bundle. `AXE_SCRIPT`, else the copy shipped in the PyPI package
    axe-playwright-python (axe-core 4.x, installed without its Playwright dependency),
    else the older copy in axe-selenium-python."""
    env = os.environ.get("AXE_SCRIPT")
    if env:
        return Path(env)
    for package, rel in (("axe_playwright_python", "axe.min.js"),
                         ("axe_selenium_python", "node_modules/axe-core/axe.min.js")):
        spec = importlib.util.find_spec(package)
        if spec and spec.submodule_search_locations:
            p = Path(list(spec.submodule_search_locations)[0]) / rel
            if p.is_file():
                return p
    pytest.fail("axe-core not found: pip install --no-deps axe-playwright-python (or set AXE_SCRIPT)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    return axe_script_path().read_text(encoding="utf-8")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(driver, axe_source: str) -> dict:
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source)
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        "  .then(function (r) { done({version: axe.version, violations: r.violations}); })"
        "  .catch(function (e) { done({error: String(e)}); });", AXE_TAGS)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            for line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {line}")
    return "\n".join(lines)


def full_page_png(driver, width: int) -> tuple[bytes, int]:
    height = driver.execute_script(
        "return Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight))")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": min(height, 16000), "deviceScaleFactor": 1, "mobile": width < 600})
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    return base64.b64decode(shot["data"]), height
