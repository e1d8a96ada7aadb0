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
