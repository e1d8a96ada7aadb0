"""/indicators and /indicators/completeness in Chromium: charts drawn from the page's JSON, tables, downloads, axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.services import Running

pytestmark = pytest.mark.slow

# written apart from indicators-activities.rq: activities per modality
PER_MODALITY = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a a/rdfs:subClassOf* cg:CooperationActivity ; cg:modality ?m .
} GROUP BY ?m"""


def test_charts_match_their_tables_and_sparql(
    page: Any,
    explorer: Running,
    axe: Callable[..., dict[str, Any]],
    screenshot: Callable[[Any, str], Path],
    scratch_dir: Path,
) -> None:
    r = httpx.post(
        explorer.url + "/sparql",
        data={"query": PER_MODALITY},
        headers={"Accept": "application/sparql-results+json"},
    )
    expected = sorted(int(b["n"]["value"]) for b in r.json()["results"]["bindings"])
    page.goto("/indicators")
    modality = page.locator("#chart-activities_per_modality")
    page.wait_for_selector("#chart-activities_per_modality[data-drawn='true'] svg")
    cells = modality.locator("table tbody td.num").all_inner_texts()
    assert sorted(int(c) for c in cells) == expected
    # one bar per row of the table, drawn by Plot from the embedded JSON
    assert modality.locator(".chart-drawing svg rect").count() == len(cells)
    assert page.locator("figure.chart[data-drawn='true']").count() >= 6
    assert page.locator("#chart-contributions-usd svg").count() == 1  # one chart per currency
    assert page.locator("#chart-contributions-eur svg").count() == 1
    with page.expect_download() as svg_download:
        modality.get_by_role("button", name=re.compile("Download SVG")).click()
    saved = scratch_dir / svg_download.value.suggested_filename
    svg_download.value.save_as(saved)
    assert saved.read_text().startswith("<svg") and saved.suffix == ".svg"
    with page.expect_download() as png_download:
        modality.get_by_role("button", name=re.compile("Download PNG")).click()
    png = scratch_dir / png_download.value.suggested_filename
    png_download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    axe(page)
    screenshot(page, "indicators")


def test_country_indicators_in_french(page: Any, axe: Callable[..., dict[str, Any]]) -> None:
    page.goto("/indicators/country/mexico?lang=fr")
    assert (
        page.locator("h1").inner_text() == "Indicateurs de coopération pour Mexique"
    )  # the label in French too
    results = page.locator("#reported-title ~ table").last
    assert "48" in results.inner_text() and "projects" in results.inner_text()
    axe(page)


def test_completeness(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    page.goto("/indicators/completeness")
    entries = page.locator("#entries-title + table tbody tr")
    assert entries.count() == 2
    assert "100 %" in entries.first.inner_text()
    page.get_by_role("link", name="Colombia", exact=True).first.click()
    assert page.locator("#country-colombia").is_visible()
    axe(page)
    screenshot(page, "completeness")


def test_pages_work_without_javascript(browser: Any, explorer: Running) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=explorer.url)
    try:
        tab = context.new_page()
        tab.goto("/indicators")
        assert tab.locator("#chart-activities_per_year table tbody tr").count() > 3
        assert tab.locator(".chart-drawing svg").count() == 0
        tab.goto("/sources?kind=fund")
        assert tab.locator("table.sources tbody tr").count() >= 5
    finally:
        context.close()
