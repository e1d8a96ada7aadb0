"""/match in Chromium: the form fills a profile from the graph's vocabularies, submits without
JavaScript, lists matches with reasons; the request page lists offers; axe-core finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from coopgraph.namespaces import resource_iri
from support.services import Running

pytestmark = pytest.mark.slow

AUDIOVISUAL = str(resource_iri("cultural-sector", "audiovisual"))
ARTICLE_14 = str(resource_iri("article", "14"))


def test_profile_form_lists_matches_with_reasons(
    page: Any, explorer: Running, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    expected = httpx.post(
        explorer.url + "/match",
        json={"kind": "organisation", "sectors": [AUDIOVISUAL], "articles": [ARTICLE_14]},
    ).json()["matches"]
    page.goto("/match")
    axe(page)
    page.get_by_label("You are").select_option("organisation")
    page.get_by_label("Cultural sectors").select_option(AUDIOVISUAL)
    page.get_by_label("Articles of the Convention").select_option(ARTICLE_14)
    page.get_by_role("button", name="Find partners").click()
    page.wait_for_url(re.compile(r"/match\?kind=organisation&.*sector=.*article="))
    items = page.locator("ol.matches > li")
    assert items.count() == len(expected)
    assert [items.nth(i).locator("h3 a").inner_text() for i in range(items.count())] == [
        m["label"] for m in expected
    ]
    assert page.get_by_role("link", name="Mexico").is_visible()
    assert "IBERMEDIA" in page.locator("ol.matches").inner_text()
    # the choices stay selected: the address is the profile
    assert page.get_by_label("Cultural sectors").evaluate(
        "s => [...s.selectedOptions].map(o => o.value)"
    ) == [AUDIOVISUAL]
    page.locator("ol.matches details").first.locator("summary").click()
    assert page.locator("ol.matches ul.evidence a").first.is_visible()
    axe(page)
    screenshot(page, "match")


def test_request_page_lists_offers(page: Any, axe: Callable[..., dict[str, Any]]) -> None:
    page.goto("/match")
    page.get_by_role("link", name=re.compile("Japan's Cultural Affairs Agency")).click()
    page.wait_for_url(re.compile(r"/match/requests/japan-satellite-account-orange-economy$"))
    first = page.locator("ol.matches > li").first
    assert "culture satellite account" in first.locator("h3").inner_text()
    assert "Cultural statistics" in first.locator(".why").inner_text()
    axe(page)


def test_form_works_without_javascript(browser: Any, explorer: Running) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=explorer.url)
    try:
        page = context.new_page()
        page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
        page.goto("/match")
        page.get_by_label("Cultural sectors").select_option(AUDIOVISUAL)
        page.get_by_role("button", name="Find partners").click()
        page.wait_for_url(re.compile(r"/match\?.*sector="))
        assert page.locator("ol.matches > li").count() > 0
    finally:
        context.close()
