"""/sources and a source profile in Chromium: facets as links, counts checked against SPARQL, axe, screenshots."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.services import Running

pytestmark = pytest.mark.slow

# written apart from directory-sources.rq: sources that pay or receive US dollars
USD_SOURCES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?c a cg:FundingContribution ; cg:currency "USD" .
  { ?c cg:contributor ?s } UNION { ?c cg:recipient ?s . ?s a cg:Programme }
}"""


def sparql_count(explorer: Running, query: str) -> int:
    r = httpx.post(
        explorer.url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_directory_narrowed_by_currency(
    page: Any, explorer: Running, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto("/sources")
    everything = int(page.locator("#results-title").inner_text().split()[0])
    assert everything == page.locator("table.sources tbody tr").count() > 10
    axe(page)
    screenshot(page, "sources")
    usd = page.locator('section.facet a[data-facet="currency"][data-value="USD"]')
    count = int(usd.locator("xpath=following-sibling::span[@class='count']").inner_text())
    assert count == sparql_count(explorer, USD_SOURCES)
    usd.click()
    page.wait_for_url(re.compile(r"/sources\?currency=USD$"))
    assert page.locator("table.sources tbody tr").count() == count
    assert page.get_by_role("link", name=re.compile("Remove Currency: USD")).is_visible()


def test_source_profile(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto("/sources")
    page.get_by_role(
        "link", name="UNESCO's special extra-budgetary fund for the Global Alliance for Cultural Diversity"
    ).click()
    page.wait_for_url(re.compile(r"/sources/fund/global-alliance-special-fund$"))
    assert page.locator("h1").inner_text().startswith("UNESCO's special extra-budgetary fund")
    assert page.get_by_role("link", name="globalalliance@unesco.org").is_visible()
    quotes = page.locator("details.quotes").first
    quotes.locator("summary").click()
    assert quotes.locator("blockquote").first.is_visible()
    axe(page)
    screenshot(page, "source-global-alliance-special-fund")
    page.goto("/sources/programme/iberescena")
    money = page.locator("#money-title + p + table")
    assert "≈ 500,000" in money.inner_text() and "EUR" in money.inner_text()
    axe(page)
    screenshot(page, "source-iberescena")


def test_profile_in_spanish(page: Any, axe: Callable[..., dict[str, Any]]) -> None:
    page.goto("/sources/programme/ibermedia?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Quién contribuye").is_visible()
    axe(page)
