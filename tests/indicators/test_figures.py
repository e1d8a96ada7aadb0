"""The indicators against SPARQL written here, for the whole graph, a country and a programme."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest

from coopgraph.errors import NotFound, ParameterError
from coopgraph.indicators import IndicatorFacts, Scope, figures, indicator_facts, scope_for
from coopgraph.indicators.figures import csv_rows
from coopgraph.namespaces import resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

BASE = "http://coopgraph.test/"
PREFIXES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ACTIVITY = "?a a ?t . ?t rdfs:subClassOf* cg:CooperationActivity ."
PER_ARTICLE = (
    PREFIXES
    + f"""SELECT ?article (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  {ACTIVITY}
  ?a cg:relatesToArticle|cg:implementsArticle ?p .
  ?p cg:subparagraphOf? ?article . FILTER NOT EXISTS {{ ?article cg:subparagraphOf [] }}
}} GROUP BY ?article"""
)
PER_MODALITY = (
    PREFIXES + f"SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {ACTIVITY} ?a cg:modality ?m }} GROUP BY ?m"
)
PER_SECTOR = (
    PREFIXES
    + f"SELECT ?s (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {ACTIVITY} ?a cg:culturalSector ?s }} GROUP BY ?s"
)
# years an activity covers: from its earliest to its latest date (start, end or date)
ACTIVITY_YEARS = (
    PREFIXES
    + f"""SELECT ?a (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {{
  {ACTIVITY}
  ?a cg:startDate|cg:endDate|cg:date ?d .
  BIND(xsd:integer(SUBSTR(STR(?d), 1, 4)) AS ?y)
}} GROUP BY ?a"""
).replace("PREFIX rdfs:", "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\nPREFIX rdfs:")
MONEY = (
    PREFIXES
    + """SELECT ?currency (SUM(?amount) AS ?total) (COUNT(?c) AS ?flows) WHERE {
  ?c a cg:FundingContribution ; cg:amount ?amount ; cg:currency ?currency .
} GROUP BY ?currency"""
)
MEXICO_ACTIVITIES = (
    PREFIXES
    + f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  {ACTIVITY}
  {{ ?a cg:country|cg:location|cg:location/cg:inCountry ?country }}
  UNION {{
    {{ ?a ?r ?x . ?r rdfs:subPropertyOf* cg:hasParticipant }} UNION {{ ?a cg:hasParticipation/cg:agent|cg:fundedBy ?x }}
    UNION {{ ?x cg:participatesIn ?a }}
    ?x (cg:country|((cg:holdsPost|cg:formerlyHeldPost)/(cg:country|cg:postIn|cg:postIn/cg:country)))? ?country
  }}
}}"""
)
PARTS = PREFIXES + f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {ACTIVITY} ?a cg:partOf* ?p }}"


@pytest.fixture(scope="module")
def facts(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> IndicatorFacts:
    return indicator_facts(project_store, catalogue)


@pytest.fixture(scope="module")
def graph(facts: IndicatorFacts) -> dict:
    return figures(facts, Scope(), ["en"], BASE)


def counted(store: EmbeddedStore, query: str, key: str) -> dict[str, int]:
    return {r[key].value: int(r["n"].value) for r in store.select(query)}


@pytest.mark.parametrize(
    ("section", "query", "key"),
    [
        ("activities_per_article", PER_ARTICLE, "article"),
        ("activities_per_modality", PER_MODALITY, "m"),
        ("activities_per_sector", PER_SECTOR, "s"),
    ],
)
def test_counts_agree_with_sparql(
    project_store: EmbeddedStore, graph: dict, section: str, query: str, key: str
) -> None:
    expected = counted(project_store, query, key)
    assert expected
    assert {r["iri"]: r["count"] for r in graph[section]} == expected


def test_activities_per_year_agree_with_sparql(project_store: EmbeddedStore, graph: dict) -> None:
    per_year: Counter[int] = Counter()
    for row in project_store.select(ACTIVITY_YEARS):
        per_year.update(range(int(row["first"].value), int(row["last"].value) + 1))
    assert {r["year"]: r["count"] for r in graph["activities_per_year"]} == dict(per_year)
    dated = len(project_store.select(ACTIVITY_YEARS))
    assert graph["totals"]["undated_activities"] == graph["totals"]["activities"] - dated


def test_money_per_currency_never_added_across(project_store: EmbeddedStore, graph: dict) -> None:
    expected = {
        r["currency"].value: (Decimal(r["total"].value), int(r["flows"].value))
        for r in project_store.select(MONEY)
    }
    found: dict[str, list] = {}
    for row in graph["contributions"]:
        cell = found.setdefault(row["currency"], [Decimal(0), 0])
        cell[0] += Decimal(row["total"])
        cell[1] += row["flows"]
        assert Decimal(row["exact"]) + Decimal(row["approximate_total"]) == Decimal(row["total"])
    assert {k: tuple(v) for k, v in found.items()} == expected
    euro = next(r for r in graph["contributions"] if r["currency"] == "EUR")
    assert euro["period"] == "2012–2015" and euro["approximate"] == 1  # the IBERESCENA support, ≈ EUR 500,000


def test_shares_of_south_south_north_south_triangular(facts: IndicatorFacts, graph: dict) -> None:
    shares = {s["modality"]: s for s in graph["shares"]}
    per_modality = {r["iri"]: r["count"] for r in graph["activities_per_modality"]}
    for name, share in shares.items():
        assert share["count"] == per_modality.get(str(resource_iri("modality", name)), 0)
        assert share["share_of_all"] == round(share["count"] / graph["totals"]["activities"], 4)
    assert shares["south-south"]["count"] >= 1 and shares["triangular"]["count"] >= 1
    classified = graph["totals"]["classified_by_direction"]
    assert max(s["count"] for s in shares.values()) <= classified <= sum(s["count"] for s in shares.values())


def test_country_scope_agrees_with_sparql(project_store: EmbeddedStore, facts: IndicatorFacts) -> None:
    mexico = scope_for(facts, "country", "mexico")
    data = figures(facts, mexico, ["en"], BASE)
    rows = project_store.select(MEXICO_ACTIVITIES, {"country": ox.NamedNode(mexico.iri or "")})
    assert data["totals"]["activities"] == int(rows[0]["n"].value) > 5
    assert data["scope"]["label"] == "Mexico"
    units = {(r["value"], r["unit"]) for r in data["reported"]["results"]}
    assert ("48", "projects") in units and ("35", "artists") in units and ("5", "co-productions") in units
    indicator = data["reported"]["indicators"][0]
    assert indicator["label"] == "The total number of beneficiary projects"
    assert indicator["approximate_values"] == 1  # IBERESCENA's "more than 40"


def test_programme_scope_is_the_programme_and_its_parts(
    project_store: EmbeddedStore, facts: IndicatorFacts
) -> None:
    scope = scope_for(facts, "programme", "mexico-iberoamerican-regional-programmes")
    data = figures(facts, scope, ["en"], BASE)
    rows = project_store.select(PARTS, {"p": ox.NamedNode(scope.iri or "")})
    assert data["totals"]["activities"] == int(rows[0]["n"].value) == 8
    ibermedia = figures(facts, scope_for(facts, "programme", "ibermedia"), ["en"], BASE)
    assert [(r["currency"], r["total"]) for r in ibermedia["contributions"]] == [("USD", "1600000")]


def test_scopes_refused(facts: IndicatorFacts) -> None:
    with pytest.raises(ParameterError) as caught:
        scope_for(facts, "country", "../../x")
    assert caught.value.name == "country"
    with pytest.raises(NotFound):
        scope_for(facts, "country", "atlantis")
    with pytest.raises(NotFound):
        scope_for(facts, "programme", "mexico")  # a country is not a programme


def test_csv_lists_every_figure(graph: dict) -> None:
    rows = csv_rows(graph)
    assert rows[0] == ["indicator", "key", "label", "value", "unit", "note"]
    sections = Counter(r[0] for r in rows[1:])
    assert sections["activities_per_year"] == len(graph["activities_per_year"])
    assert sections["results"] == len(graph["reported"]["results"])
