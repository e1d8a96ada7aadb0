"""The ontology parses, is documented, and declares every term the knowledge folders use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from coopgraph.config import Settings
from coopgraph.namespaces import CG
from coopgraph.validation import parse_graph, rdf_files

SETTINGS = Settings(in_memory=True)
CG_NS = str(CG)

# Standard vocabularies whose terms the data, shapes and queries may use without declaring them.
STANDARD = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "http://schema.org/",
    "http://www.w3.org/ns/shacl#",
    "http://rdfs.org/ns/void#",
    "http://purl.org/vocab/vann/",
    "http://data.europa.eu/eli/ontology#",
    "http://purl.org/cerif/frapo/",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/ns/sparql-service-description#",
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in rdf_files([SETTINGS.ontology_dir]):
        graph += parse_graph(path)
    return graph


def own_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(CG_NS)}


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/coopgraph/def")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in ("title", "description", "creator", "license", "modified"):
        assert ontology.value(header, URIRef(f"http://purl.org/dc/terms/{prop}")) is not None, prop
    assert ontology.value(header, OWL.versionIRI) is not None


def test_every_term_has_english_label_and_definition(ontology: Graph) -> None:
    missing = []
    for term in own_terms(ontology):
        labels = [lab for lab in ontology.objects(term, RDFS.label) if isinstance(lab, Literal)]
        if not any(lab.language == "en" for lab in labels) or ontology.value(term, SKOS.definition) is None:
            missing.append(term)
    assert missing == []


def test_every_class_and_property_is_typed_and_aligned(ontology: Graph) -> None:
    """Each class specialises or equals a term outside our namespace, or one of our classes that does."""
    for term in own_terms(ontology):
        types = set(ontology.objects(term, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(CG_NS):
            continue
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert any(not str(s).startswith(CG_NS) for s in supers) or ontology.value(cls, SKOS.closeMatch), cls


def test_namespace_module_matches_ontology(ontology: Graph) -> None:
    declared = {str(t)[len(CG_NS) :] for t in own_terms(ontology)}
    in_code = {name for name in CG.__annotations__}
    assert in_code == declared


def test_concept_schemes_have_labels_in_english_and_spanish(ontology: Graph) -> None:
    for concept in ontology.subjects(RDF.type, SKOS.Concept):
        langs = {
            lab.language for lab in ontology.objects(concept, SKOS.prefLabel) if isinstance(lab, Literal)
        }
        assert {"en", "es"} <= langs, concept
        assert ontology.value(concept, SKOS.inScheme) is not None, concept


def _terms_used(paths: list[Path]) -> set[URIRef]:
    used: set[URIRef] = set()
    for path in paths:
        graph = parse_graph(path)
        used |= {p for p in graph.predicates() if isinstance(p, URIRef)}
        used |= {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
        used |= {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(CG_NS)}
    return used


def _declared(ontology: Graph, term: URIRef) -> bool:
    if str(term).startswith(CG_NS):
        return (term, RDF.type, None) in ontology
    return str(term).startswith(STANDARD)


def test_data_and_shapes_use_only_declared_terms(ontology: Graph) -> None:
    files = rdf_files([SETTINGS.instance_dir, SETTINGS.shapes_dir])
    undeclared = sorted(str(t) for t in _terms_used(files) if not _declared(ontology, t))
    assert undeclared == []


def test_queries_use_only_declared_terms(ontology: Graph) -> None:
    iri = re.compile(r"<(https://w3id\.org/coopgraph/def#[A-Za-z]+)>")
    prefixed = re.compile(r"\bcg:([A-Za-z][A-Za-z0-9]*)")
    undeclared = []
    for path in sorted(SETTINGS.queries_dir.rglob("*.rq")):
        text = "\n".join(
            line for line in path.read_text("utf-8").splitlines() if not line.lstrip().startswith("#")
        )
        terms = {URIRef(m) for m in iri.findall(text)} | {URIRef(CG_NS + m) for m in prefixed.findall(text)}
        undeclared += [f"{path.name}: {t}" for t in terms if not _declared(ontology, t)]
    assert undeclared == []
