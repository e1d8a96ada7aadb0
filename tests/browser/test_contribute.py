"""The periodic-report form in Chromium with JavaScript off: log in, fill it, add a partner row,
send it, see the pending page; then axe-core on the form and the pending page with JavaScript on,
no request to another host, no console error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from support.writing import served

pytestmark = pytest.mark.slow


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A writable service on a loopback port: its base URL (no trailing slash), tokens, folder."""
    with served(tmp_path) as (url, _, tokens):
        yield url.rstrip("/"), tokens, tmp_path


def guarded(browser: Any, base: str, javascript: bool, foreign: list[str], errors: list[str]) -> Any:
    """A browser context on ``base`` that aborts and records requests to other hosts and records console errors."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    context = browser.new_context(
        base_url=base, viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )

    def guard(route: Any, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about") or f"{parts.scheme}://{parts.netloc}" == origin:
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context


def watch(page: Any, errors: list[str]) -> None:
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))


def test_periodic_report_without_javascript(
    browser: Any, writable: tuple[str, dict[str, str], Path], axe: Any, screenshot: Any
) -> None:
    base, tokens, folder = writable
    foreign: list[str] = []
    errors: list[str] = []
    context = guarded(browser, base, False, foreign, errors)
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch(page, errors)

    page.goto("/contribute/periodic-report")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.get_by_label("Token").fill(tokens["contributor"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/contribute/periodic-report$"))

    page.get_by_label("Reporting country").fill("Peru")
    page.get_by_label("Title", exact=False).first.fill("Peru-Colombia film co-production")
    page.get_by_label("Description").fill("Joint development of two feature films")
    page.get_by_label("Start date").fill("2019")
    page.get_by_role("checkbox", name=re.compile(r"^Article 12")).check()
    page.get_by_role("checkbox", name="Audiovisual and film").check()
    page.locator("#partners-0-name").fill("Casa de la Literatura Peruana")
    page.locator("#partners-0-type").select_option("cultural-institution")
    page.get_by_role("button", name="Add a partner").click()
    page.wait_for_selector("#partners-1-name")
    # every value is kept across the new row
    assert page.locator("#partners-0-name").input_value() == "Casa de la Literatura Peruana"
    assert page.get_by_label("Reporting country").input_value() == "Peru"
    assert page.get_by_role("checkbox", name="Audiovisual and film").is_checked()
    page.locator("#partners-1-name").fill("Ministry of Culture of Colombia")
    page.locator("#amounts-0-amount").fill("100000")
    page.locator("#amounts-0-currency").fill("USD")
    page.get_by_label("Evaluation: how it was evaluated").fill("Reviewed every year")
    page.get_by_role("button", name="Send for review").last.click()
    page.wait_for_url(re.compile(r"/contribute/pending/[a-z0-9]+$"), timeout=120_000)
    submission = page.url.rsplit("/", 1)[-1]
    assert submission in page.locator("p.pending").inner_text()
    assert (folder / "submissions" / f"{submission}.json").exists()
    cookies = context.cookies()
    context.close()

    # the same pages with JavaScript on: axe-core, and the name suggestions stay on this host
    context = guarded(browser, base, True, foreign, errors)
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch(page, errors)
    page.goto("/contribute/periodic-report")
    page.locator("#partners-0-name").press_sequentially("Minis")
    page.wait_for_function("document.querySelector('#partners-0-name-suggestions').options.length > 0")
    axe(page)
    screenshot(page, "contribute-periodic-report")
    page.goto(f"/contribute/pending/{submission}")
    axe(page)
    context.close()
    assert foreign == []
    assert errors == []
