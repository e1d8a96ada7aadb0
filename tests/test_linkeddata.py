"""Tests of coopgraph.linkeddata: descriptions, serialisation, suggestions, VoID, dumps, docs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from coopgraph.config import Settings
from coopgraph.errors import ParameterError
from coopgraph.linkeddata import (
    FORMATS,
    LinkedData,
    OntologyDoc,
    ResourceNotFound,
    ShapesDoc,
    describe,
    export,
    format_override,
    local_url,
    parse_accept_language,
    pick_label,
    serialize,
    split_extension,
)
from coopgraph.namespaces import CG, ID, VOID
from coopgraph.negotiation import by_extension
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

# Two source graphs that both speak of one resource, one through a blank node.
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


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("ld")
    store = EmbeddedStore(None)
    for name, text, graph in [("a.ttl", DOC_A, GRAPH_A), ("b.ttl", DOC_B, GRAPH_B)]:
        path = folder / name
        path.write_text(text, "utf-8")
        store.replace_graph(graph, [path])
    return store


@pytest.fixture(scope="module")
def small_ld(small_store: EmbeddedStore, settings: Settings, catalogue: QueryCatalogue) -> LinkedData:
    return LinkedData(small_store, settings, catalogue)


@pytest.fixture(scope="module")
def project_ld(project_store: EmbeddedStore, settings: Settings, catalogue: QueryCatalogue) -> LinkedData:
    return LinkedData(project_store, settings, catalogue)


def test_description_has_outgoing_blank_nodes_incoming_and_graphs(
    small_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    d = describe(small_store, catalogue, ATLANTIS)
    own = {
        (q.predicate.value, q.object.value, q.graph_name.value) for q in d.statements if q.subject == ATLANTIS
    }
    assert (str(CG.iso3166Alpha2), "AT", GRAPH_A) in own
    derivation = next(q.object for q in d.statements if q.predicate.value == str(PROV.qualifiedDerivation))
    assert isinstance(derivation, ox.BlankNode)
    held = {(q.predicate.value, q.object.value) for q in d.statements if q.subject == derivation}
    assert (str(CG.locator), "Section 2") in held
    assert (str(CG.quote), "Atlantis takes part.") in held
    incoming = {
        (q.subject.value, q.predicate.value, q.graph_name.value) for q in d.incoming if q.object == ATLANTIS
    }
    assert (str(ID["programme/sea-fund"]), str(CG.hasParticipant), GRAPH_B) in incoming
    # the participation blank node is kept with the programme that holds it
    participation = [q for q in d.incoming if q.predicate.value == str(CG.agent)]
    assert len(participation) == 1
    holder = [q for q in d.incoming if q.object == participation[0].subject]
    assert holder[0].subject.value == str(ID["programme/sea-fund"])
    # labels and types of the nodes it mentions, from the graph that states them
    context = {(q.subject.value, q.predicate.value, q.graph_name.value) for q in d.context}
    assert (str(ID["programme/sea-fund"]), str(RDFS.label), GRAPH_B) in context
    assert (str(ID["programme/sea-fund"]), str(RDF.type), GRAPH_B) in context


def test_unknown_resource_is_empty_and_raises_with_suggestions(small_ld: LinkedData) -> None:
    assert not describe(small_ld.store, small_ld.catalogue, ox.NamedNode(str(ID["party/nowhere"]))).quads()
    with pytest.raises(ResourceNotFound) as info:
        small_ld.describe("party/atlantiss")
    assert info.value.suggestions[0][0] == str(ID["party/atlantis"])
    with pytest.raises(ResourceNotFound):
        small_ld.describe("party/<script>")


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf", "nt"])
def test_graph_formats_parse_back_to_the_union(small_ld: LinkedData, ext: str) -> None:
    d = small_ld.describe("party/atlantis")
    media = by_extension(ext, FORMATS)
    assert media is not None
    parsed = rdflib.Graph().parse(
        data=serialize(d.quads(), media),
        format={"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}[ext],
    )
    expected = rdflib.Graph().parse(data=serialize(d.quads(), by_extension("nt", FORMATS)), format="nt")  # type: ignore[arg-type]
    assert isomorphic(parsed, expected)
    assert (
        rdflib.URIRef(ATLANTIS.value),
        rdflib.URIRef(str(CG.iso3166Alpha2)),
        rdflib.Literal("AT"),
    ) in parsed


@pytest.mark.parametrize("ext", ["nq", "trig"])
def test_dataset_formats_keep_source_graphs(small_ld: LinkedData, ext: str) -> None:
    d = small_ld.describe("party/atlantis")
    media = by_extension(ext, FORMATS)
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
    text = serialize(small_ld.describe("party/atlantis").quads(), by_extension("jsonld", FORMATS)).decode()  # type: ignore[arg-type]
    assert '"cg": "https://w3id.org/coopgraph/def#"' in text
    assert "cg:iso3166Alpha2" in text


def test_helpers() -> None:
    assert split_extension("party/colombia.nq")[1] is by_extension("nq", FORMATS)
    assert split_extension("article/12-a") == ("article/12-a", None)
    assert format_override("trig") is by_extension("trig", FORMATS)
    with pytest.raises(ParameterError, match="format"):
        format_override("xlsx")
    assert parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8") == ["fr", "en"]
    assert pick_label({"en": "Spain", "es": "España"}, ["es"]) == "España"
    assert local_url("https://w3id.org/coopgraph/def#Country", "http://h/") == "http://h/def#Country"


def test_resource_page_speaks_the_asked_language_and_shows_sources(small_ld: LinkedData) -> None:
    d = small_ld.describe("party/atlantis")
    spanish = small_ld.resource_page(d, "http://h/", ["es"])
    assert '<h1 lang="es">Atlántida</h1>' in spanish
    english = small_ld.resource_page(d, "http://h/", ["de"])
    assert '<h1 lang="en">Atlantis</h1>' in english
    assert "Section 2" in english and "Atlantis takes part." in english
    assert 'href="http://h/id/programme/sea-fund"' in english
    # partners: Lemuria shares the programme
    assert 'href="http://h/id/party/lemuria"' in english
    assert (
        "sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fcoopgraph%2Fid%2Fparty%2Fatlantis%3E" in english
    )


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


def test_ontology_and_shapes_docs(settings: Settings) -> None:
    doc = OntologyDoc(settings.ontology_dir)
    country = next(c for c in doc.classes if c.name == "Country")
    assert "País" in country.labels.values()
    assert ("Subclass of", sorted(country.relations[0][1])) == country.relations[0]
    assert doc.schemes and all(s.children for s in doc.schemes)
    shapes = ShapesDoc(settings.shapes_dir)
    assert any(p["messages"] for s in shapes.shapes for p in s.properties)
