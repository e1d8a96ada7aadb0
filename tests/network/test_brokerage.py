"""Burt's constraint and effective size on known graphs."""

from __future__ import annotations

import networkx as nx
import pytest

from coopgraph.network import brokerage
from support.network_graphs import bridged_cliques


def test_bridge_nodes_are_the_brokers() -> None:
    g = bridged_cliques()
    c = brokerage.constraint(g)
    s = brokerage.effective_size(g)
    assert min(c, key=c.__getitem__) in (3, 4)
    assert c[3] == pytest.approx(c[4]) and c[3] < min(c[v] for v in (0, 1, 2, 5, 6, 7))
    # n - 2t/n: a bridge end has 4 contacts with 3 ties among them; a clique member 3 with 3
    assert s[3] == pytest.approx(4 - 2 * 3 / 4)
    assert s[0] == pytest.approx(3 - 2 * 3 / 3)
    assert s[3] > max(s[v] for v in (0, 1, 2, 5, 6, 7))


def test_star_values() -> None:
    g = nx.star_graph(4)
    assert brokerage.constraint(g)[0] == pytest.approx(0.25)  # four contacts of 1/4 each, squared
    assert brokerage.effective_size(g)[0] == pytest.approx(4.0)
    assert brokerage.constraint(g)[1] == pytest.approx(1.0)


def test_isolates_are_left_out() -> None:
    g = nx.Graph([(0, 1)])
    g.add_node(2)
    assert 2 not in brokerage.constraint(g)
    assert 2 not in brokerage.effective_size(g)


@pytest.mark.parametrize("weighted", [False, True])
def test_fast_paths_agree_with_networkx(weighted: bool) -> None:
    g = nx.les_miserables_graph()
    g.add_node("isolate")
    for name in ("constraint", "effective_size"):
        expected = {
            v: c for v, c in getattr(nx, name)(g, weight="weight" if weighted else None).items() if c == c
        }
        assert getattr(brokerage, name)(g, weighted=weighted) == pytest.approx(expected), name
