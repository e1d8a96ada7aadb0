"""Shared fixtures of the browser tests: the real service, a guarded Playwright page, axe-core, screenshots.

The browser is Debian's Chromium (``/usr/bin/chromium``, installed by ``make browser``), driven by
Playwright for Python; Playwright's own browser download is never used. Without Playwright or
Chromium the browser tests skip, except under ``CI=true`` where they fail.

Fixtures
--------
explorer (session)
    ``coopgraph serve`` over this repository's knowledge folders (in memory) on a loopback
    port; ``explorer.url`` is its base URL without a trailing slash.
page (function)
    A Playwright ``Page`` (viewport 1280x900, ``base_url`` set to the service, so
    ``page.goto("/sparql")`` works). Every request to another host is aborted and recorded,
    every console error and uncaught exception is recorded, and the test fails at teardown on
    either. ``browser_log.allow_console_error(pattern)`` accepts an expected console error.
axe(page, exclude=None)
    Runs the vendored axe-core on the page and fails on a serious or critical violation;
    returns the full results (``violations``, ``passes``, ...).
screenshot(page, name)
    Saves a full-page ``build/screenshots/<name>.png`` and returns its path.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

from support.services import Running, serve, service_env

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")
LOCAL_SCHEMES = ("data", "blob", "about")


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail under ``CI=true``, when the browser tests cannot run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} and CI=true: the browser tests must run (`make test` installs Chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def explorer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """``coopgraph serve`` over the project data (in memory) on a loopback port."""
    log = tmp_path_factory.mktemp("explorer") / "serve.log"
    env = service_env(ROOT, in_memory="true")
    with serve(env, log, ready_path="/") as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (`pip install -e '.[test]'`)")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (`make browser` installs it as root)")
    args = ["--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class BrowserLog:
    """What a page did that fails a test: requests to other hosts and console errors."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow_console_error(self, pattern: str) -> None:
        """Accept console errors matching the regular expression ``pattern`` (an expected 404)."""
        self.allowed.append(re.compile(pattern))

    def is_local(self, url: str) -> bool:
        """Whether ``url`` stays on the service (or is a data:/blob:/about: URL)."""
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def failures(self) -> list[str]:
        """The recorded problems, minus the accepted console errors."""
        found = [f"request to another host: {url}" for url in self.foreign]
        for text in self.console_errors:
            if not any(p.search(text) for p in self.allowed):
                found.append(f"console error: {text}")
        return found


@pytest.fixture
def browser_log(explorer: Running) -> BrowserLog:
    """The record of the current test's page (see ``page``)."""
    parts = urlsplit(explorer.url)
    return BrowserLog(origin=f"{parts.scheme}://{parts.netloc}")


@pytest.fixture
def page(browser: Browser, explorer: Running, browser_log: BrowserLog) -> Iterator[Page]:
    """A page on the service that records and aborts foreign requests and records console errors."""
    context = browser.new_context(
        base_url=explorer.url, viewport={"width": 1280, "height": 900}, service_workers="block"
    )

    def guard(route: Route, request: Request) -> None:
        if browser_log.is_local(request.url):
            route.continue_()
        else:
            browser_log.foreign.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    context.on(
        "websocket", lambda ws: None if browser_log.is_local(ws.url) else browser_log.foreign.append(ws.url)
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)

    def on_console(message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            browser_log.console_errors.append(f"{message.text} ({location.get('url', '')})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: browser_log.console_errors.append(f"uncaught: {error}"))
    yield tab
    context.close()
    problems = browser_log.failures()
    if problems:
        pytest.fail("the page misbehaved:\n" + "\n".join(problems), pytrace=False)


def run_axe(page: Page, exclude: list[str] | None = None) -> dict[str, Any]:
    """Run axe-core on ``page``; fail on serious or critical violations; return the results."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make vendor`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    context: dict[str, Any] = {"exclude": [[s] for s in exclude or []]}
    results: dict[str, Any] = page.evaluate(
        "async (context) => await window.axe.run(context.exclude.length ? context : document,"
        " {resultTypes: ['violations']})",
        context,
    )
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [
            f"{v['impact']}: {v['id']} ({v['help']}) at "
            + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
            for v in blocking
        ]
        pytest.fail(f"axe-core on {page.url}:\n" + "\n".join(lines), pytrace=False)
    return results


@pytest.fixture
def axe() -> Callable[..., dict[str, Any]]:
    """``axe(page, exclude=None)``: axe-core's results; fails on serious/critical violations."""
    return run_axe


def take_screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot as ``build/screenshots/<name>.png``, of the whole page unless
    ``full_page`` is false (the window only, for pages of many screens); return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name.removesuffix('.png')}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name, full_page=True)``: ``build/screenshots/<name>.png``."""
    return take_screenshot


@pytest.fixture(scope="session")
def scratch_dir() -> Iterator[Path]:
    """A temporary folder for downloads made by the browser tests."""
    with tempfile.TemporaryDirectory(prefix="coopgraph-browser-") as folder:
        yield Path(folder)
