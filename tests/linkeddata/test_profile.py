"""Profiles: summary, timeline by year, money per currency, articles, participants and results.

Known answers from the project's data (``data/``), and small inline Turtle for the money rules.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.linkeddata import LinkedData
from coopgraph.linkeddata.profile import build_profile
from coopgraph.namespaces import resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

COLOMBIA = str(resource_iri("party", "colombia"))
MEXICO = str(resource_iri("party", "mexico"))
IBERMEDIA = str(resource_iri("programme", "ibermedia"))
BASE = "http://h/"


@pytest.fixture(scope="module")
def colombia(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> dict:
    return build_profile(project_store, catalogue, COLOMBIA, ["en"], BASE)


@pytest.fixture(scope="module")
def ibermedia(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> dict:
    return build_profile(project_store, catalogue, IBERMEDIA, ["en"], BASE)


def test_summary_says_what_it_is(colombia: dict, ibermedia: dict) -> None:
    kinds = {f["facet"]: [v["label"] for v in f["values"]] for f in colombia["summary"]["facets"]}
    assert kinds["type"] == ["Country"]
    facets = {f["facet"]: [v["label"] for v in f["values"]] for f in ibermedia["summary"]["facets"]}
    assert facets["type"] == ["Programme"]
    assert facets["cultural-sector"] and facets["modality"]
    assert ibermedia["summary"]["aim"].startswith("seeks to encourage the co-production")


def test_timeline_groups_by_year_latest_first(colombia: dict) -> None:
    years = [g["year"] for g in colombia["timeline"] if g["year"] != "undated"]
    assert years == sorted(years, reverse=True)
    assert years[0] == 2020
    items = [i for g in colombia["timeline"] for i in g["items"]]
    assert len({i["iri"] for i in items}) == len(items)  # each item once
    visit = next(i for i in items if i["iri"].endswith("uae-finance-minister-visit-colombia-2020"))
    assert visit["type"]["label"] == "Visit"
    assert visit["href"].startswith(BASE + "id/")


def test_money_is_totalled_per_currency_never_across(ibermedia: dict, project_store, catalogue) -> None:
    assert [t["currency"] for t in ibermedia["money"]["totals"]] == ["USD"]
    assert ibermedia["money"]["totals"][0]["in"] == {"total": "1600000", "flows": 1, "approximate": 0}
    mexico = build_profile(project_store, catalogue, MEXICO, ["en"], BASE)
    currencies = [t["currency"] for t in mexico["money"]["totals"]]
    assert currencies == sorted(set(currencies)) and len(currencies) >= 2
    rows = project_store.select(
        catalogue.get("party-contribution-totals-per-currency").text,
        {"_party_iri": ox.NamedNode(MEXICO)},
    )
    expected = {(r["direction"].value, r["currency"].value): float(r["total"].value) for r in rows}
    found = {
        ({"in": "received", "out": "paid"}[d], t["currency"]): float(t[d]["total"])
        for t in mexico["money"]["totals"]
        for d in ("in", "out")
        if t[d]["flows"]
    }
    assert found == pytest.approx(expected)


def test_money_of_a_country_without_contributions_is_empty(colombia: dict) -> None:
    assert colombia["money"] == {"totals": [], "contributions": [], "unstated": 0}


def test_articles_directly_and_through_activities(colombia: dict, ibermedia: dict) -> None:
    assert [(a["label"], a["direct"]) for a in ibermedia["articles"]] == [("Article 12 (e)", True)]
    via = {v["iri"] for a in colombia["articles"] for v in a["via"]}
    assert str(resource_iri("programme", "iberescena")) in via


def test_participants_and_results_of_a_programme(ibermedia: dict) -> None:
    assert [p["participant"]["label"] for p in ibermedia["participants"]] == ["Mexico"]
    assert ibermedia["participants"][0]["roles"] == ["Funding"]
    figures = [(r["quantity"], r["unit"], r["period"]) for r in ibermedia["results"]]
    assert figures == [
        ("25", "projects", "2012–2013"),
        ("5", "co-productions", "2014–2015"),
        ("8", "projects", "2014–2015"),
    ]


def test_labels_follow_the_languages(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    es = build_profile(project_store, catalogue, IBERMEDIA, ["es"], BASE)
    fr = build_profile(project_store, catalogue, MEXICO, ["fr"], BASE)
    sector = next(f for f in es["summary"]["facets"] if f["facet"] == "cultural-sector")
    assert sector["values"][0]["label"] == "Audiovisual y cine"
    assert fr["label"] == "Mexique"
    assert build_profile(project_store, catalogue, MEXICO, ["de"], BASE)["label"] == "Mexico"


def test_unknown_resource_has_an_empty_profile(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    p = build_profile(project_store, catalogue, "https://w3id.org/coopgraph/id/party/atlantis", ["en"], BASE)
    assert p["timeline"] == [] and p["articles"] == [] and p["results"] == []


MONEY_TTL = """
@prefix cg: <https://w3id.org/coopgraph/def#> .
<urn:c1> a cg:FundingContribution ; cg:contributor <urn:f> ; cg:recipient <urn:x> ; cg:amount 10.5 ; cg:currency "USD" .
<urn:c2> a cg:FundingContribution ; cg:contributor <urn:f> ; cg:recipient <urn:x> ; cg:amount 4 ; cg:currency "EUR" ; cg:approximate true .
<urn:c3> a cg:FundingContribution ; cg:contributor <urn:x> ; cg:recipient <urn:f> ; cg:amount 1 ; cg:currency "USD" .
<urn:c4> a cg:FundingContribution ; cg:contributor <urn:f> ; cg:recipient <urn:x> .
"""


def test_money_rules_on_inline_data(catalogue: QueryCatalogue) -> None:
    store = EmbeddedStore(None)
    store.put_graph("urn:g", [q.triple for q in ox.parse(MONEY_TTL, format=ox.RdfFormat.TURTLE)])
    money = build_profile(store, catalogue, "urn:x", ["en"], BASE)["money"]
    assert money["totals"] == [
        {
            "currency": "EUR",
            "in": {"total": "4", "flows": 1, "approximate": 1},
            "out": {"total": "0", "flows": 0, "approximate": 0},
        },
        {
            "currency": "USD",
            "in": {"total": "10.5", "flows": 1, "approximate": 0},
            "out": {"total": "1", "flows": 1, "approximate": 0},
        },
    ]
    assert money["unstated"] == 1


def test_resource_page_shows_the_profile_first(project_ld: LinkedData) -> None:
    description = project_ld.describe("programme/ibermedia")
    page = project_ld.resource_page(description, BASE, ["en"])
    order = [
        page.index(f'id="{s}"')
        for s in (
            "summary",
            "timeline",
            "money",
            "articles",
            "participants",
            "results",
            "properties",
            "sources",
        )
    ]
    assert order == sorted(order)
    assert "1600000" in page and "USD" in page
    assert f"{BASE}id/programme/ibermedia?_profile=json" in page
