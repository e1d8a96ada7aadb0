"""Two-mode measures on a small bipartite network."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from networkx.algorithms import bipartite as nxb

from coopgraph.network import twomode


def network() -> nx.Graph:
    # actors x, y, z; activities a (x, y), b (y, z)
    g = nx.Graph([("x", "a"), ("y", "a"), ("y", "b"), ("z", "b")])
    nx.set_node_attributes(g, {"x": 0, "y": 0, "z": 0, "a": 1, "b": 1}, "bipartite")
    return g


def test_degree_is_divided_by_the_other_mode() -> None:
    d = twomode.degree(network())
    assert d["y"] == pytest.approx(2 / 2) and d["x"] == pytest.approx(1 / 2)
    assert d["a"] == pytest.approx(2 / 3)


def test_the_actor_in_both_activities_is_the_two_mode_broker() -> None:
    b = twomode.betweenness(network())
    assert b["y"] == pytest.approx(1.0) and b["x"] == pytest.approx(0.0)
    c = twomode.closeness(network())
    assert c["y"] > c["x"]


def scattered_network(seed: int) -> tuple[nx.Graph, set[str]]:
    """A random bipartite network of 60 actors and 40 activities, several components and an isolate."""
    rng = random.Random(seed)
    g = nx.Graph()
    for a in range(60):
        for _ in range(rng.randint(0, 3)):
            g.add_edge(f"actor{a}", f"activity{rng.randint(0, 39)}")
    g.add_node("actor-alone")
    actors = {v for v in g if v.startswith("actor")}
    nx.set_node_attributes(g, {v: 0 if v in actors else 1 for v in g}, "bipartite")
    return g, actors


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_mode_path_measures_equal_networkx_bipartite(seed: int) -> None:
    # the igraph-based measures keep NetworkX's bipartite definitions, disconnected networks included
    g, actors = scattered_network(seed)
    expected_b = nxb.betweenness_centrality(g, actors)
    expected_c = nxb.closeness_centrality(g, actors)
    b, c = twomode.betweenness(g), twomode.closeness(g)
    assert b == pytest.approx(expected_b, abs=1e-12)
    assert c == pytest.approx(expected_c, abs=1e-12)
    assert c["actor-alone"] == 0.0


def larger_network(seed: int = 4) -> tuple[nx.Graph, set[str]]:
    """A bipartite network of 400 actors and 300 activities with skewed participation."""
    rng = random.Random(seed)
    g = nx.Graph()
    weights = [1 / (r + 1) for r in range(400)]
    for j in range(300):
        for a in set(rng.choices(range(400), weights=weights, k=rng.randint(2, 4))):
            g.add_edge(f"actor{a}", f"activity{j}")
    actors = {v for v in g if v.startswith("actor")}
    nx.set_node_attributes(g, {v: 0 if v in actors else 1 for v in g}, "bipartite")
    return g, actors


@pytest.mark.parametrize("name", ["betweenness", "closeness"])
def test_sampled_two_mode_measures_rank_like_the_exact_ones(name: str) -> None:
    from scipy.stats import spearmanr

    g, actors = larger_network()
    fn = getattr(twomode, name)
    exact = fn(g)
    reference = getattr(nxb, f"{name}_centrality")(g, actors)
    assert exact == pytest.approx(reference, abs=1e-12)  # below the limit: NetworkX's values
    estimate = fn(g, k=120, exact_max_nodes=100)
    assert estimate == fn(g, k=120, exact_max_nodes=100)  # deterministic
    assert estimate != pytest.approx(exact)
    nodes = sorted(g)
    rho = spearmanr([exact[v] for v in nodes], [estimate[v] for v in nodes]).statistic
    assert rho > 0.9
