"""Louvain communities with a fixed seed."""

from __future__ import annotations

import networkx as nx
import pytest

from coopgraph.network import communities
from support.network_graphs import bridged_cliques


def test_two_cliques_are_two_communities() -> None:
    g = bridged_cliques()
    membership = communities.louvain(g)
    assert membership == {v: (0 if v < 4 else 1) for v in range(8)}
    # two halves of 6 + 1 inner edges each: Q = 2 * (6/13 - (13/26)^2)
    assert communities.modularity(g, membership) == pytest.approx(2 * (6 / 13 - 0.25))


def test_louvain_is_deterministic() -> None:
    g = nx.les_miserables_graph()
    assert communities.louvain(g) == communities.louvain(g)


def test_summary_orders_members_by_degree() -> None:
    g = nx.Graph([(0, 1), (0, 2), (0, 3), (4, 5)])
    groups = communities.summarise(g, communities.louvain(g), top=1)
    assert [(c.size, c.top) for c in groups] == [(4, [0]), (2, [4])]


def test_igraph_louvain_above_the_networkx_limit() -> None:
    g = bridged_cliques()
    # 8 nodes > networkx_max_nodes: igraph's community_multilevel, same two communities
    assert communities.louvain(g, networkx_max_nodes=4) == {v: (0 if v < 4 else 1) for v in range(8)}
    assert communities.louvain(g, backend="igraph") == communities.louvain(g)


def test_igraph_louvain_is_deterministic_and_as_good_as_networkx() -> None:
    g = nx.planted_partition_graph(8, 40, 0.3, 0.01, seed=5)
    on_igraph = communities.louvain(g, backend="igraph")
    assert on_igraph == communities.louvain(g, backend="igraph")
    assert on_igraph == communities.louvain(g, networkx_max_nodes=100)  # 320 nodes: igraph
    assert set(on_igraph.values()) == set(range(max(on_igraph.values()) + 1))  # numbered from 0
    reference = communities.modularity(g, communities.louvain(g, backend="networkx"))
    assert communities.modularity(g, on_igraph) == pytest.approx(reference, abs=0.02)


def test_a_directed_network_stays_on_networkx() -> None:
    g = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    assert communities.louvain(g, networkx_max_nodes=2) == communities.louvain(g, backend="networkx")
