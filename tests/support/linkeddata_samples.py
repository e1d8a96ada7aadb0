"""Two small source documents that both speak of one resource, one through a blank node; and the
resources a store publishes under ``/id/``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from coopgraph.namespaces import ID, ID_BASE
from coopgraph.store import EmbeddedStore

DOC_A = """
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix id: <https://w3id.org/coopgraph/id/> .
<https://w3id.org/coopgraph/id/party/atlantis> a cg:Country ;
    rdfs:label "Atlantis"@en , "Atlántida"@es ;
    cg:iso3166Alpha2 "AT" ;
    prov:qualifiedDerivation [ a prov:Derivation ;
        prov:entity <https://w3id.org/coopgraph/id/source/doc-a> ;
        cg:locator "Section 2" ; cg:quote "Atlantis takes part." ] .
<https://w3id.org/coopgraph/id/source/doc-a> rdfs:label "Document A"@en .
"""
DOC_B = """
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/coopgraph/id/programme/sea-fund> a cg:Programme ;
    rdfs:label "Sea fund"@en ;
    cg:hasParticipant <https://w3id.org/coopgraph/id/party/atlantis> ,
        <https://w3id.org/coopgraph/id/party/lemuria> ;
    cg:hasParticipation [ a cg:Participation ; cg:agent <https://w3id.org/coopgraph/id/party/atlantis> ] .
<https://w3id.org/coopgraph/id/party/lemuria> a cg:Country ; rdfs:label "Lemuria"@en .
"""
GRAPH_A = "https://w3id.org/coopgraph/graph/doc-a"
GRAPH_B = "https://w3id.org/coopgraph/graph/doc-b"
ATLANTIS = ox.NamedNode(str(ID["party/atlantis"]))


def small_store(folder: Path) -> EmbeddedStore:
    """An in-memory store holding ``DOC_A`` in ``GRAPH_A`` and ``DOC_B`` in ``GRAPH_B``."""
    store = EmbeddedStore(None)
    for name, text, graph in [("a.ttl", DOC_A, GRAPH_A), ("b.ttl", DOC_B, GRAPH_B)]:
        path = folder / name
        path.write_text(text, "utf-8")
        store.replace_graph(graph, [path])
    return store


def published_iris(store: EmbeddedStore) -> list[str]:
    """Every IRI under ``/id/`` that a triple of ``store`` describes, sorted."""
    return sorted({q.subject.value for q in store.quads() if q.subject.value.startswith(ID_BASE)})
