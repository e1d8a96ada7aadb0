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


def test_sample_says_which_measures_are_estimated() -> None:
    from coopgraph.network.centrality import (
        BETWEENNESS_SAMPLES,
        CLOSENESS_SAMPLES,
        EXACT_BETWEENNESS_MAX_NODES,
        EXACT_CLOSENESS_MAX_NODES,
        Sample,
    )
    from coopgraph.network.measures import MEASURES, sample

    small = bridged_cliques()
    assert all(sample(small, name) is None for name in MEASURES)
    middle = nx.path_graph(EXACT_BETWEENNESS_MAX_NODES + 1)
    assert sample(middle, "betweenness") == Sample(
        "brandes-pich", BETWEENNESS_SAMPLES, EXACT_BETWEENNESS_MAX_NODES + 1, 42
    )
    assert sample(middle, "closeness") is None
    large = nx.path_graph(EXACT_CLOSENESS_MAX_NODES + 1)
    estimated = {name for name in MEASURES if sample(large, name) is not None}
    assert estimated == {"betweenness", "closeness", "harmonic"}
    assert sample(large, "harmonic") == Sample(
        "eppstein-wang", CLOSENESS_SAMPLES, EXACT_CLOSENESS_MAX_NODES + 1, 42
    )


def test_two_mode_samples() -> None:
    from coopgraph.network.measures import sample

    g = nx.complete_bipartite_graph(1200, 900)
    nx.set_node_attributes(g, {v: 0 if v < 1200 else 1 for v in g}, "bipartite")
    g.graph["projection"] = "bipartite"
    assert sample(g, "degree") is None
    drawn = sample(g, "betweenness")
    assert drawn is not None and (drawn.size, drawn.nodes) == (250, 2100)
    assert sample(g, "closeness") is None  # 2,100 nodes: exact
    assert sample(g, "betweenness") is drawn  # kept on the graph, not redrawn per request
