"""Centrality measures on graphs whose values are known analytically."""

from __future__ import annotations

import networkx as nx
import pytest

from coopgraph.network import centrality
from support.network_graphs import bridged_cliques


def test_star_degree_and_betweenness() -> None:
    g = nx.star_graph(5)
    assert centrality.degree(g) == {0: 5, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    b = centrality.betweenness(g)
    assert b[0] == pytest.approx(1.0)
    assert all(b[v] == pytest.approx(0.0) for v in range(1, 6))


def test_path_closeness_harmonic_and_betweenness() -> None:
    g = nx.path_graph(5)  # 0-1-2-3-4
    c = centrality.closeness(g)
    assert c[2] == pytest.approx(4 / 6)  # distances 2+1+1+2
    assert c[0] == pytest.approx(4 / 10)  # 1+2+3+4
    h = centrality.harmonic(g)
    assert h[0] == pytest.approx(1 + 1 / 2 + 1 / 3 + 1 / 4)
    b = centrality.betweenness(g, normalized=False)
    assert [b[v] for v in range(5)] == pytest.approx([0, 3, 4, 3, 0])


def test_bridge_nodes_have_the_top_betweenness() -> None:
    b = centrality.betweenness(bridged_cliques(), normalized=False)
    # a bridge end lies on the paths from the 3 other nodes of its side to the 4 of the other side
    assert b[3] == pytest.approx(12.0) and b[4] == pytest.approx(12.0)
    assert max(b[v] for v in (0, 1, 2, 5, 6, 7)) == pytest.approx(0.0)


def test_strength_sums_weights() -> None:
    g = nx.Graph([("x", "y", {"weight": 3}), ("x", "z", {"weight": 1})])
    assert centrality.strength(g) == {"x": 4, "y": 3, "z": 1}


def test_weighted_betweenness_prefers_strong_ties() -> None:
    # x-y-z is two strong ties (distance 0.5 each), x-z one weak tie (distance 2)
    g = nx.Graph()
    g.add_edge("x", "y", weight=2, distance=0.5)
    g.add_edge("y", "z", weight=2, distance=0.5)
    g.add_edge("x", "z", weight=0.5, distance=2.0)
    assert centrality.betweenness(g, weighted=True, normalized=False)["y"] == pytest.approx(1.0)
    assert centrality.betweenness(g, weighted=False, normalized=False)["y"] == pytest.approx(0.0)


@pytest.mark.parametrize("weighted", [False, True])
def test_igraph_and_networkx_back_ends_agree(weighted: bool) -> None:
    g = nx.les_miserables_graph()
    g.add_edge("lonely", "pair")  # a second component
    for _, _, d in g.edges(data=True):
        d["distance"] = 1 / d.get("weight", 1)
    for fn in (centrality.betweenness, centrality.closeness, centrality.harmonic):
        ig = fn(g, weighted=weighted, backend="igraph")
        nxv = fn(g, weighted=weighted, backend="networkx")
        assert ig == pytest.approx(nxv), fn.__name__
    ig = centrality.eigenvector(g, weighted=weighted, backend="igraph")
    assert ig == pytest.approx(centrality.eigenvector(g, weighted=weighted, backend="networkx"), abs=1e-6)


def test_sampled_betweenness_above_the_limit_is_deterministic_and_same_on_both_back_ends() -> None:
    g = nx.barabasi_albert_graph(300, 2, seed=1)
    first = centrality.betweenness(g, exact_max_nodes=100, k=50)
    assert first == centrality.betweenness(g, exact_max_nodes=100, k=50)
    assert first == pytest.approx(centrality.betweenness(g, exact_max_nodes=100, k=50, backend="networkx"))
    exact = centrality.betweenness(g)
    top_exact = max(exact, key=exact.__getitem__)
    assert first[top_exact] == pytest.approx(exact[top_exact], rel=0.35)


def test_eigenvector_on_a_disconnected_graph() -> None:
    g = nx.Graph([(0, 1), (1, 2)])  # path of three
    g.add_edge(3, 4)  # a pair
    g.add_node(5)  # an isolate
    e = centrality.eigenvector(g)
    share_path, share_pair = 3 / 6, 2 / 6
    assert e[1] == pytest.approx(share_path * 2**-0.5)
    assert e[0] == pytest.approx(share_path * 0.5)
    assert e[3] == pytest.approx(share_pair * 2**-0.5) and e[4] == pytest.approx(e[3])
    assert e[5] == 0.0


def test_eigenvector_of_a_connected_graph_is_networkx() -> None:
    g = nx.karate_club_graph()
    assert centrality.eigenvector(g) == pytest.approx(
        nx.eigenvector_centrality_numpy(g, weight=None), abs=1e-6
    )


def test_pagerank_and_core_number() -> None:
    p = centrality.pagerank(nx.cycle_graph(4))
    assert list(p.values()) == pytest.approx([0.25] * 4)
    g = nx.complete_graph(4)
    g.add_edge(3, 4)
    assert centrality.core_number(g) == {0: 3, 1: 3, 2: 3, 3: 3, 4: 1}


def scattered(seed: int = 7) -> nx.Graph:
    """A skewed network of 600 nodes (one large component), a component of 5 and an isolate."""
    g = nx.barabasi_albert_graph(600, 2, seed=seed)
    nx.add_path(g, ["p0", "p1", "p2", "p3", "p4"])
    g.add_node("alone")
    return g


def spearman(a: dict, b: dict) -> float:
    from scipy.stats import spearmanr

    nodes = list(a)
    return float(spearmanr([a[v] for v in nodes], [b[v] for v in nodes]).statistic)


@pytest.mark.parametrize("fn", [centrality.closeness, centrality.harmonic])
def test_closeness_is_exact_up_to_the_limit(fn) -> None:
    g = scattered()
    assert centrality.closeness_sample(g) is None  # 606 nodes: exact by default
    reference = nx.closeness_centrality if fn is centrality.closeness else nx.harmonic_centrality
    assert fn(g) == pytest.approx(reference(g))


def test_sampled_closeness_draws_k_sources_per_large_component() -> None:
    g = scattered()
    sample = centrality.closeness_sample(g, exact_max_nodes=100)
    # the large component gives CLOSENESS_SAMPLES of its 600 nodes, the small ones all theirs
    expected = centrality.CLOSENESS_SAMPLES + 5 + 1
    assert sample == centrality.Sample("eppstein-wang", expected, 606, centrality.DEFAULT_SEED)
    sample = centrality.closeness_sample(g, k=50, exact_max_nodes=100)
    assert sample is not None and (sample.size, sample.nodes) == (50 + 5 + 1, 606)
    # every node a source: the estimate is the exact value
    assert centrality.closeness(g, k=600, exact_max_nodes=100) == pytest.approx(nx.closeness_centrality(g))


@pytest.mark.parametrize("fn", [centrality.closeness, centrality.harmonic])
def test_sampled_closeness_is_deterministic_close_and_the_same_on_both_back_ends(fn) -> None:
    g = scattered()
    exact = fn(g)
    estimate = fn(g, k=60, exact_max_nodes=100)
    assert estimate == fn(g, k=60, exact_max_nodes=100)
    assert estimate == pytest.approx(fn(g, k=60, exact_max_nodes=100, backend="networkx"))
    assert estimate != pytest.approx(exact)  # an estimate, not the exact values
    assert spearman(exact, estimate) > 0.95
    # the small components (at most k nodes) and the isolate are exact
    for v in ("p0", "p2", "alone"):
        assert estimate[v] == pytest.approx(exact[v])
    with pytest.raises(ValueError):
        fn(g, k=60, exact_max_nodes=100, backend="graph-tool")


def test_sampled_distance_sums_are_within_the_documented_bound() -> None:
    # Hoeffding: |estimated - exact mean distance| > eps * diameter with probability
    # <= 2 exp(-2 k eps^2); for k = 80 and eps = 0.25, 9e-5 per node
    g = nx.barabasi_albert_graph(800, 1, seed=3)  # a tree: long, uneven distances
    diameter = nx.diameter(g)
    exact = centrality.reach_and_distance(g)
    estimate = centrality.reach_and_distance(g, k=80, exact_max_nodes=100)
    errors = [abs(estimate[v][1] - exact[v][1]) / (exact[v][0] - 1) for v in g]
    assert {v: r for v, (r, _) in estimate.items()} == {v: r for v, (r, _) in exact.items()}
    assert max(errors) <= 0.25 * diameter
    assert max(errors) > 0  # the sums are estimated


def test_sources_keep_their_exact_sums() -> None:
    g = nx.path_graph(7)
    exact = centrality.reach_and_distance(g)
    estimate = centrality.reach_and_distance(g, k=2, exact_max_nodes=1)
    exact_nodes = [v for v in g if estimate[v] == exact[v]]
    assert len(exact_nodes) >= 2


def test_directed_closeness_stays_exact() -> None:
    g = nx.gn_graph(300, seed=2)
    assert centrality.closeness_sample(g, exact_max_nodes=10) is None
    assert centrality.closeness(g, exact_max_nodes=10) == pytest.approx(nx.closeness_centrality(g))


def test_betweenness_sample_describes_the_sources_drawn() -> None:
    g = nx.barabasi_albert_graph(300, 2, seed=1)
    assert centrality.betweenness_sample(g) is None
    # as many default sources (500) as nodes or more: exact
    assert centrality.betweenness_sample(g, exact_max_nodes=100) is None
    sample = centrality.betweenness_sample(g, k=50, exact_max_nodes=100, seed=9)
    assert sample == centrality.Sample("brandes-pich", 50, 300, 9)
    assert sample.header() == "method=brandes-pich; size=50; nodes=300; seed=9"


@pytest.mark.parametrize("directed", [False, True])
def test_core_number_on_igraph_equals_networkx(directed: bool) -> None:
    g = nx.les_miserables_graph()
    if directed:
        g = nx.gnp_random_graph(200, 0.05, seed=4, directed=True)
    g.add_edge(next(iter(g)), next(iter(g)))  # a self-loop: left out, as NetworkX requires
    h = g.copy()
    h.remove_edges_from(nx.selfloop_edges(h))
    assert centrality.core_number(g) == nx.core_number(h)
    assert centrality.core_number(g, backend="networkx") == nx.core_number(h)


def test_seeded_igraph_restores_the_generator() -> None:
    import random

    import igraph

    g = igraph.Graph.Famous("Zachary")
    with centrality.seeded_igraph(5):
        first = g.community_multilevel().membership
    with centrality.seeded_igraph(5):
        again = g.community_multilevel().membership
    assert first == again
    random.seed(1)
    expected = random.random()
    random.seed(1)
    with centrality.seeded_igraph(5):
        pass
    assert random.random() == expected  # the module's own state is untouched
