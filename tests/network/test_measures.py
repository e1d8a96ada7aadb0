"""The measure registry: cached scores and ranked rows."""

from __future__ import annotations

import networkx as nx
import pytest

from coopgraph.errors import ParameterError
from coopgraph.network.measures import ranking, scores
from support.network_graphs import bridged_cliques


def test_ranking_uses_competition_ranks_and_labels() -> None:
    g = nx.star_graph(3)
    nx.set_node_attributes(g, {0: "Hub", 1: "C", 2: "A", 3: "B"}, "label")
    rows = ranking(g, "degree")
    assert [(r["label"], r["rank"]) for r in rows] == [("Hub", 1), ("A", 2), ("B", 2), ("C", 2)]


def test_constraint_ranks_the_strongest_broker_first() -> None:
    rows = ranking(bridged_cliques(), "constraint", top=2)
    assert {r["iri"] for r in rows} == {"3", "4"}


def test_scores_are_cached_on_the_graph() -> None:
    g = bridged_cliques()
    assert scores(g, "betweenness") is scores(g, "betweenness")
    assert scores(g, "betweenness", weighted=True) is not scores(g, "betweenness")


def test_unknown_measure() -> None:
    with pytest.raises(ParameterError) as info:
        scores(nx.path_graph(2), "popularity")
    assert info.value.name == "measure"
