"""Faceted browse: the counts agree with independent SPARQL, the selection and its links, bad input."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.errors import ParameterError
from coopgraph.explore import ExploreFacts, browse, explore_facts, parse_selection
from coopgraph.explore.facets import csv_rows, select_items
from coopgraph.namespaces import resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support.explore_sparql import ACTIVITIES, ACTORS

BASE = "http://coopgraph.test/"


@pytest.fixture(scope="module")
def facts(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> ExploreFacts:
    return explore_facts(project_store, catalogue)


def sparql_count(store: EmbeddedStore, query: str, article: str, country: str) -> int:
    rows = store.select(
        query,
        {
            "article": ox.NamedNode(str(resource_iri("article", article))),
            "country": ox.NamedNode(str(resource_iri("party", country))),
        },
    )
    return int(rows[0]["n"].value)


@pytest.mark.parametrize(
    ("article", "country"), [("14", "colombia"), ("12", "colombia"), ("12", "mexico"), ("16", "spain")]
)
def test_counts_agree_with_sparql(
    facts: ExploreFacts, project_store: EmbeddedStore, article: str, country: str
) -> None:
    activities = sparql_count(project_store, ACTIVITIES, article, country)
    actors = sparql_count(project_store, ACTORS, article, country)
    assert activities + actors > 0
    both = browse(facts, parse_selection({"article": [article], "country": [country]}, facts), ["en"], BASE)
    assert both.total == activities + actors
    kinds = {v["value"]: v["count"] for v in both.facets[0]["values"]}
    assert sum(n for k, n in kinds.items() if k in ("country", "organisation", "person")) == actors
    assert sum(n for k, n in kinds.items() if k not in ("country", "organisation", "person")) == activities
    only = browse(
        facts,
        parse_selection({"article": [article], "kind": ["activity"], "country": [country]}, facts),
        ["en"],
        BASE,
    )
    assert only.total == activities
    # the count shown beside a value is what following its link lists
    by_article = browse(facts, parse_selection({"article": [article]}, facts), ["en"], BASE)
    countries = {v["value"]: v["count"] for v in by_article.facets[1]["values"]}
    assert countries[country] == activities + actors


def test_article_14_and_colombia(facts: ExploreFacts) -> None:
    page = browse(facts, parse_selection({"article": ["14"], "country": ["colombia"]}, facts), ["en"], BASE)
    labels = {item["label"] for item in page.items}
    assert "Juan Luis Mejía" in labels  # a former Minister of Culture of Colombia
    assert "First Expert Meeting on International Cooperation" in labels  # which he took part in


def test_an_article_also_matches_its_subparagraphs(facts: ExploreFacts) -> None:
    twelve = select_items(facts, parse_selection({"article": ["12"]}, facts))
    twelve_e = select_items(facts, parse_selection({"article": ["12-e"]}, facts))
    assert twelve_e and twelve_e <= twelve


def test_kinds_are_alternatives_other_values_narrow(facts: ExploreFacts) -> None:
    def total(**params: list[str]) -> int:
        return browse(facts, parse_selection(params, facts), ["en"], BASE).total

    assert total(kind=["country", "organisation"]) == total(kind=["country"]) + total(kind=["organisation"])
    assert total(kind=["actor"]) == total(kind=["country", "organisation", "person"])
    assert total(country=["colombia", "mexico"]) <= min(
        total(country=["colombia"]), total(country=["mexico"])
    )


def test_period(facts: ExploreFacts) -> None:
    everything = browse(facts, parse_selection({}, facts), ["en"], BASE)
    years = {y["year"]: y["count"] for y in everything.period["years"]}
    year = max(years, key=years.__getitem__)
    page = browse(facts, parse_selection({"from": [str(year)], "to": [str(year)]}, facts), ["en"], BASE)
    assert page.total == years[year]
    for item in page.items:
        assert item["first_year"] <= year
        assert item["last_year"] is None or item["last_year"] >= year


def test_links_keep_the_state_and_toggle_one_value(facts: ExploreFacts) -> None:
    page = browse(facts, parse_selection({"country": ["colombia"], "size": ["5"]}, facts), ["en"], BASE)
    assert len(page.items) == 5
    assert page.links["next"] == BASE + "explore?country=colombia&size=5&page=2"
    colombia = next(v for v in page.facets[1]["values"] if v["value"] == "colombia")
    assert colombia["selected"] and colombia["toggle"] == BASE + "explore?size=5"
    assert colombia["url"] == BASE + "id/party/colombia"  # the value's own page
    chile = next(v for v in page.facets[1]["values"] if v["value"] == "chile")
    assert chile["toggle"] == BASE + "explore?country=colombia&country=chile&size=5"


def test_languages(facts: ExploreFacts) -> None:
    fr = browse(facts, parse_selection({"kind": ["country"]}, facts), ["fr"], BASE)
    assert fr.facets[0]["title"] == "Type"
    colombia = next(i for i in fr.items if i["iri"] == str(resource_iri("party", "colombia")))
    assert colombia["label"] in ("Colombie", "Colombia")  # the French label where there is one


def test_csv_lists_every_item(facts: ExploreFacts) -> None:
    page = browse(
        facts, parse_selection({"country": ["colombia"], "size": ["2"]}, facts), ["en"], BASE, every_item=True
    )
    rows = csv_rows(page)
    assert rows[0][:3] == ["iri", "label", "kind"]
    assert len(rows) == page.total + 1


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"country": ["narnia"]}, "country"),
        ({"kind": ["planet"]}, "kind"),
        ({"article": ["x" * 301]}, "article"),
        ({"source": ["a"] * 21}, "source"),
        ({"from": ["1999", "2000"]}, "from"),
        ({"from": ["MMV"]}, "from"),
        ({"to": ["99999999999999999999"]}, "to"),
        ({"from": ["2010"], "to": ["2000"]}, "to"),
        ({"page": ["0"]}, "page"),
        ({"size": ["1001"]}, "size"),
        ({"size": ["-1"]}, "size"),
    ],
)
def test_bad_parameters_are_named(facts: ExploreFacts, params: dict[str, list[str]], name: str) -> None:
    with pytest.raises(ParameterError) as caught:
        parse_selection(params, facts)
    assert caught.value.name == name


def test_values_by_key_path_or_iri(facts: ExploreFacts) -> None:
    colombia = str(resource_iri("party", "colombia"))
    for given in ("colombia", "party/colombia", colombia):
        assert parse_selection({"country": [given]}, facts).chosen("country") == (colombia,)
