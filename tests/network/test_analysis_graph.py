"""Publishing the scores as cg:NetworkMeasurement nodes in graph/analysis."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.namespaces import ANALYSIS_GRAPH, resource_iri
from coopgraph.network.analysis_graph import publish
from coopgraph.network.measures import ranking
from coopgraph.network.projections import project
from support.network_graphs import B, load_small_store

QUERY = """
PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT ?value ?rank ?filters WHERE {
  GRAPH ?g {
    ?m a cg:NetworkMeasurement ; cg:measuredNode ?node ; cg:measure ?measure ;
       cg:projection ?projection ; cg:value ?value ; cg:rank ?rank ; cg:filters ?filters .
  }
}
"""


def test_published_scores_are_queryable(tmp_path, small_catalogue) -> None:
    store = load_small_store(tmp_path)
    expected = {r["iri"]: r for r in ranking(project(store, "co-participation", small_catalogue), "degree")}
    size = publish(store, small_catalogue)
    assert size > 0
    assert str(ANALYSIS_GRAPH) in store.named_graphs()
    rows = store.select(
        QUERY,
        {
            "g": ox.NamedNode(str(ANALYSIS_GRAPH)),
            "node": ox.NamedNode(B),
            "measure": ox.NamedNode(str(resource_iri("network-measure", "degree"))),
            "projection": ox.NamedNode(str(resource_iri("projection", "co-participation"))),
        },
    )
    assert len(rows) == 1
    assert float(rows[0]["value"].value) == pytest.approx(expected[B]["value"])
    assert int(rows[0]["rank"].value) == expected[B]["rank"]
    # publishing again replaces the graph rather than adding to it
    assert publish(store, small_catalogue) == size
