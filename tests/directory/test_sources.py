"""The directory of cooperation sources: the list, its facets and the profiles against SPARQL written here."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox
import pytest

from coopgraph.directory import (
    DirectoryFacts,
    csv_rows,
    directory,
    directory_facts,
    parse_selection,
    source_iri,
    source_profile,
)
from coopgraph.errors import NotFound, ParameterError
from coopgraph.namespaces import resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

BASE = "http://coopgraph.test/"
PREFIXES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# Written apart from directory-sources.rq: a source funds (fund, funder of an activity, payer of a
# contribution, funding or sponsor participant) or is a programme that receives money.
SOURCES = (
    PREFIXES
    + """SELECT DISTINCT ?s WHERE {
  { ?s a cg:Fund }
  UNION { [] cg:fundedBy ?s }
  UNION { [] a cg:FundingContribution ; cg:contributor ?s }
  UNION { [] a cg:FundingContribution ; cg:recipient ?s . ?s a cg:Programme }
  UNION { [] cg:hasParticipation [ cg:agent ?s ; cg:role ?r ] .
          FILTER(?r IN (<https://w3id.org/coopgraph/id/role/funding>, <https://w3id.org/coopgraph/id/role/sponsor>)) }
}"""
)
WITH_CURRENCY = (
    PREFIXES
    + """SELECT DISTINCT ?s WHERE {
  ?c a cg:FundingContribution ; cg:currency ?currency .
  { ?c cg:contributor ?s } UNION { ?c cg:recipient ?s }
}"""
)
TOTALS = (
    PREFIXES
    + """SELECT ?direction ?currency (SUM(?amount) AS ?total) (COUNT(?c) AS ?flows) WHERE {
  { ?c cg:contributor ?source BIND("out" AS ?direction) } UNION { ?c cg:recipient ?source BIND("in" AS ?direction) }
  ?c a cg:FundingContribution ; cg:amount ?amount ; cg:currency ?currency .
} GROUP BY ?direction ?currency"""
)


@pytest.fixture(scope="module")
def facts(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> DirectoryFacts:
    return directory_facts(project_store, catalogue)


def test_every_source_and_only_sources(project_store: EmbeddedStore, facts: DirectoryFacts) -> None:
    expected = {r["s"].value for r in project_store.select(SOURCES)}
    assert set(facts.sources) == expected
    assert len(expected) > 10
    listed = directory(facts, parse_selection({}, facts), ["en"], BASE)
    assert listed["total"] == len(expected) == len(listed["sources"])


def test_kinds_first_funds_then_programmes(facts: DirectoryFacts) -> None:
    rows = directory(facts, parse_selection({}, facts), ["en"], BASE)["sources"]
    kinds = [r["kind"] for r in rows]
    assert kinds.index("fund") < kinds.index("programme") < kinds.index("organisation")
    assert kinds[0] == "fund"
    ifcd = str(resource_iri("fund", "international-fund-for-cultural-diversity"))
    assert ifcd in {r["iri"] for r in rows}  # a fund that finances nothing recorded is still listed


def test_currency_facet_counts_agree_with_sparql(project_store: EmbeddedStore, facts: DirectoryFacts) -> None:
    expected = {r["s"].value for r in project_store.select(WITH_CURRENCY)} & set(facts.sources)
    data = directory(facts, parse_selection({}, facts), ["en"], BASE)
    currency = next(f for f in data["facets"] if f["name"] == "currency")
    counts = {v["value"]: v["count"] for v in currency["values"]}
    assert set(counts) == {"USD", "EUR"}
    chosen = directory(facts, parse_selection({"currency": ["USD"]}, facts), ["en"], BASE)
    assert chosen["total"] == counts["USD"]
    assert {s["iri"] for s in chosen["sources"]} <= expected
    both = directory(facts, parse_selection({"currency": ["USD", "EUR"]}, facts), ["en"], BASE)
    assert {s["label"] for s in both["sources"]} == {"IBERESCENA", "Mexico"}


def test_kind_values_are_alternatives_other_facets_narrow(facts: DirectoryFacts) -> None:
    funds = directory(facts, parse_selection({"kind": ["fund"]}, facts), ["en"], BASE)["total"]
    programmes = directory(facts, parse_selection({"kind": ["programme"]}, facts), ["en"], BASE)["total"]
    either = directory(facts, parse_selection({"kind": ["fund", "programme"]}, facts), ["en"], BASE)
    assert either["total"] == funds + programmes
    narrowed = directory(
        facts, parse_selection({"kind": ["programme"], "finances": ["music"]}, facts), ["en"], BASE
    )
    assert [s["label"] for s in narrowed["sources"]] == ["IBERMÚSICAS"]
    region = directory(
        facts, parse_selection({"region": ["colombia"], "kind": ["fund"]}, facts), ["en"], BASE
    )
    assert "Abu Dhabi Development Fund" in {s["label"] for s in region["sources"]}


def test_toggle_links_keep_the_selection(facts: DirectoryFacts) -> None:
    data = directory(facts, parse_selection({"kind": ["programme"]}, facts), ["en"], BASE)
    kind = next(f for f in data["facets"] if f["name"] == "kind")
    chosen = next(v for v in kind["values"] if v["selected"])
    assert chosen["toggle"] == f"{BASE}sources"
    assert data["chosen"][0]["remove"] == f"{BASE}sources"


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"kind": ["planet"]}, "kind"),
        ({"currency": ["XYZ"]}, "currency"),
        ({"region": ["atlantis"]}, "region"),
        ({"finances": ["x" * 400]}, "finances"),
        ({"article": ["14"] * 25}, "article"),
        ({"region": ["colombia\x00"]}, "region"),
    ],
)
def test_bad_parameters_are_named(facts: DirectoryFacts, params: dict[str, list[str]], name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        parse_selection(params, facts)
    assert caught.value.name == name


def test_csv_has_a_row_per_source(facts: DirectoryFacts) -> None:
    rows = csv_rows(directory(facts, parse_selection({}, facts), ["en"], BASE))
    assert rows[0][:3] == ["iri", "label", "kind"]
    assert len(rows) == len(facts.sources) + 1


@pytest.mark.parametrize(
    "slug", [("programme", "iberescena"), ("party", "mexico"), ("programme", "ibermedia")]
)
def test_profile_totals_agree_with_sparql_never_across_currencies(
    project_store: EmbeddedStore, catalogue: QueryCatalogue, slug: tuple[str, str]
) -> None:
    iri = str(resource_iri(*slug))
    profile = source_profile(project_store, catalogue, iri, ["en"], BASE)
    expected = {
        (r["direction"].value, r["currency"].value): (Decimal(r["total"].value), int(r["flows"].value))
        for r in project_store.select(TOTALS, {"source": ox.NamedNode(iri)})
    }
    found: dict[tuple[str, str], list[Decimal | int]] = defaultdict(lambda: [Decimal(0), 0])
    for row in profile["money"]["totals"]:
        found[(row["direction"], row["currency"])][0] += Decimal(row["total"])  # type: ignore[operator]
        found[(row["direction"], row["currency"])][1] += row["flows"]  # type: ignore[operator]
    assert {k: tuple(v) for k, v in found.items()} == expected
    assert expected


def test_profile_marks_approximate_and_cites(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    profile = source_profile(project_store, catalogue, source_iri("programme/iberescena"), ["en"], BASE)
    euro = next(t for t in profile["money"]["totals"] if t["currency"] == "EUR")
    assert euro == {**euro, "direction": "out", "total": "500000", "approximate": 1}
    flow = next(c for c in profile["money"]["contributions"] if c["currency"] == "EUR")
    assert flow["approximate"] and flow["qualifier"] == "approximately"
    quotes = profile["quotes"][flow["iri"]]
    assert any("approximately €500,000 euros" in (q["quote"] or "") for q in quotes)
    assert {c["label"] for c in profile["contributors"]} == {"Mexico"}
    assert {c["label"] for c in profile["recipients"]} == {"Mexico"}


def test_fund_profile_what_it_funds_and_how_to_reach_it(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    profile = source_profile(
        project_store, catalogue, source_iri("fund/global-alliance-special-fund"), ["en"], BASE
    )
    funded = {a["label"] for a in profile["finances"]["activities"]}
    assert "Global Alliance for Cultural Diversity" in funded and len(funded) == 3
    assert {s["value"] for s in profile["finances"]["sectors"]} == {"copyright", "creative-economy"}
    email = next(c for c in profile["contact"] if c["kind"] == "email")
    assert email["text"] == "globalalliance@unesco.org" and email["via"]["label"].startswith(
        "Global Alliance"
    )
    assert profile["money"]["totals"] == []  # the article states no amount
    assert profile["quotes"][profile["source"]["iri"]]


def test_unknown_and_malformed_sources(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    with pytest.raises(NotFound):
        source_profile(project_store, catalogue, source_iri("party/colombia"), ["en"], BASE)
    for path in ("../../etc/passwd", "fund", "fund/a b", "Fund/x", "x" * 300 + "/y"):
        with pytest.raises(ParameterError):
            source_iri(path)
