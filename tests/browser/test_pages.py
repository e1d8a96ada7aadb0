"""The HTML pages in headless Chromium: no console error, no other host, no serious axe finding.

The fixtures (``page``, ``axe``, ``screenshot``, ``browser_log``) are in ``conftest.py``:
Playwright drives Debian's Chromium; screenshots go to ``build/screenshots/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coopgraph.store import EmbeddedStore

pytestmark = pytest.mark.slow


def a_programme(store: EmbeddedStore) -> str:
    paths = sorted(
        q.subject.value.split("/id/", 1)[1]
        for q in store.quads()
        if q.subject.value.startswith("https://w3id.org/coopgraph/id/programme/")
    )
    return "programme/ibermedia" if "programme/ibermedia" in paths else paths[0]


@pytest.mark.parametrize(
    "path", ["", "id/party/colombia", "programme", "def", "shapes", "id/party/colombiia"]
)
def test_pages_render_without_console_errors(
    page: Any,
    browser_log: Any,
    axe: Callable[..., dict[str, Any]],
    project_store: EmbeddedStore,
    path: str,
) -> None:
    if path == "programme":
        path = f"id/{a_programme(project_store)}"
    if path.endswith("colombiia"):
        browser_log.allow_console_error("404")
    response = page.goto("/" + path)
    assert response is not None
    assert response.status == (404 if path.endswith("colombiia") else 200)
    assert page.title(), path
    assert page.locator("main").count() == 1
    axe(page)


def test_screenshots_of_a_country_and_a_programme(
    page: Any, screenshot: Callable[[Any, str], Path], project_store: EmbeddedStore
) -> None:
    programme = a_programme(project_store)
    for path, name in [
        ("id/party/colombia", "country-colombia"),
        (f"id/{programme}", f"programme-{programme.split('/')[1]}"),
    ]:
        page.goto("/" + path)
        target = screenshot(page, name)
        assert target.stat().st_size > 10_000
        assert "coopgraph" in page.title()
