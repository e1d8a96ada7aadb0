"""``/docs`` and ``/redoc`` render from the vendored Swagger UI and ReDoc, asking no other host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.services import Running

pytestmark = pytest.mark.slow


def test_swagger_ui_lists_the_operations(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto("/docs")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/sparql" in [p.replace("\u200b", "").strip() for p in paths]
    assert page.locator(".opblock-tag-section").count() >= 2
    # an operation opens with its parameters, by keyboard
    summary = page.locator(".opblock-get .opblock-summary-control").first
    summary.focus()
    page.keyboard.press("Enter")
    page.locator(".opblock-body").first.wait_for()
    screenshot(page, "docs-swagger-ui")
    axe(page)


def test_redoc_renders(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[..., Path]
) -> None:
    page.goto("/redoc")
    page.locator(".api-content").wait_for()
    page.get_by_role("heading", name="coopgraph").first.wait_for()
    assert page.locator("li[role=menuitem]").count() > 5
    assert page.locator("[data-item-id*=sparql_query_get]").count() == 1
    screenshot(page, "docs-redoc", full_page=False)  # the whole reference is 111,000 pixels tall
    axe(page)


def test_docs_pages_name_only_local_assets(explorer: Running) -> None:
    for path in ("/docs", "/redoc"):
        response = httpx.get(explorer.url + path)
        assert response.status_code == 200
        assert "cdn." not in response.text and "googleapis" not in response.text
        assert '<html lang="en">' in response.text
    asset = httpx.get(explorer.url + "/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert "javascript" in asset.headers["content-type"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/../../config.py",
        "/static/vendor/%2e%2e/%2e%2e/config.py",
        "/static/vendor/yasgui/..%2f..%2ftemplating.py",
        "/static/vendor/" + "a" * 5000,
        "/static/vendor/yasgui/yasgui.min.js%00.png",
    ],
)
def test_vendor_files_refuse_hostile_paths(explorer: Running, path: str) -> None:
    response = httpx.get(explorer.url + path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
