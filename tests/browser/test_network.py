"""The network explorer in Chromium: drawn from the server's layout, hover, click to the profile, search to focus."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Page, expect

MEXICO = "https://w3id.org/coopgraph/id/party/mexico"


def _open(page: Page, path: str = "/network") -> None:
    page.goto(path)
    page.wait_for_function("window.coopgraphNetwork && window.coopgraphNetwork.ready", timeout=30_000)
    page.locator("#network-canvas").scroll_into_view_if_needed()


def _point(page: Page, node: str) -> dict[str, float]:
    """Where ``node`` is drawn, in viewport pixels (from sigma's own coordinates)."""
    point: dict[str, float] = page.evaluate("node => window.coopgraphNetwork.position(node)", node)
    return point


def test_click_a_node_opens_the_panel_and_reaches_the_profile(
    page: Page, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Page, str], Any]
) -> None:
    _open(page)
    expect(page.locator("#top-actors tbody tr").first).to_be_visible()
    # the node's screen position from the drawing itself, then a real mouse click there
    page.evaluate("node => window.coopgraphNetwork.focus(node)", MEXICO)
    page.keyboard.press("Escape")
    page.wait_for_timeout(600)  # the camera animation
    point = _point(page, MEXICO)
    page.mouse.move(point["x"], point["y"], steps=3)
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#node-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#node-panel-title")).to_have_text("Mexico")
    expect(panel.locator(".profile-summary dl")).to_contain_text("Country")
    screenshot(page, "network")
    axe(page)
    panel.locator("a.profile-link").click()
    expect(page).to_have_url(re.compile(r"/id/party/mexico$"))
    expect(page.locator("#summary")).to_be_visible()


def test_search_focuses_a_node_with_the_keyboard(page: Page) -> None:
    _open(page)
    field = page.locator("#node-search")
    field.fill("Colombia")
    field.press("Enter")
    expect(page.locator("#node-panel-title")).to_have_text("Colombia")
    expect(page.locator("#network-status")).to_contain_text("Focused on Colombia")
    page.keyboard.press("Escape")
    expect(page.locator("#node-panel")).to_be_hidden()


def test_hover_shows_the_label(page: Page) -> None:
    _open(page)
    point = _point(page, MEXICO)
    page.mouse.move(point["x"] - 4, point["y"] - 4)
    page.mouse.move(point["x"], point["y"], steps=3)
    expect(page.locator("#network-status")).to_have_text("Mexico")


def test_filters_and_projections_draw(page: Page, axe: Callable[..., dict[str, Any]]) -> None:
    _open(page, "/network?projection=funding&colour=kind")
    drawn = page.evaluate("window.coopgraphNetwork.graph.order")
    assert drawn > 0
    assert page.evaluate("window.coopgraphNetwork.graph.type") == "directed"
    _open(page, "/network?projection=bipartite&kind=country")
    assert (
        page.evaluate(
            "[...new Set(window.coopgraphNetwork.graph.mapNodes((n, a) => a.kind))].sort().join(',')"
        )
        == "activity,country"
    )
    axe(page)


def test_png_of_the_view_downloads(page: Page) -> None:
    _open(page)
    with page.expect_download() as info:
        page.locator("#export-png").click()
    download = info.value
    assert download.suggested_filename == "co-participation-network.png"
    path = download.path()
    assert path is not None and path.read_bytes()[:4] == b"\x89PNG"


def test_without_javascript_the_table_and_downloads_remain(browser: Any, explorer: Any) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=explorer.url)
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route, request: (
                route.continue_() if request.url.startswith(explorer.url) else route.abort()
            ),
        )
        page.goto("/network?kind=country")
        expect(page.locator("#top-actors tbody tr").first).to_be_visible()
        expect(page.locator("#downloads a", has_text="GEXF")).to_have_attribute(
            "href", f"{explorer.url}/network/co-participation.gexf?kind=country"
        )
        expect(page.locator(".network-tools")).to_be_hidden()
    finally:
        context.close()
