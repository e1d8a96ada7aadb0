"""Tests of coopgraph.linkeddata.serialize: graph formats give the union, dataset formats keep graphs."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic

from coopgraph.linkeddata import LinkedData
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES
from coopgraph.linkeddata.serialize import serialize
from coopgraph.namespaces import CG
from coopgraph.negotiation import by_extension
from support.linkeddata_samples import ATLANTIS, GRAPH_A, GRAPH_B


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf", "nt"])
def test_graph_formats_parse_back_to_the_union(small_ld: LinkedData, ext: str) -> None:
    d = small_ld.describe("party/atlantis")
    media = by_extension(ext, RESOURCE_MEDIA_TYPES)
    assert media is not None
    parsed = rdflib.Graph().parse(
        data=serialize(d.quads(), media),
        format={"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}[ext],
    )
    expected = rdflib.Graph().parse(
        data=serialize(d.quads(), by_extension("nt", RESOURCE_MEDIA_TYPES)), format="nt"
    )  # type: ignore[arg-type]
    assert isomorphic(parsed, expected)
    assert (
        rdflib.URIRef(ATLANTIS.value),
        rdflib.URIRef(str(CG.iso3166Alpha2)),
        rdflib.Literal("AT"),
    ) in parsed


@pytest.mark.parametrize("ext", ["nq", "trig"])
def test_dataset_formats_keep_source_graphs(small_ld: LinkedData, ext: str) -> None:
    d = small_ld.describe("party/atlantis")
    media = by_extension(ext, RESOURCE_MEDIA_TYPES)
    assert media is not None
    dataset = rdflib.Dataset().parse(
        data=serialize(d.quads(), media), format={"nq": "nquads", "trig": "trig"}[ext]
    )
    graphs = {str(c.identifier) for c in dataset.graphs() if len(c)}
    assert {GRAPH_A, GRAPH_B} <= graphs
    iso = (rdflib.URIRef(ATLANTIS.value), rdflib.URIRef(str(CG.iso3166Alpha2)), rdflib.Literal("AT"))
    assert iso in dataset.graph(rdflib.URIRef(GRAPH_A))
    assert iso not in dataset.graph(rdflib.URIRef(GRAPH_B))


def test_jsonld_is_compacted_with_the_published_context(small_ld: LinkedData) -> None:
    text = serialize(
        small_ld.describe("party/atlantis").quads(), by_extension("jsonld", RESOURCE_MEDIA_TYPES)
    ).decode()  # type: ignore[arg-type]
    assert '"cg": "https://w3id.org/coopgraph/def#"' in text
    assert "cg:iso3166Alpha2" in text
