"""The public named queries of the service: headers complete, and sensible rows on the data."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest

from coopgraph.namespaces import ID
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

RunQuery = Callable[..., list[dict[str, str]]]

SERVICE_QUERIES = [
    "partners-of-actor",
    "activities-of-actor",
    "activities-by-article",
    "programmes-implementing-article",
    "contributions",
    "contribution-totals-per-currency",
    "actors-by-sector",
    "actors-by-stakeholder-category",
    "agreements-between",
    "co-participation",
    "entity-provenance",
    "label-search",
    "changes-per-source-document",
    "entities-in-several-documents",
    "events-by-year",
    "people-and-roles",
    "results-by-activity",
    "articles-of-the-convention",
    "concept-scheme",
]
MEXICO = "https://w3id.org/coopgraph/id/party/mexico"


@pytest.mark.parametrize("name", SERVICE_QUERIES)
def test_header_documents_every_parameter(catalogue: QueryCatalogue, name: str) -> None:
    query = catalogue.get(name)
    assert query.summary != name and query.description
    assert query.tags
    for parameter in query.parameters:
        assert parameter.default, f"{name}: parameter {parameter.name} has no #+ defaults: value"


@pytest.mark.parametrize("name", SERVICE_QUERIES)
def test_returns_rows_with_its_defaults(catalogue: QueryCatalogue, run_query: RunQuery, name: str) -> None:
    defaults = {p.name: p.default for p in catalogue.get(name).parameters if p.default}
    assert run_query(name, **defaults)


def test_contributions_filters(run_query: RunQuery) -> None:
    ibermedia = run_query(
        "contributions", contributor=MEXICO, recipient="https://w3id.org/coopgraph/id/programme/ibermedia"
    )
    assert [(r["amount"], r["currency"]) for r in ibermedia] == [("1600000", "USD")] or [
        (float(r["amount"]), r["currency"]) for r in ibermedia
    ] == [(1600000.0, "USD")]
    everything = run_query("contributions")
    from_mexico = run_query("contributions", contributor=MEXICO)
    assert 0 < len(from_mexico) < len(everything)
    assert all(r["contributor"] == MEXICO for r in from_mexico)
    assert run_query("contributions", contributor=MEXICO, to="2011") == []


def test_totals_agree_with_the_listing(run_query: RunQuery) -> None:
    listing = run_query("contributions", contributor=MEXICO)
    totals = run_query("contribution-totals-per-currency", contributor=MEXICO)
    for row in totals:
        amounts = [float(r["amount"]) for r in listing if r.get("currency") == row["currency"]]
        assert float(row["total"]) == pytest.approx(sum(amounts))
        assert int(row["contributions"]) == len(amounts)


def test_label_search_folds_case_and_accents(run_query: RunQuery) -> None:
    plain = {r["entity"] for r in run_query("label-search", text="ibermusicas")}
    accented = {r["entity"] for r in run_query("label-search", text="IBERMÚSICAS")}
    assert "https://w3id.org/coopgraph/id/programme/ibermusicas" in plain
    assert plain == accented


def test_partners_are_symmetric(run_query: RunQuery) -> None:
    partners = {r["partner"] for r in run_query("partners-of-actor", actor=MEXICO)}
    assert MEXICO not in partners
    some = sorted(partners)[0]
    assert MEXICO in {r["partner"] for r in run_query("partners-of-actor", actor=some)}


def test_changes_per_source_document_counts_every_triple(
    run_query: RunQuery, project_store: EmbeddedStore
) -> None:
    """Counted from the quads themselves: labels that differ only by language are three triples."""
    rows = run_query("changes-per-source-document")
    assert rows
    for row in rows:
        quads = [
            q
            for q in project_store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(row["graph"]))
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(ID))
        ]
        assert int(row["triples"]) == len(quads), row["graph"]
        assert int(row["entities"]) == len({q.subject for q in quads}), row["graph"]
        assert int(row.get("sharedEntities", "0")) <= int(row["entities"])
    shared = {r["graph"]: int(r.get("sharedEntities", "0")) for r in rows}
    assert any(shared.values())
