"""Linked data: resource descriptions, the ontology and shapes documentation, VoID and dumps.

Every resource ``https://w3id.org/coopgraph/id/{kind}/{slug}`` is described by the statements
whose subject it is (with the blank nodes they lead to, two levels deep: qualified derivations,
participations), the statements that point at it, and the ``rdfs:label`` and ``rdf:type`` of every
named node the description mentions. Each statement keeps the named graph it comes from, i.e. its
source document: dataset formats (N-Quads, TriG) keep the graphs, graph formats (Turtle, JSON-LD,
RDF/XML, N-Triples) give their union, and the HTML page lists the documents with their locators
and quotes. The queries are the ``.rq`` files of ``queries/internal/`` with the resource bound as
an RDF term, so the same code runs over the embedded store and a remote endpoint.

Dereferencing: the service answers ``GET /id/...`` **directly with 200** and a
``Content-Location`` naming the concrete document (``/id/party/colombia.ttl``), instead of a 303
redirect to a separate ``/doc/`` URL. Since the W3C TAG's 2012 httpRange-14 resolution a 200 on a
slash IRI is allowed, it saves every client a round trip, and ``Content-Location`` still tells
the thing (the IRI) and the document about it (the URL with an extension) apart.

Conditional requests: the ETag of a response hashes the store's version, the resource and the
format, so a client revalidates for free until the data change; Last-Modified is the moment
this process first saw the current store version.

This module never imports FastAPI: :mod:`coopgraph.api.linkeddata` is the thin router.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import io
import json
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import rdflib
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from coopgraph.config import Settings
from coopgraph.errors import NotFound, ParameterError
from coopgraph.namespaces import (
    ANALYSIS_GRAPH,
    CANONICAL_BASE,
    CG,
    DEF_IRI,
    GRAPH_BASE,
    ID_BASE,
    PREFIXES,
    SHAPES_IRI,
    VOID,
)
from coopgraph.negotiation import DATASET_TYPES, GRAPH_TYPES, HTML, MediaType, by_extension
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store, as_quad

FORMATS: tuple[MediaType, ...] = (*GRAPH_TYPES, *DATASET_TYPES, HTML)
"""What a resource can be served as; Turtle first, the default for ``*/*``."""

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

DATASET_TITLE = "coopgraph: international cultural cooperation under the 2005 Convention"
DATASET_DESCRIPTION = (
    "A knowledge graph of international cultural cooperation under the UNESCO 2005 Convention "
    "(Articles 12-16): the States, organisations and people who cooperate, the programmes, "
    "projects, partnerships, agreements and events through which they do so, the funds that pay "
    "for it, each statement kept in the named graph of the document it is taken from."
)
DUMPS = {"coopgraph.nq.gz": "nquads", "coopgraph.ttl.gz": "turtle"}
"""The dump files the service offers, and their formats."""

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9._~-]*)+$")
_XSD = str(XSD)


# -- small helpers ----------------------------------------------------------------------------
def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context the service publishes at ``/context.jsonld``.

    Built from :data:`coopgraph.namespaces.PREFIXES`; JSON-LD output is compacted with it.

    >>> jsonld_context()["@context"]["cg"]
    'https://w3id.org/coopgraph/def#'
    """
    return {"@context": dict(PREFIXES)}


def split_extension(path: str) -> tuple[str, MediaType | None]:
    """Split a known format extension off a path.

    >>> split_extension("party/colombia.ttl")[0], split_extension("party/colombia.ttl")[1].name
    ('party/colombia', 'turtle')
    >>> split_extension("party/colombia")
    ('party/colombia', None)
    """
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        media = by_extension(ext, FORMATS)
        if media is not None and media.extension == ext.lower():
            return stem, media
    return path, None


def format_override(value: str | None) -> MediaType | None:
    """The format a ``?format=`` value names (extension or short name), or ``None`` if absent.

    Raises
    ------
    ParameterError
        When the value names no format the service writes.

    >>> format_override("jsonld").media_type
    'application/ld+json'
    """
    if value is None or value == "":
        return None
    media = by_extension(value, FORMATS)
    if media is None:
        known = ", ".join(m.extension for m in FORMATS)
        raise ParameterError("format", f"{value!r} is not a known format (known: {known})")
    return media


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags of an ``Accept-Language`` header, best first (primary subtags, lower-case).

    >>> parse_accept_language("es-CO,es;q=0.9,en;q=0.8,*;q=0.1")
    ['es', 'en']
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower().split("-")[0]
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, index, tag))
    seen: list[str] = []
    for _, _, tag in sorted(weighted):
        if tag not in seen:
            seen.append(tag)
    return seen


def pick_label(labels: dict[str, str], languages: Sequence[str]) -> str | None:
    """The label in the first language asked for that has one, else English, else any.

    >>> pick_label({"en": "Colombia", "fr": "Colombie"}, ["fr", "en"])
    'Colombie'
    >>> pick_label({"en": "Colombia"}, ["de"])
    'Colombia'
    """
    for lang in (*languages, "en", ""):
        if lang in labels:
            return labels[lang]
    return next(iter(labels.values()), None)


def qname(iri: str) -> str:
    """A prefixed name for ``iri`` from the project's prefixes, or the IRI itself.

    >>> qname("https://w3id.org/coopgraph/def#Country")
    'cg:Country'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and re.fullmatch(r"[A-Za-z0-9_.\-/]+", local):
            return f"{best}:{local}"
    return iri


def local_url(iri: str, base: str) -> str:
    """Map a canonical IRI onto this service (``base``); other IRIs are returned unchanged.

    >>> local_url("https://w3id.org/coopgraph/id/party/colombia", "http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/id/party/colombia'
    >>> local_url("http://www.wikidata.org/entity/Q739", "http://127.0.0.1:8000/")
    'http://www.wikidata.org/entity/Q739'
    """
    if iri.startswith(CANONICAL_BASE):
        return base + iri[len(CANONICAL_BASE) :]
    return iri


def resource_iri_for_path(path: str) -> ox.NamedNode:
    """The canonical IRI served at ``/id/{path}``.

    Raises
    ------
    NotFound
        When the path cannot be a resource IRI (no kind/slug, characters IRIs here never use).

    >>> resource_iri_for_path("party/colombia")
    <NamedNode value=https://w3id.org/coopgraph/id/party/colombia>
    """
    if not _SLUG_RE.match(path):
        raise ResourceNotFound(ID_BASE + path, [])
    return ox.NamedNode(ID_BASE + path)


def graph_name(iri: str) -> str:
    """The short name of a named graph (``expert-meeting-2007``)."""
    return iri.removeprefix(GRAPH_BASE)


def etag_for(*parts: str) -> str:
    """A strong ETag over the given parts (store version, resource, format...).

    >>> etag_for("v1", "a") == etag_for("v1", "a") != etag_for("v2", "a")
    True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
    return f'"{digest}"'


class ResourceNotFound(NotFound):
    """No statement in the store has the resource as subject or object.

    Attributes
    ----------
    iri
        The IRI asked for.
    suggestions
        Close matches ``(iri, label)`` among the published resources.
    """

    def __init__(self, iri: str, suggestions: list[tuple[str, str]]) -> None:
        self.iri = iri
        self.suggestions = suggestions
        hint = ""
        if suggestions:
            hint = "; did you mean " + ", ".join(f"<{i}> ({label})" for i, label in suggestions) + "?"
        super().__init__(f"no resource <{iri}> in the graph{hint}")


# -- serialisation ----------------------------------------------------------------------------
def unique_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of ``quads`` without their graphs, each once, in first-seen order."""
    seen: dict[ox.Triple, None] = {}
    for quad in quads:
        seen.setdefault(quad.triple, None)
    return list(seen)


def to_rdflib(quads: Iterable[ox.Quad], keep_graphs: bool) -> rdflib.Dataset | rdflib.Graph:
    """Copy pyoxigraph quads into an rdflib Dataset (``keep_graphs``) or Graph (their union)."""
    if keep_graphs:
        dataset = rdflib.Dataset()
        dataset.parse(data=ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS), format="nquads")
        _bind(dataset)
        return dataset
    graph = rdflib.Graph()
    for triple in unique_triples(quads):
        graph.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object)))
    _bind(graph)
    return graph


def _rdflib_term(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _bind(graph: rdflib.Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def term_value(term: object) -> str:
    """The lexical value of a pyoxigraph term: an IRI, a blank node id or a literal's text; an
    empty string for the default graph (which has no name).

    >>> term_value(ox.NamedNode("https://w3id.org/coopgraph/id/party/x")), term_value(ox.DefaultGraph())
    ('https://w3id.org/coopgraph/id/party/x', '')
    """
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return ""


def serialize(quads: Sequence[ox.Quad], media: MediaType) -> bytes:
    """Write a description (quads) in an RDF format.

    Dataset formats keep the named graphs; graph formats write the union. JSON-LD is compacted
    with :func:`jsonld_context`, embedded in the document, so no client fetches a context.

    Examples
    --------
    >>> from coopgraph.negotiation import by_extension
    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/coopgraph/id/party/x"), ox.NamedNode(str(RDFS.label)),
    ...             ox.Literal("X", language="en"), ox.NamedNode("https://w3id.org/coopgraph/graph/g"))
    >>> b"<https://w3id.org/coopgraph/id/party/x> rdfs:label" in serialize([q], by_extension("ttl", GRAPH_TYPES))
    True
    """
    if media.rdf_format is None:
        raise ValueError(f"{media.media_type} is not an RDF format")
    if media.name == "jsonld":
        graph = to_rdflib(quads, keep_graphs=False)
        text = graph.serialize(format="json-ld", context=jsonld_context()["@context"], auto_compact=True)
        return text.encode("utf-8")
    if media in DATASET_TYPES:
        return ox.serialize(list(quads), format=media.rdf_format, prefixes=_prefixes(media)) or b""
    return ox.serialize(unique_triples(quads), format=media.rdf_format, prefixes=_prefixes(media)) or b""


def _prefixes(media: MediaType) -> dict[str, str] | None:
    if media.name in ("turtle", "trig", "rdfxml"):
        return dict(PREFIXES)
    return None


def serialize_rdflib(graph: rdflib.Graph, media: MediaType) -> bytes:
    """Write an rdflib graph (ontology, shapes, VoID) in a graph format."""
    names = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
    if media.name == "jsonld":
        context = {p: str(ns) for p, ns in graph.namespaces() if p} | jsonld_context()["@context"]
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    return graph.serialize(format=names[media.name]).encode("utf-8")


# -- resource descriptions -----------------------------------------------------------------------
@dataclass
class Description:
    """What the service says about one resource.

    Attributes
    ----------
    iri
        The resource.
    statements
        Its outgoing statements and those of the blank nodes they lead to, with their graphs.
    incoming
        Statements pointing at it (from a named node, or a blank node held by one).
    context
        ``rdfs:label`` and ``rdf:type`` of every named node the above mention.
    """

    iri: ox.NamedNode
    statements: list[ox.Quad] = field(default_factory=list)
    incoming: list[ox.Quad] = field(default_factory=list)
    context: list[ox.Quad] = field(default_factory=list)

    def quads(self) -> list[ox.Quad]:
        """All quads of the description, each once."""
        return list(dict.fromkeys([*self.statements, *self.incoming, *self.context]))

    def labels(self) -> dict[str, dict[str, str]]:
        """Labels by node IRI and language tag (``""`` for no tag)."""
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        for quad in self.context + self.statements:
            if (
                quad.predicate.value == str(RDFS.label)
                and isinstance(quad.object, ox.Literal)
                and isinstance(quad.subject, ox.NamedNode)
            ):
                labels[quad.subject.value].setdefault(quad.object.language or "", quad.object.value)
        return labels

    def types(self, node: str) -> list[str]:
        """The ``rdf:type`` IRIs of a named node."""
        found = [
            term_value(q.object)
            for q in self.context + self.statements
            if term_value(q.subject) == node
            and q.predicate.value == str(RDF.type)
            and isinstance(q.subject, ox.NamedNode)
        ]
        return list(dict.fromkeys(found))


def _bnode_scope(store: Store) -> dict[str, ox.BlankNode] | None:
    # A remote endpoint's blank node labels are scoped to one result set: give each result set
    # its own fresh nodes so two results cannot mix theirs up. Embedded ids are stable.
    return {} if store.kind == "remote" else None


def _term(term: Any, scope: dict[str, ox.BlankNode] | None) -> Any:
    if scope is not None and isinstance(term, ox.BlankNode):
        return scope.setdefault(term.value, ox.BlankNode())
    return term


def describe(store: Store, catalogue: QueryCatalogue, iri: ox.NamedNode) -> Description:
    """Describe a resource from the store (see the module docstring for what is included).

    Returns an empty :class:`Description` (no quads) when the store holds nothing about it.

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> g = ox.NamedNode("https://w3id.org/coopgraph/graph/g")
    >>> r = ox.NamedNode("https://w3id.org/coopgraph/id/party/x")
    >>> store.oxigraph.add(ox.Quad(r, ox.NamedNode(str(RDFS.label)), ox.Literal("X", language="en"), g))
    >>> len(describe(store, QueryCatalogue(Settings().queries_dir), r).statements)
    1
    """
    binding = {"_resource_iri": iri}
    out = Description(iri)
    scope = _bnode_scope(store)
    for row in store.select(catalogue.internal("describe-resource").text, binding):
        subject = _term(row.get("b2") or row.get("b1") or iri, scope)
        out.statements.append(as_quad(subject, row["p"], _term(row["o"], scope), row["g"]))
    scope = _bnode_scope(store)
    for row in store.select(catalogue.internal("incoming-links").text, binding):
        holder, graph = row["s"], row["g"]
        if "b" in row:
            node = _term(row["b"], scope)
            out.incoming.append(as_quad(holder, row["q"], node, graph))
            out.incoming.append(as_quad(node, row["p"], iri, graph))
        else:
            out.incoming.append(as_quad(holder, row["p"], iri, graph))
    if out.statements or out.incoming:
        for row in store.select(catalogue.internal("labels-and-types").text, binding):
            out.context.append(as_quad(row["n"], row["p"], row["o"], row["g"]))
    return out


# -- ontology and shapes documentation -----------------------------------------------------------
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


def _labels(graph: rdflib.Graph, node: rdflib.term.Node, *predicates: rdflib.URIRef) -> dict[str, str]:
    labels: dict[str, str] = {}
    for predicate in predicates or (RDFS.label,):
        for value in graph.objects(node, predicate):
            if isinstance(value, rdflib.Literal):
                labels.setdefault(value.language or "", str(value))
    return labels


def _en(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> str:
    return pick_label(_labels(graph, node, predicate), ["en"]) or ""


class OntologyDoc:
    """The ontology (``ontology/coopgraph.ttl``) and concept schemes, read once at start time.

    Examples
    --------
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
        self.schemes = self._schemes()
        self.namespace_prefixes = {p: str(ns) for p, ns in self.merged.namespaces() if p}

    def curie(self, node: rdflib.term.Node) -> str:
        """A prefixed name for a node of the ontology (using its own prefixes too)."""
        text = qname(str(node))
        if text != str(node) or not isinstance(node, rdflib.URIRef):
            return text
        try:
            return self.merged.namespace_manager.normalizeUri(node)
        except (ValueError, KeyError):  # pragma: no cover - odd IRIs
            return str(node)

    def _terms(self, types: list[rdflib.URIRef], kind: str) -> list[TermDoc]:
        g = self.ontology
        own = str(CG)
        subjects: dict[str, rdflib.URIRef] = {}
        for rdf_type in types:
            for s in g.subjects(RDF.type, rdf_type):
                if isinstance(s, rdflib.URIRef) and str(s).startswith(own):
                    subjects[str(s)] = s
        relations_of = [
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
        docs: list[TermDoc] = []
        for iri, node in sorted(subjects.items()):
            relations = []
            for title, predicate in relations_of:
                values = sorted(str(v) for v in g.objects(node, predicate) if isinstance(v, rdflib.URIRef))
                if predicate == RDF.type:
                    values = [v for v in values if v != str(OWL.Class)]
                if values:
                    relations.append((title, values))
            if kind == "class":
                subs = sorted(
                    str(s) for s in g.subjects(RDFS.subClassOf, node) if isinstance(s, rdflib.URIRef)
                )
                if subs:
                    relations.append(("Superclass of", subs))
                used = sorted(str(s) for s in g.subjects(RDFS.domain, node))
                if used:
                    relations.append(("In the domain of", used))
                ranged = sorted(str(s) for s in g.subjects(RDFS.range, node))
                if ranged:
                    relations.append(("In the range of", ranged))
            docs.append(
                TermDoc(
                    iri=iri,
                    name=iri[len(own) :],
                    kind=kind,
                    labels=_labels(g, node),
                    definition=_en(g, node, SKOS.definition) or _en(g, node, RDFS.comment),
                    notes=[str(v) for v in g.objects(node, SKOS.scopeNote)],
                    examples_text=[str(v) for v in g.objects(node, SKOS.example)],
                    relations=relations,
                )
            )
        return docs

    def _schemes(self) -> list[TermDoc]:
        g = self.vocabularies
        schemes: list[TermDoc] = []
        for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str):
            concepts = [c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, rdflib.URIRef)]
            narrower: dict[str, list[rdflib.URIRef]] = defaultdict(list)
            tops: list[rdflib.URIRef] = []
            for concept in concepts:
                broader = [b for b in g.objects(concept, SKOS.broader) if b in concepts]
                if broader:
                    for b in broader:
                        narrower[str(b)].append(concept)
                else:
                    tops.append(concept)

            def build(
                concept: rdflib.URIRef, depth: int = 0, narrower: dict[str, list[rdflib.URIRef]] = narrower
            ) -> TermDoc:
                relations = [
                    (title, sorted(str(v) for v in g.objects(concept, predicate)))
                    for title, predicate in [
                        ("Exact match", SKOS.exactMatch),
                        ("Close match", SKOS.closeMatch),
                        ("Broad match", SKOS.broadMatch),
                        ("Related", SKOS.related),
                    ]
                ]
                children = sorted(narrower.get(str(concept), []), key=str)
                return TermDoc(
                    iri=str(concept),
                    name=str(g.value(concept, SKOS.notation) or str(concept).rsplit("/", 1)[-1]),
                    kind="concept",
                    labels=_labels(g, concept, SKOS.prefLabel, RDFS.label),
                    definition=_en(g, concept, SKOS.definition),
                    notes=[str(v) for v in g.objects(concept, SKOS.altLabel)],
                    relations=[(t, v) for t, v in relations if v],
                    children=[build(c, depth + 1) for c in children] if depth < 8 else [],
                )

            schemes.append(
                TermDoc(
                    iri=str(scheme),
                    name=str(scheme).rsplit("/", 1)[-1],
                    kind="scheme",
                    labels=_labels(g, scheme, SKOS.prefLabel, RDFS.label),
                    definition=_en(g, scheme, SKOS.definition),
                    children=[build(c) for c in sorted(tops, key=str)],
                )
            )
        return schemes


@dataclass
class ShapeDoc:
    """One SHACL node shape, for the shapes page."""

    iri: str
    name: str
    description: str
    targets: list[tuple[str, str]]
    properties: list[dict[str, Any]]


class ShapesDoc:
    """The SHACL shapes of ``shapes/``, read once at start time.

    Examples
    --------
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
        self.shapes: list[ShapeDoc] = []
        for node in sorted((n for n in nodes if isinstance(n, rdflib.URIRef)), key=str):
            targets = [(self.curie(t), str(v)) for t in self._TARGETS for v in g.objects(node, t)]
            properties: list[dict[str, Any]] = []
            for prop in g.objects(node, SH.property):
                shape_path = g.value(prop, SH.path)
                constraints = [
                    (self.curie(p), self._show(o))
                    for p, o in g.predicate_objects(prop)
                    if p not in self._SKIP and p != RDF.type
                ]
                properties.append(
                    {
                        "path": self._show(shape_path) if shape_path is not None else "",
                        "name": _en(g, prop, SH.name),
                        "messages": _labels(g, prop, SH.message),
                        "constraints": sorted(constraints),
                    }
                )
            properties.sort(key=lambda p: p["path"])
            self.shapes.append(
                ShapeDoc(
                    iri=str(node),
                    name=_en(g, node, SH.name) or str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                    description=_en(g, node, SH.description) or _en(g, node, RDFS.comment),
                    targets=targets,
                    properties=properties,
                )
            )

    def curie(self, node: rdflib.term.Node) -> str:
        text = qname(str(node))
        if text != str(node) or not isinstance(node, rdflib.URIRef):
            return text
        try:
            return self.graph.namespace_manager.normalizeUri(node)
        except (ValueError, KeyError):  # pragma: no cover
            return str(node)

    def _show(self, node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.URIRef):
            return self.curie(node)
        if isinstance(node, rdflib.Literal):
            return str(node)
        items = (
            list(rdflib.collection.Collection(self.graph, node))
            if (node, RDF.first, None) in self.graph
            else []
        )
        if items:
            return "(" + " ".join(self._show(i) for i in items) + ")"
        inverse = self.graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + self._show(inverse)
        return "[…]"


# -- the service's model -----------------------------------------------------------------------
class LinkedData:
    """Everything the linked-data pages need, over one store.

    Parameters
    ----------
    store
        The store to describe.
    settings
        The settings (knowledge folders).
    catalogue
        The query catalogue (its ``internal`` queries are run).

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore, load_project
    >>> settings = Settings(in_memory=True)
    >>> store = EmbeddedStore(None); _ = load_project(store, settings)
    >>> ld = LinkedData(store, settings, QueryCatalogue(settings.queries_dir))
    >>> ld.describe("party/colombia").iri.value
    'https://w3id.org/coopgraph/id/party/colombia'
    """

    def __init__(self, store: Store, settings: Settings, catalogue: QueryCatalogue) -> None:
        self.store = store
        self.settings = settings
        self.catalogue = catalogue
        self.ontology = OntologyDoc(settings.ontology_dir)
        self.shapes = ShapesDoc(settings.shapes_dir)
        self.templates = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._lock = threading.Lock()
        self._seen: dict[str, datetime] = {}
        self._cache: dict[tuple[str, ...], Any] = {}

    # -- versions, caches ------------------------------------------------------------------
    def version(self) -> str:
        """The store's current version token."""
        return self.store.version()

    def last_modified(self) -> datetime:
        """When this process first saw the store's current version (whole seconds, UTC)."""
        version = self.version()
        with self._lock:
            if version not in self._seen:
                self._seen[version] = datetime.now(UTC).replace(microsecond=0)
            return self._seen[version]

    def _cached(self, key: tuple[str, ...], build: Any) -> Any:
        full = (self.version(), *key)
        with self._lock:
            if full in self._cache:
                return self._cache[full]
        value = build()
        with self._lock:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[full] = value
        return value

    def _select(self, name: str, **bindings: ox.NamedNode | ox.Literal) -> list[dict[str, Any]]:
        return self.store.select(self.catalogue.internal(name).text, bindings or None)

    # -- resources -------------------------------------------------------------------------
    def describe(self, path: str) -> Description:
        """The description of the resource at ``/id/{path}``.

        Raises
        ------
        ResourceNotFound
            When nothing in the store is about it, with close matches to suggest.
        """
        iri = resource_iri_for_path(path) if _SLUG_RE.match(path) else None
        if iri is None:
            raise ResourceNotFound(ID_BASE + path, self.suggestions(ID_BASE + path))
        description: Description = self._cached(
            ("describe", iri.value), lambda: describe(self.store, self.catalogue, iri)
        )
        if not description.statements and not description.incoming:
            raise ResourceNotFound(iri.value, self.suggestions(iri.value))
        return description

    def resource_labels(self) -> dict[str, list[str]]:
        """Labels of every published resource (cached per store version)."""

        def build() -> dict[str, list[str]]:
            labels: dict[str, list[str]] = defaultdict(list)
            for row in self._select("resource-labels"):
                labels[row["s"].value].append(row["label"].value)
            return dict(labels)

        return self._cached(("resource-labels",), build)

    def suggestions(self, iri: str, limit: int = 5) -> list[tuple[str, str]]:
        """Published resources whose slug or label is close to ``iri``'s slug, best first.

        Resources of the same kind (``party``, ``programme``) are preferred; the others are
        considered when none of that kind is close.
        """
        rest = iri.removeprefix(ID_BASE)
        kind, _, slug = rest.partition("/")
        slug = slug.lower()
        wanted = slug.replace("-", " ").strip() or kind
        labels = self.resource_labels()

        def score(candidate: str, names: list[str]) -> float:
            cand_slug = candidate.removeprefix(ID_BASE).partition("/")[2]
            texts = [cand_slug.replace("-", " "), *(n.lower() for n in names)]
            return max(difflib.SequenceMatcher(None, wanted, t).ratio() for t in texts)

        def ranked(candidates: Iterable[str]) -> list[tuple[float, str]]:
            scored = [(score(c, labels[c]), c) for c in candidates]
            return sorted((s for s in scored if s[0] >= 0.6), key=lambda s: (-s[0], s[1]))

        same_kind = [c for c in labels if c.startswith(f"{ID_BASE}{kind}/")]
        best = ranked(same_kind) or ranked(labels)
        return [(c, self._english(labels[c])) for _, c in best[:limit]]

    @staticmethod
    def _english(names: list[str]) -> str:
        return names[0] if names else ""

    def partners(self, iri: ox.NamedNode) -> list[dict[str, Any]]:
        """Agents sharing an activity with ``iri``: partner, label, activities, example."""
        return self._select("partners", _agent_iri=iri)

    def centrality(self, iri: ox.NamedNode) -> list[dict[str, Any]]:
        """Network measurements of ``iri`` from the analysis graph (empty when there are none)."""
        if str(ANALYSIS_GRAPH) not in self.store.named_graphs():
            return []
        return self._select("centrality", _node_iri=iri)

    def rdf(self, description: Description, media: MediaType) -> bytes:
        """A description written in an RDF format."""
        return serialize(description.quads(), media)

    # -- HTML ----------------------------------------------------------------------------
    def render(self, template: str, base: str, **context: Any) -> str:
        """Render a page template with the helpers every page uses."""
        return self.templates.get_template(template).render(
            base=base, local=lambda iri: local_url(iri, base), qname=qname, **context
        )

    def resource_page(self, description: Description, base: str, languages: Sequence[str]) -> str:
        """The HTML page of a resource, labels in the first of ``languages`` that has one."""
        iri = description.iri.value
        labels = description.labels()
        langs = list(languages)
        graph_sources = self.graph_sources()

        def link(node: str) -> dict[str, Any]:
            text = pick_label(labels.get(node, {}), langs)
            href = local_url(node, base)
            return {"iri": node, "href": href, "label": text or qname(node), "qname": qname(node)}

        def value(term: Any, holders: dict[Any, list[ox.Quad]], depth: int = 0) -> dict[str, Any]:
            if isinstance(term, ox.NamedNode):
                return {"kind": "iri", **link(term.value)}
            if isinstance(term, ox.BlankNode):
                rows = (
                    [
                        {"predicate": link(q.predicate.value), "value": value(q.object, holders, depth + 1)}
                        for q in holders.get(term, [])
                    ]
                    if depth < 3
                    else []
                )
                return {"kind": "bnode", "rows": rows}
            datatype = term.datatype.value if term.datatype else ""
            shown = "" if datatype in (_XSD + "string", str(RDF.langString)) else qname(datatype)
            return {"kind": "literal", "text": term.value, "lang": term.language or "", "datatype": shown}

        by_subject: dict[Any, list[ox.Quad]] = defaultdict(list)
        for quad in description.statements:
            by_subject[quad.subject].append(quad)
        skip = {str(PROV.qualifiedDerivation)}
        grouped: dict[str, dict[str, Any]] = {}
        for quad in by_subject.get(description.iri, []):
            if quad.predicate.value in skip:
                continue
            entry = grouped.setdefault(
                quad.predicate.value, {"predicate": link(quad.predicate.value), "values": {}}
            )
            shown = entry["values"].setdefault(
                quad.object, {"value": value(quad.object, by_subject), "graphs": []}
            )
            name = graph_name(term_value(quad.graph_name))
            if name not in shown["graphs"]:
                shown["graphs"].append(name)
        properties = sorted(
            ({"predicate": e["predicate"], "objects": list(e["values"].values())} for e in grouped.values()),
            key=lambda e: (e["predicate"]["iri"] != str(RDF.type), e["predicate"]["label"].lower()),
        )
        incoming: dict[tuple[str, str, str], list[str]] = {}
        holders = {q.object: q for q in description.incoming if isinstance(q.object, ox.BlankNode)}
        for quad in description.incoming:
            if quad.object != description.iri:
                continue
            if isinstance(quad.subject, ox.BlankNode):
                held = holders.get(quad.subject)
                if held is None:
                    continue
                key = (term_value(held.subject), held.predicate.value, quad.predicate.value)
            else:
                key = (term_value(quad.subject), quad.predicate.value, "")
            names = incoming.setdefault(key, [])
            if graph_name(term_value(quad.graph_name)) not in names:
                names.append(graph_name(term_value(quad.graph_name)))
        incoming_rows: list[dict[str, Any]] = [
            {"subject": link(s), "predicate": link(p), "via": link(v) if v else None, "graphs": g}
            for (s, p, v), g in incoming.items()
        ]
        incoming_rows.sort(key=lambda r: (r["predicate"]["label"].lower(), r["subject"]["label"].lower()))
        sources: dict[str, dict[str, Any]] = {}
        for quad in description.statements + description.incoming:
            name = term_value(quad.graph_name)
            if name not in sources:
                source = graph_sources.get(name)
                sources[name] = {
                    "graph": graph_name(name),
                    "graph_iri": name,
                    "source": link(source[0]) | {"label": source[1] or qname(source[0])} if source else None,
                    "derivations": [],
                }
        for quad in by_subject.get(description.iri, []):
            if quad.predicate.value == str(PROV.qualifiedDerivation) and isinstance(
                quad.object, ox.BlankNode
            ):
                props = {q.predicate.value: q.object for q in by_subject.get(quad.object, [])}
                entity = props.get(str(PROV.entity))
                sources[term_value(quad.graph_name)]["derivations"].append(
                    {
                        "entity": link(entity.value) if isinstance(entity, ox.NamedNode) else None,
                        "locator": [
                            term_value(q.object)
                            for q in by_subject.get(quad.object, [])
                            if q.predicate.value == str(CG.locator)
                        ],
                        "quote": [
                            term_value(q.object)
                            for q in by_subject.get(quad.object, [])
                            if q.predicate.value == str(CG.quote)
                        ],
                    }
                )
        types = description.types(iri)
        agent_types = {str(CG.Country), str(CG.Party), str(CG.Organisation), str(CG.OrganisationalUnit)}
        partners = []
        if agent_types & set(types):
            partners = [
                {
                    "partner": link(r["partner"].value)
                    | (
                        {"label": r["label"].value}
                        if "label" in r and not labels.get(r["partner"].value)
                        else {}
                    ),
                    "activities": int(r["activities"].value),
                    "example": link(r["example"].value) if "example" in r else None,
                }
                for r in self.partners(description.iri)
            ]
        centrality = [
            {
                "measure": r["measureLabel"].value if "measureLabel" in r else qname(r["measure"].value),
                "projection": (
                    r["projectionLabel"].value if "projectionLabel" in r else qname(r["projection"].value)
                )
                if "projection" in r
                else "",
                "value": r["value"].value,
                "rank": r["rank"].value if "rank" in r else "",
            }
            for r in self.centrality(description.iri)
        ]
        own = labels.get(iri, {})
        title = pick_label(own, langs) or qname(iri)
        path = iri.removeprefix(CANONICAL_BASE)
        formats = [
            {"name": m.name, "media_type": m.media_type, "href": f"{base}{path}.{m.extension}"}
            for m in FORMATS
            if m is not HTML
        ]
        sparql = f"{base}sparql?query=" + quote(f"DESCRIBE {description.iri}", safe="")
        return self.render(
            "resource.html",
            base,
            title=title,
            iri=iri,
            lang=next((lang for lang in (*langs, "en") if lang in own), "en"),
            other_labels=sorted((k, v) for k, v in own.items() if v != title),
            types=[link(t) for t in types],
            properties=properties,
            incoming=incoming_rows,
            sources=sorted(sources.values(), key=lambda s: s["graph"]),
            formats=formats,
            sparql=sparql,
            partners=partners,
            centrality=centrality,
        )

    def not_found_page(self, error: ResourceNotFound, base: str) -> str:
        """The HTML page of an unknown IRI, with suggestions."""
        return self.render(
            "notfound.html",
            base,
            title="Not found",
            iri=error.iri,
            suggestions=[
                {"href": local_url(i, base), "iri": i, "label": label} for i, label in error.suggestions
            ],
        )

    # -- home --------------------------------------------------------------------------
    def graph_sources(self) -> dict[str, tuple[str, str]]:
        """Source document ``(iri, English label)`` of each named graph that has one."""

        def build() -> dict[str, tuple[str, str]]:
            return {
                r["graph"].value: (r["source"].value, r["label"].value if "label" in r else "")
                for r in self._select("graph-sources")
            }

        return self._cached(("graph-sources",), build)

    def instances(self, cls: str) -> list[tuple[str, str]]:
        """Named instances ``(iri, English label)`` of a class and its subclasses."""

        def build() -> list[tuple[str, str]]:
            return [
                (r["s"].value, r["label"].value if "label" in r else qname(r["s"].value))
                for r in self._select("instances-of-class", _class_iri=ox.NamedNode(cls))
            ]

        return self._cached(("instances", cls), build)

    def home_page(self, base: str) -> str:
        """The home page: what the graph holds and where to start."""
        sources = self.graph_sources()
        graphs = [
            {
                "name": graph_name(r["graph"].value),
                "iri": r["graph"].value,
                "triples": int(r["triples"].value),
                "source": sources.get(r["graph"].value),
            }
            for r in self._select("graph-sizes")
        ]
        classes = [
            {
                "iri": r["class"].value,
                "label": r["label"].value if "label" in r else qname(r["class"].value),
                "instances": int(r["instances"].value),
            }
            for r in self._select("class-counts")
        ]
        articles = [
            (r["article"].value, r["label"].value if "label" in r else qname(r["article"].value))
            for r in self._select("convention-articles")
        ]
        entry_points = [
            ("Countries", self.instances(str(CG.Country))),
            ("Programmes", self.instances(str(CG.Programme))),
            ("Organisations", self.instances(str(CG.Organisation))),
        ]
        return self.render(
            "home.html",
            base,
            title="coopgraph",
            description=DATASET_DESCRIPTION,
            graphs=graphs,
            total=sum(g["triples"] for g in graphs),
            classes=classes,
            articles=articles,
            entry_points=entry_points,
            dumps=list(DUMPS),
        )

    def def_page(self, base: str) -> str:
        """The ontology documentation page, with examples of use from the data."""
        examples = {c.iri: self.instances(c.iri)[:5] for c in self.ontology.classes}
        return self.render(
            "def.html",
            base,
            title=self.ontology.title,
            doc=self.ontology,
            examples=examples,
            curie=self.ontology.curie,
            own=str(CG),
        )

    def shapes_page(self, base: str) -> str:
        """The SHACL shapes documentation page."""
        return self.render(
            "shapes.html", base, title="coopgraph shapes", doc=self.shapes, shapes_iri=SHAPES_IRI
        )

    # -- VoID, dumps -------------------------------------------------------------------
    def void(self, base: str) -> rdflib.Graph:
        """The VoID description of the dataset (counts from the store, cached per version)."""
        return self._cached(("void", base), lambda: self._build_void(base))

    def _build_void(self, base: str) -> rdflib.Graph:
        g = rdflib.Graph()
        _bind(g)
        dataset = rdflib.URIRef(CANONICAL_BASE + ".well-known/void#dataset")
        integer = XSD.integer
        g.add((dataset, RDF.type, VOID.Dataset))
        g.add((dataset, DCTERMS.title, rdflib.Literal(DATASET_TITLE, lang="en")))
        g.add((dataset, DCTERMS.description, rdflib.Literal(DATASET_DESCRIPTION, lang="en")))
        if self.ontology.license:
            g.add((dataset, DCTERMS.license, rdflib.URIRef(self.ontology.license)))
        g.add((dataset, VOID.sparqlEndpoint, rdflib.URIRef(base + "sparql")))
        g.add((dataset, VOID.uriSpace, rdflib.Literal(ID_BASE)))
        g.add((dataset, VOID.vocabulary, rdflib.URIRef(str(CG))))
        g.add((dataset, VOID.rootResource, rdflib.URIRef(DEF_IRI)))
        for name in DUMPS:
            g.add((dataset, VOID.dataDump, rdflib.URIRef(f"{base}dumps/{name}")))
        totals = self._select("void-totals")[0]
        for key, predicate in [
            ("triples", VOID.triples),
            ("entities", VOID.entities),
            ("classes", VOID.classes),
            ("properties", VOID.properties),
            ("subjects", VOID.distinctSubjects),
            ("objects", VOID.distinctObjects),
        ]:
            g.add((dataset, predicate, rdflib.Literal(int(totals[key].value), datatype=integer)))
        for row in self._select("void-class-partitions"):
            part = rdflib.BNode()
            g.add((dataset, VOID.classPartition, part))
            g.add((part, VOID["class"], rdflib.URIRef(row["class"].value)))
            g.add((part, VOID.entities, rdflib.Literal(int(row["entities"].value), datatype=integer)))
        for row in self._select("void-property-partitions"):
            part = rdflib.BNode()
            g.add((dataset, VOID.propertyPartition, part))
            g.add((part, VOID.property, rdflib.URIRef(row["property"].value)))
            g.add((part, VOID.triples, rdflib.Literal(int(row["triples"].value), datatype=integer)))
        sources = self.graph_sources()
        for row in self._select("graph-sizes"):
            graph = row["graph"].value
            subset = rdflib.URIRef(graph)
            g.add((dataset, VOID.subset, subset))
            g.add((subset, RDF.type, VOID.Dataset))
            g.add((subset, VOID.triples, rdflib.Literal(int(row["triples"].value), datatype=integer)))
            g.add((subset, RDFS.label, rdflib.Literal(graph_name(graph), lang="en")))
            if graph in sources:
                g.add((subset, PROV.hadPrimarySource, rdflib.URIRef(sources[graph][0])))
                g.add((subset, DCTERMS.source, rdflib.URIRef(sources[graph][0])))
        return g

    def dump(self, name: str) -> bytes:
        """A gzip-compressed dump of the store (``coopgraph.nq.gz`` or ``coopgraph.ttl.gz``).

        Raises
        ------
        NotFound
            For any other file name.
        """
        if name not in DUMPS:
            raise NotFound(f"no dump {name!r}; the dumps are {', '.join(DUMPS)}")
        return self._cached(
            ("dump", name), lambda: gzip.compress(export_bytes(self.store, DUMPS[name]), mtime=0)
        )


# -- export ----------------------------------------------------------------------------------
EXPORT_FORMATS = {
    "nq": "nquads",
    "ttl": "turtle",
    "jsonld": "jsonld",
    "rdfxml": "rdfxml",
    "trig": "trig",
    "nt": "ntriples",
}
"""``coopgraph export --format`` names and the formats they write."""


def export_bytes(store: Store, fmt: str) -> bytes:
    """The whole store in one format: N-Quads/TriG keep the named graphs, the others their union.

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore
    >>> export_bytes(EmbeddedStore(None), "nquads")
    b''
    """
    media = by_extension(EXPORT_FORMATS.get(fmt, fmt), FORMATS)
    if media is None or media is HTML:
        raise ParameterError(
            "format", f"{fmt!r} is not an export format (known: {', '.join(EXPORT_FORMATS)})"
        )
    quads = list(store.quads())
    if media.name == "jsonld":
        dataset = to_rdflib(quads, keep_graphs=True)
        return dataset.serialize(
            format="json-ld", context=jsonld_context()["@context"], auto_compact=True
        ).encode("utf-8")
    return serialize(quads, media)


def export(store: Store, fmt: str, out: str | Path) -> int:
    """Write the store to ``out`` (``-`` for stdout; a ``.gz`` name is compressed); returns bytes.

    Examples
    --------
    >>> import tempfile
    >>> from coopgraph.store import EmbeddedStore
    >>> with tempfile.TemporaryDirectory() as d:
    ...     export(EmbeddedStore(None), "nq", Path(d) / "x.nq.gz") > 0
    True
    """
    data = export_bytes(store, fmt)
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return len(data)
    path = Path(out)
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def json_body(payload: dict[str, Any]) -> bytes:
    """UTF-8 JSON of a small payload (error bodies, the context)."""
    buffer = io.StringIO()
    json.dump(payload, buffer, ensure_ascii=False, indent=1)
    return buffer.getvalue().encode("utf-8")
