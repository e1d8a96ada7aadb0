"""Projections of the small graph of ``conftest.py``, with and without filters."""

from __future__ import annotations

import pytest

from coopgraph.errors import ParameterError
from coopgraph.network.filters import Filters
from coopgraph.network.projections import project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support.network_graphs import AG1, P1, A, B, C, D, E


def edges(g) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    return {frozenset(e) for e in g.edges()}


def build(store: EmbeddedStore, catalogue: QueryCatalogue, projection: str = "co-participation", **raw: str):  # type: ignore[no-untyped-def]
    return project(store, projection, catalogue, Filters.parse(raw))


def test_co_participation_follows_every_participation_property(small_store, small_catalogue) -> None:
    g = build(small_store, small_catalogue)
    # hasParty and organisedBy (p1), hasParticipant and coordinatedBy (p2), hasParticipation (e1)
    assert set(g) == {A, B, C, D, E}
    assert edges(g) == {frozenset(p) for p in [(A, B), (A, C), (B, C), (B, D), (B, E), (D, E), (A, D)]}
    ab = g.edges[A, B]
    assert ab["weight"] == 2
    assert ab["activities"] == [AG1, P1]
    assert ab["activity_labels"] == ["Agreement One", "Programme One"]
    assert ab["distance"] == pytest.approx(0.5)
    assert g.nodes[A]["label"] == "A-land" and g.nodes[A]["kind"] == "country"
    assert g.nodes[E]["kind"] == "person" and g.nodes[C]["kind"] == "organisation"


def test_projection_is_cached_until_the_store_changes(small_store, small_catalogue, tmp_path) -> None:
    first = build(small_store, small_catalogue)
    assert build(small_store, small_catalogue) is first
    path = tmp_path / "extra.ttl"
    path.write_text("<https://w3id.org/coopgraph/id/x> <https://w3id.org/coopgraph/id/y> 1 .", "utf-8")
    small_store.replace_graph("https://w3id.org/coopgraph/graph/extra", [path])
    rebuilt = build(small_store, small_catalogue)
    assert rebuilt is not first
    assert edges(rebuilt) == edges(first)


@pytest.mark.parametrize(
    ("raw", "expected_nodes", "expected_edges"),
    [
        # p1 (2010-2012) ends before 2014; p2 2015, e1 2020 and ag1 2019 overlap
        ({"from": "2014"}, {A, B, D, E}, {(A, B), (B, D), (B, E), (D, E), (A, D)}),
        ({"from": "2011", "to": "2011"}, {A, B, C}, {(A, B), (A, C), (B, C)}),
        # Article 12 matches p1, which is about Article 12 (e)
        ({"article": "12"}, {A, B, C}, {(A, B), (A, C), (B, C)}),
        ({"article": "12-e"}, {A, B, C}, {(A, B), (A, C), (B, C)}),
        ({"article": "14"}, {B, D, E}, {(B, D), (B, E), (D, E)}),
        ({"sector": "audiovisual"}, {A, B, C}, {(A, B), (A, C), (B, C)}),
        ({"modality": "south-south"}, {A, B, C}, {(A, B), (A, C), (B, C)}),
        ({"source": "doc2"}, {A, B, D, E}, {(B, D), (B, E), (D, E), (A, D)}),
        ({"kind": "country"}, {A, B}, {(A, B)}),
        ({"kind": "organisation,person"}, {C, D, E}, {(D, E)}),
        ({"actor_sector": "public-sector"}, {C}, set()),
    ],
)
def test_filters_change_the_network_as_documented(
    small_store, small_catalogue, raw, expected_nodes, expected_edges
) -> None:
    g = build(small_store, small_catalogue, **raw)
    assert set(g) == expected_nodes
    assert edges(g) == {frozenset(e) for e in expected_edges}


def test_period_filter_drops_a_shared_activity_from_the_weight(small_store, small_catalogue) -> None:
    g = build(small_store, small_catalogue, **{"from": "2019", "to": "2019"})
    assert g.edges[A, B]["weight"] == 1
    assert g.edges[A, B]["activities"] == [AG1]


def test_bipartite_links_actors_to_activities(small_store, small_catalogue) -> None:
    g = build(small_store, small_catalogue, "bipartite")
    assert g.nodes[P1]["bipartite"] == 1 and g.nodes[P1]["kind"] == "activity"
    assert g.nodes[A]["bipartite"] == 0
    assert set(g[P1]) == {A, B, C}
    assert g.number_of_edges() == 3 + 2 + 3 + 2


def test_funding_keeps_one_weight_per_currency(small_store, small_catalogue) -> None:
    g = build(small_store, small_catalogue, "funding")
    assert g.is_directed()
    a = g.edges[A, P1]
    assert a["weight"] == 2
    assert a["weight_USD"] == pytest.approx(100.0)
    assert a["weight_EUR"] == pytest.approx(50.0)
    assert "weight_EUR" not in g.edges[B, P1]
    assert not g.has_edge(P1, A)
    # the period applies to the contributions' own dates (a start with no end is still running)
    early = build(small_store, small_catalogue, "funding", **{"to": "2010"})
    assert set(early.edges()) == {(A, P1)}
    assert early.edges[A, P1]["weight"] == 1 and "weight_EUR" not in early.edges[A, P1]
    assert set(build(small_store, small_catalogue, "funding", kind="country").edges()) == set()


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ({"from": "twenty"}, "from"),
        ({"from": "2015", "to": "2010"}, "to"),
        ({"kind": "planet"}, "kind"),
        ({"article": "not an iri"}, "article"),
        ({"modality": "<bad>"}, "modality"),
    ],
)
def test_bad_filter_values_name_the_parameter(raw, name) -> None:
    with pytest.raises(ParameterError) as info:
        Filters.parse(raw)
    assert info.value.name == name
