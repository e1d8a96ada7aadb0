"""/explore in the browser: narrowing by facets, counts checked against SPARQL, the URL as state, axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from coopgraph.namespaces import resource_iri
from support.explore_sparql import ACTIVITIES, ACTORS, with_values
from support.services import Running

pytestmark = pytest.mark.slow


def sparql_count(explorer: Running, query: str, article: str, country: str) -> int:
    text = with_values(query, str(resource_iri("article", article)), str(resource_iri("party", country)))
    r = httpx.post(
        explorer.url + "/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def shown_total(page: Any) -> int:
    return int(page.locator("#results-title").inner_text().split()[0])


def facet_value(page: Any, facet: str, value: str) -> Any:
    return page.locator(f'section.facet a[data-facet="{facet}"][data-value="{value}"]')


def test_narrow_by_article_14_and_colombia(
    page: Any, explorer: Running, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    expected = sparql_count(explorer, ACTIVITIES, "14", "colombia") + sparql_count(
        explorer, ACTORS, "14", "colombia"
    )
    page.goto("/explore")
    everything = shown_total(page)
    facet_value(page, "article", "14").click()
    page.wait_for_url(re.compile(r"/explore\?article=14$"))
    by_article = shown_total(page)
    assert 0 < by_article < everything
    colombia = facet_value(page, "country", "colombia")
    count = int(colombia.locator("xpath=following-sibling::span[@class='count']").inner_text())
    assert count == expected  # the count beside the value ...
    colombia.click()
    page.wait_for_url(re.compile(r"/explore\?country=colombia&article=14$"))  # facet order
    assert shown_total(page) == expected  # ... is what following it lists
    assert page.locator("table.items tbody tr").count() == expected
    assert page.get_by_role("link", name=re.compile("Juan Luis Mej")).is_visible()
    # the chosen values are links that remove them; the facet values link to their pages
    assert page.get_by_role("link", name=re.compile("Remove Country: Colombia")).is_visible()
    assert (
        page.get_by_role("link", name="Page of Colombia").get_attribute("href").endswith("/id/party/colombia")
    )
    axe(page)
    screenshot(page, "explore")
    page.go_back()
    page.wait_for_url(re.compile(r"/explore\?article=14$"))
    assert shown_total(page) == by_article


def test_keyboard_and_downloads(page: Any, axe: Callable[..., dict[str, Any]]) -> None:
    page.goto("/explore?kind=actor")
    link = facet_value(page, "country", "mexico")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"kind=organisation.*country=mexico|country=mexico"))
    assert "country=mexico" in page.url
    csv_link = page.get_by_role("link", name=re.compile(r"^CSV"))
    with page.expect_download() as download:
        csv_link.click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("iri,label,kind") and len(lines) == shown_total(page) + 1
    axe(page)


def test_long_facets_filter_as_one_types(page: Any) -> None:
    page.goto("/explore")
    box = page.get_by_role("searchbox", name="Filter the values of Country")
    box.fill("colom")
    visible = page.locator('section.facet a[data-facet="country"]:visible')
    assert visible.all_inner_texts() == ["Colombia"]


def test_the_language_switch(page: Any) -> None:
    page.goto("/explore?kind=country")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="ES").click()
    page.wait_for_url(re.compile(r"kind=country&lang=es"))
    assert page.locator("#facet-kind").inner_text() == "Tipo"
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto("/explore?kind=country")  # the cookie remembers
    assert page.locator("#facet-kind").inner_text() == "Tipo"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="EN").click()
    assert page.locator("#facet-kind").inner_text() == "Kind"
