"""Tests of coopgraph.linkeddata.dataset: VoID counts, dumps and export."""

from __future__ import annotations

import gzip
from pathlib import Path

import rdflib
from rdflib.namespace import RDF

from coopgraph.linkeddata import LinkedData
from coopgraph.linkeddata.dataset import export
from coopgraph.namespaces import VOID
from coopgraph.store import EmbeddedStore


def test_void_counts_match_the_store(project_ld: LinkedData, project_store: EmbeddedStore) -> None:
    void = project_ld.void("http://h/")
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    quads = list(project_store.quads())
    assert int(void.value(dataset, VOID.triples)) == len(quads)  # type: ignore[arg-type]
    subsets = {str(s): int(void.value(s, VOID.triples)) for s in void.objects(dataset, VOID.subset)}  # type: ignore[arg-type]
    assert subsets == {g: project_store.graph_size(g) for g in project_store.named_graphs()}
    properties = {q.predicate for q in quads}
    assert int(void.value(dataset, VOID.properties)) == len(properties)  # type: ignore[arg-type]
    assert len(list(void.objects(dataset, VOID.propertyPartition))) == len(properties)


def quad_count(dataset: rdflib.Dataset) -> int:
    return sum(len(g) for g in dataset.graphs())


def test_dumps_and_export_round_trip(
    project_ld: LinkedData, project_store: EmbeddedStore, tmp_path: Path
) -> None:
    quads = sum(1 for _ in project_store.quads())
    nq = rdflib.Dataset().parse(data=gzip.decompress(project_ld.dump("coopgraph.nq.gz")), format="nquads")
    assert quad_count(nq) == quads
    triples = {q.triple for q in project_store.quads()}
    ttl = rdflib.Graph().parse(data=gzip.decompress(project_ld.dump("coopgraph.ttl.gz")), format="turtle")
    assert len(ttl) == len(triples)
    out = tmp_path / "all.jsonld"
    export(project_store, "jsonld", out)
    assert quad_count(rdflib.Dataset().parse(out, format="json-ld")) == quads
