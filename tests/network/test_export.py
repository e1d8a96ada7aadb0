"""Exports read back with NetworkX and igraph give the same nodes, edges and weights."""

from __future__ import annotations

import io
import json

import igraph
import networkx as nx
import pytest

from coopgraph.network import export
from coopgraph.network.projections import project
from support.network_graphs import P1, A, B


@pytest.fixture()
def co(small_store, small_catalogue) -> nx.Graph:
    return project(small_store, "co-participation", small_catalogue)


def weights(g: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((u, v)): float(d["weight"]) for u, v, d in g.edges(data=True)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_read_back_with_networkx(co: nx.Graph, fmt: str) -> None:
    data = export.export(co, fmt, {"degree": dict(co.degree())})
    back = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    assert set(back) == set(co)
    assert weights(back) == weights(co)
    edge = back.edges[A, B]
    assert json.loads(edge["activities"]) == co.edges[A, B]["activities"]
    assert edge["activity_labels"] == "; ".join(co.edges[A, B]["activity_labels"])
    assert back.nodes[A]["label"] == "A-land" and int(back.nodes[A]["degree"]) == co.degree(A)


def test_graphml_read_back_with_igraph(co: nx.Graph, tmp_path) -> None:
    path = tmp_path / "co.graphml"
    path.write_bytes(export.to_graphml(co))
    g = igraph.Graph.Read_GraphML(str(path))
    iris = g.vs["iri"]
    assert set(iris) == set(co)
    read = {frozenset((iris[e.source], iris[e.target])): e["weight"] for e in g.es}
    assert read == weights(co)


def test_funding_export_keeps_currency_weights_apart(small_store, small_catalogue) -> None:
    g = project(small_store, "funding", small_catalogue)
    back = nx.read_graphml(io.BytesIO(export.to_graphml(g)))
    assert back.is_directed()
    assert back.edges[A, P1]["weight_USD"] == pytest.approx(100.0)
    assert back.edges[A, P1]["weight_EUR"] == pytest.approx(50.0)


def test_node_link_json_keeps_lists(co: nx.Graph) -> None:
    doc = json.loads(export.export(co, "json"))
    assert {n["id"] for n in doc["nodes"]} == set(co)
    ab = next(e for e in doc["edges"] if {e["source"], e["target"]} == {A, B})
    assert ab["activities"] == co.edges[A, B]["activities"] and ab["weight"] == 2
