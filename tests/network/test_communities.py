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
