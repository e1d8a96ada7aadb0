"""``/sparql`` in a browser: YASGUI over the service, its examples, completions, chart and download.

Each browser test fails on a request to another host (YASGUI's default completers would ask
Linked Open Vocabularies and prefix.cc), on a console error, and on a serious axe finding.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from coopgraph.namespaces import PREFIXES
from coopgraph.queries import QueryCatalogue
from support.services import Running

pytestmark = pytest.mark.slow

COUNT_QUERY = """PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class FILTER(STRSTARTS(STR(?class), STR(cg:))) }
GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 12
"""


def open_editor(page: Any) -> None:
    page.goto("/sparql")
    page.locator("#sparql-editor[data-ready=true] .CodeMirror").wait_for()


def set_query(page: Any, text: str) -> None:
    page.evaluate("(text) => { window.coopgraphEditor.getTab().setQuery(text); }", text)


def run(page: Any) -> None:
    page.locator("#sparql-editor .yasqe_queryButton").click()


def hints_after(page: Any, text: str) -> list[str]:
    """Put ``text`` in the editor, the cursor at its end, ask for completions (Ctrl-Space)."""
    set_query(page, text)
    page.evaluate(
        "() => { const y = window.coopgraphEditor.getTab().getYasqe();"
        " y.focus(); y.getDoc().setCursor(y.getDoc().lastLine(), 1e6); }"
    )
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints .CodeMirror-hint")
    hints.first.wait_for()
    texts: list[str] = hints.all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def test_a_query_runs_and_shows_a_table(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    open_editor(page)
    assert page.locator("#query-form").is_hidden()
    query = page.evaluate("() => window.coopgraphEditor.getTab().getQuery()")
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in query
    set_query(page, COUNT_QUERY)
    run(page)
    cells = page.locator("#sparql-editor .yasr table tbody tr")
    cells.first.wait_for()
    assert cells.count() == 12
    assert "cg:" in page.locator("#sparql-editor .yasr table tbody").inner_text()
    screenshot(page, "sparql-editor-table")
    axe(page)


def test_named_query_examples_load_with_their_defaults(page: Any, catalogue: QueryCatalogue) -> None:
    open_editor(page)
    options = page.locator("#example-select option")
    assert options.count() == len(catalogue.public())
    page.select_option("#example-select", "activities-by-article")
    page.get_by_role("button", name="Open in the editor", exact=True).click()
    query = page.evaluate("() => window.coopgraphEditor.getTab().getQuery()")
    assert query.startswith("# activities-by-article:")
    assert "VALUES (?_article_iri) { (<https://w3id.org/coopgraph/id/article/12>) }" in query
    run(page)
    page.locator("#sparql-editor .yasr table tbody tr").first.wait_for()
    assert page.locator("#sparql-editor .yasr table tbody tr").count() > 0
    # the buttons of the server-rendered list open the same texts
    page.locator("button[data-example=events-by-year]").click()
    assert "# events-by-year:" in page.evaluate("() => window.coopgraphEditor.getTab().getQuery()")


def test_completion_offers_project_terms_from_the_service(
    page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    open_editor(page)
    prologue = "PREFIX cg: <https://w3id.org/coopgraph/def#>\n"
    classes = hints_after(page, prologue + "SELECT * WHERE { ?x a cg:Organ")
    assert any(h.startswith("cg:Organisation") for h in classes), classes
    properties = hints_after(page, prologue + "SELECT * WHERE { ?x cg:hasPart")
    assert any(h.startswith("cg:hasParticipant") for h in properties), properties
    set_query(page, prologue + "SELECT * WHERE { ?x ?p <bogot")
    page.evaluate(
        "() => { const y = window.coopgraphEditor.getTab().getYasqe();"
        " y.focus(); y.getDoc().setCursor(y.getDoc().lastLine(), 1e6); }"
    )
    page.keyboard.press("Control+Space")
    hint = page.locator(".CodeMirror-hints .CodeMirror-hint", has_text="id/place/bogota")
    hint.first.wait_for()
    screenshot(page, "sparql-editor-completion")
    page.keyboard.press("Enter")
    assert "<https://w3id.org/coopgraph/id/place/bogota>" in page.evaluate(
        "() => window.coopgraphEditor.getTab().getQuery()"
    )


def test_results_as_a_chart_and_a_download(
    page: Any, axe: Callable[..., dict[str, Any]], screenshot: Callable[[Any, str], Path]
) -> None:
    open_editor(page)
    set_query(page, COUNT_QUERY)
    run(page)
    page.locator("#sparql-editor .yasr table tbody tr").first.wait_for()
    page.locator("#sparql-editor .yasr .select_chart").click()
    bars = page.locator("#sparql-editor figure.coopgraph-chart svg rect")
    bars.first.wait_for()
    assert bars.count() == 12
    screenshot(page, "sparql-editor-chart")
    axe(page)
    with page.expect_download() as download:
        page.locator("#sparql-editor .yasr_downloadIcon").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert "class,n" in Path(download.value.path()).read_text().splitlines()[0].replace('"', "")


def test_without_javascript_the_plain_form_and_list_remain(browser: Any, explorer: Running) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=explorer.url)
    try:
        page = context.new_page()
        page.goto("/sparql")
        assert page.locator("#query-form textarea[name=query]").is_visible()
        assert "PREFIX cg:" in page.locator("#query-form textarea").input_value()
        assert page.locator("#named-queries a[href$='/queries/activities-by-article']").count() == 1
        assert page.locator("#sparql-editor").is_hidden()
    finally:
        context.close()


def test_the_page_data_is_json_beside_the_page(explorer: Running) -> None:
    response = httpx.get(explorer.url + "/sparql", headers={"Accept": "application/json"})
    assert response.status_code == 200
    data = response.json()
    assert data["prefixes"] == PREFIXES
    assert {e["name"] for e in data["examples"]} >= {"activities-by-article", "events-by-year"}
    turtle = httpx.get(explorer.url + "/sparql", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert "sparql" in turtle.text


def test_terms_follow_the_language(explorer: Running) -> None:
    url = explorer.url + "/api/terms"
    english = httpx.get(url, params={"kind": "resource", "q": "colombia", "lang": "en"}).json()
    spanish = httpx.get(url, params={"kind": "resource", "q": "colombia", "lang": "es"}).json()
    iris = [t["iri"] for t in english["terms"]]
    assert "https://w3id.org/coopgraph/id/party/colombia" in iris
    assert [t["iri"] for t in spanish["terms"]] == iris
    accented = httpx.get(url, params={"kind": "resource", "q": "BOGOTÁ"}).json()
    assert "https://w3id.org/coopgraph/id/place/bogota" in [t["iri"] for t in accented["terms"]]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"kind": "sparql"}, "kind"),
        ({"kind": "resource", "q": "x" * 201}, "q"),
        ({"kind": "resource", "q": "a\x00b"}, "q"),
        ({"kind": "class", "limit": "0"}, "limit"),
        ({"kind": "class", "limit": "1001"}, "limit"),
        ({"kind": "class", "limit": "many"}, "limit"),
        ({"kind": "class", "limit": "9" * 40}, "limit"),
        ({"kind": "class", "lang": "de"}, "lang"),
        ({"kind": "resource", "q": "} SELECT * WHERE { ?s ?p ?o"}, None),
        ({"kind": "resource", "q": "<script>alert(1)</script>"}, None),
    ],
)
def test_terms_refuse_hostile_parameters(explorer: Running, params: dict[str, str], name: str | None) -> None:
    response = httpx.get(explorer.url + "/api/terms", params=params)
    if name is None:
        assert response.status_code == 200
        assert response.json()["terms"] == []
        assert response.headers["content-type"].startswith("application/json")
        return
    assert 400 <= response.status_code < 500, response.text
    assert name in response.text
