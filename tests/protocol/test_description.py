"""The SPARQL Service Description."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDFS

from coopgraph.config import Settings
from coopgraph.namespaces import CANONICAL_BASE, SD
from coopgraph.protocol import service_description


def test_service_description_lists_graphs_and_limits() -> None:
    settings = Settings(in_memory=True, max_rows=123)
    graph = service_description("http://h/sparql", [("http://h/g1", 4), ("http://h/g2", 6)], settings)
    service = URIRef("http://h/sparql#service")
    assert (service, URIRef(SD.endpoint), URIRef("http://h/sparql")) in graph
    assert {str(n) for n in graph.objects(None, URIRef(SD.name))} == {"http://h/g1", "http://h/g2"}
    comment = str(next(graph.objects(service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))))
    assert "123 rows" in comment and "X-Coopgraph-Truncated" in comment
    assert f"{settings.max_request_bytes:,} bytes (413" in comment


def test_service_description_states_the_base_of_relative_iris() -> None:
    graph = service_description("http://localhost:9/sparql", [], Settings(in_memory=True))
    comment = str(graph.value(URIRef("http://localhost:9/sparql#service"), RDFS.comment))
    assert f"Relative IRIs in a query resolve against the base IRI {CANONICAL_BASE}" in comment
