"""Two-mode measures on a small bipartite network."""

from __future__ import annotations

import networkx as nx
import pytest

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
