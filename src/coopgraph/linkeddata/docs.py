"""The ontology and shapes documentation behind ``/def`` and ``/shapes``, read once at start time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from coopgraph.linkeddata.labels import pick_label, qname
from coopgraph.namespaces import CG, DEF_IRI

_TERM_RELATIONS = [
    ("Subclass of", RDFS.subClassOf),
    ("Equivalent to", OWL.equivalentClass),
    ("Disjoint with", OWL.disjointWith),
    ("Sub-property of", RDFS.subPropertyOf),
    ("Equivalent property", OWL.equivalentProperty),
    ("Inverse of", OWL.inverseOf),
    ("Domain", RDFS.domain),
    ("Range", RDFS.range),
    ("Type", RDF.type),
]
_CONCEPT_RELATIONS = [
    ("Exact match", SKOS.exactMatch),
    ("Close match", SKOS.closeMatch),
    ("Broad match", SKOS.broadMatch),
    ("Related", SKOS.related),
]
_MAX_CONCEPT_DEPTH = 8


@dataclass
class TermDoc:
    """One class, property or concept of the ontology, ready for the documentation page."""

    iri: str
    name: str
    kind: str
    labels: dict[str, str]
    definition: str = ""
    notes: list[str] = field(default_factory=list)
    examples_text: list[str] = field(default_factory=list)
    relations: list[tuple[str, list[str]]] = field(default_factory=list)
    children: list[TermDoc] = field(default_factory=list)


def literals(graph: rdflib.Graph, node: rdflib.term.Node, *predicates: rdflib.URIRef) -> dict[str, str]:
    """The first literal of each language among ``node``'s values of ``predicates``.

    Parameters
    ----------
    graph
        The graph to read.
    node
        The subject.
    predicates
        The predicates to read, in order (default ``rdfs:label``).

    Examples
    --------
    >>> g = rdflib.Graph().parse(data='<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "X"@en .', format="nt")
    >>> literals(g, rdflib.URIRef("urn:x"))
    {'en': 'X'}
    """
    labels: dict[str, str] = {}
    for predicate in predicates or (RDFS.label,):
        for value in graph.objects(node, predicate):
            if isinstance(value, rdflib.Literal):
                labels.setdefault(value.language or "", str(value))
    return labels


def _en(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> str:
    return pick_label(literals(graph, node, predicate), ["en"]) or ""


def curie(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A prefixed name for ``node``: the project's prefixes first, then the graph's own.

    Examples
    --------
    >>> g = rdflib.Graph(); g.bind("ex", "http://example.org/")
    >>> curie(g, rdflib.URIRef("https://w3id.org/coopgraph/def#Country")), curie(g, rdflib.URIRef("http://example.org/a"))
    ('cg:Country', 'ex:a')
    """
    text = qname(str(node))
    if text != str(node) or not isinstance(node, rdflib.URIRef):
        return text
    try:
        return graph.namespace_manager.normalizeUri(node)
    except (ValueError, KeyError):  # pragma: no cover - odd IRIs
        return str(node)


class OntologyDoc:
    """The ontology (``ontology/coopgraph.ttl``) and concept schemes.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> doc = OntologyDoc(Settings().ontology_dir)
    >>> any(c.name == "Country" for c in doc.classes)
    True
    """

    def __init__(self, ontology_dir: Path) -> None:
        self.ontology = rdflib.Graph().parse(ontology_dir / "coopgraph.ttl", format="turtle")
        vocab_path = ontology_dir / "vocabularies.ttl"
        self.vocabularies = rdflib.Graph()
        if vocab_path.exists():
            self.vocabularies.parse(vocab_path, format="turtle")
        self.merged = self.ontology + self.vocabularies
        for prefix, ns in self.ontology.namespaces():
            self.merged.bind(prefix, ns)
        ontology_node = rdflib.URIRef(DEF_IRI)
        self.title = _en(self.ontology, ontology_node, DCTERMS.title) or "coopgraph ontology"
        self.description = _en(self.ontology, ontology_node, DCTERMS.description)
        self.version = str(self.ontology.value(ontology_node, OWL.versionInfo) or "")
        license_node = self.ontology.value(ontology_node, DCTERMS.license)
        self.license = str(license_node) if license_node is not None else None
        self.classes = self._terms([OWL.Class], "class")
        self.properties = self._terms(
            [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty], "property"
        )
        self.schemes = [
            self._scheme(s) for s in sorted(self.vocabularies.subjects(RDF.type, SKOS.ConceptScheme), key=str)
        ]
        self.namespace_prefixes = {p: str(ns) for p, ns in self.merged.namespaces() if p}

    def curie(self, node: rdflib.term.Node) -> str:
        """A prefixed name for a node of the ontology (using its own prefixes too)."""
        return curie(self.merged, node)

    def _terms(self, types: list[rdflib.URIRef], kind: str) -> list[TermDoc]:
        own = str(CG)
        subjects: dict[str, rdflib.URIRef] = {}
        for rdf_type in types:
            for s in self.ontology.subjects(RDF.type, rdf_type):
                if isinstance(s, rdflib.URIRef) and str(s).startswith(own):
                    subjects[str(s)] = s
        return [self._term(iri, node, kind) for iri, node in sorted(subjects.items())]

    def _term(self, iri: str, node: rdflib.URIRef, kind: str) -> TermDoc:
        g = self.ontology
        return TermDoc(
            iri=iri,
            name=iri[len(str(CG)) :],
            kind=kind,
            labels=literals(g, node),
            definition=_en(g, node, SKOS.definition) or _en(g, node, RDFS.comment),
            notes=[str(v) for v in g.objects(node, SKOS.scopeNote)],
            examples_text=[str(v) for v in g.objects(node, SKOS.example)],
            relations=self._relations(node, kind),
        )

    def _relations(self, node: rdflib.URIRef, kind: str) -> list[tuple[str, list[str]]]:
        g = self.ontology
        relations: list[tuple[str, list[str]]] = []
        for title, predicate in _TERM_RELATIONS:
            values = sorted(str(v) for v in g.objects(node, predicate) if isinstance(v, rdflib.URIRef))
            if predicate == RDF.type:
                values = [v for v in values if v != str(OWL.Class)]
            if values:
                relations.append((title, values))
        if kind == "class":
            inverse: list[tuple[str, list[rdflib.term.Node]]] = [
                (
                    "Superclass of",
                    [s for s in g.subjects(RDFS.subClassOf, node) if isinstance(s, rdflib.URIRef)],
                ),
                ("In the domain of", list(g.subjects(RDFS.domain, node))),
                ("In the range of", list(g.subjects(RDFS.range, node))),
            ]
            relations.extend(
                (title, sorted(str(s) for s in subjects)) for title, subjects in inverse if subjects
            )
        return relations

    def _scheme(self, scheme: rdflib.term.Node) -> TermDoc:
        g = self.vocabularies
        concepts = [c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, rdflib.URIRef)]
        narrower: dict[str, list[rdflib.URIRef]] = defaultdict(list)
        tops: list[rdflib.URIRef] = []
        for concept in concepts:
            broader = [b for b in g.objects(concept, SKOS.broader) if b in concepts]
            for b in broader:
                narrower[str(b)].append(concept)
            if not broader:
                tops.append(concept)
        return TermDoc(
            iri=str(scheme),
            name=str(scheme).rsplit("/", 1)[-1],
            kind="scheme",
            labels=literals(g, scheme, SKOS.prefLabel, RDFS.label),
            definition=_en(g, scheme, SKOS.definition),
            children=[self._concept(c, narrower) for c in sorted(tops, key=str)],
        )

    def _concept(
        self, concept: rdflib.URIRef, narrower: dict[str, list[rdflib.URIRef]], depth: int = 0
    ) -> TermDoc:
        g = self.vocabularies
        relations = [
            (title, sorted(str(v) for v in g.objects(concept, predicate)))
            for title, predicate in _CONCEPT_RELATIONS
        ]
        children = sorted(narrower.get(str(concept), []), key=str)
        return TermDoc(
            iri=str(concept),
            name=str(g.value(concept, SKOS.notation) or str(concept).rsplit("/", 1)[-1]),
            kind="concept",
            labels=literals(g, concept, SKOS.prefLabel, RDFS.label),
            definition=_en(g, concept, SKOS.definition),
            notes=[str(v) for v in g.objects(concept, SKOS.altLabel)],
            relations=[(t, v) for t, v in relations if v],
            children=[self._concept(c, narrower, depth + 1) for c in children]
            if depth < _MAX_CONCEPT_DEPTH
            else [],
        )


@dataclass
class ShapeDoc:
    """One SHACL node shape, for the shapes page."""

    iri: str
    name: str
    description: str
    targets: list[tuple[str, str]]
    properties: list[dict[str, Any]]


class ShapesDoc:
    """The SHACL shapes of ``shapes/``.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> doc = ShapesDoc(Settings().shapes_dir)
    >>> any(s.targets for s in doc.shapes)
    True
    """

    _TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    _SKIP = frozenset({SH.path, SH.name, SH.message, SH.description, SH.order, SH.group})

    def __init__(self, shapes_dir: Path) -> None:
        self.graph = rdflib.Graph()
        for path in sorted(shapes_dir.glob("*.ttl")):
            self.graph.parse(path, format="turtle")
        g = self.graph
        nodes = set(g.subjects(RDF.type, SH.NodeShape)) | {
            s for t in self._TARGETS for s in g.subjects(t, None)
        }
        self.shapes = [
            self._shape(node) for node in sorted((n for n in nodes if isinstance(n, rdflib.URIRef)), key=str)
        ]

    def curie(self, node: rdflib.term.Node) -> str:
        """A prefixed name for a node of the shapes graph (using its own prefixes too)."""
        return curie(self.graph, node)

    def _shape(self, node: rdflib.URIRef) -> ShapeDoc:
        g = self.graph
        properties = sorted(
            (self._property(p) for p in g.objects(node, SH.property)), key=lambda p: p["path"]
        )
        return ShapeDoc(
            iri=str(node),
            name=_en(g, node, SH.name) or str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            description=_en(g, node, SH.description) or _en(g, node, RDFS.comment),
            targets=[(self.curie(t), str(v)) for t in self._TARGETS for v in g.objects(node, t)],
            properties=properties,
        )

    def _property(self, prop: rdflib.term.Node) -> dict[str, Any]:
        g = self.graph
        shape_path = g.value(prop, SH.path)
        constraints = [
            (self.curie(p), self._show(o))
            for p, o in g.predicate_objects(prop)
            if p not in self._SKIP and p != RDF.type
        ]
        return {
            "path": self._show(shape_path) if shape_path is not None else "",
            "name": _en(g, prop, SH.name),
            "messages": literals(g, prop, SH.message),
            "constraints": sorted(constraints),
        }

    def _show(self, node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.URIRef):
            return self.curie(node)
        if isinstance(node, rdflib.Literal):
            return str(node)
        items = list(Collection(self.graph, node)) if (node, RDF.first, None) in self.graph else []
        if items:
            return "(" + " ".join(self._show(i) for i in items) + ")"
        inverse = self.graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + self._show(inverse)
        return "[…]"
