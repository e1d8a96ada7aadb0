"""Writing RDF: pyoxigraph quads in any RDF format, rdflib graphs, and the JSON-LD context.

Dataset formats (N-Quads, TriG) keep the named graphs; graph formats (Turtle, JSON-LD, RDF/XML,
N-Triples) write their union. JSON-LD is compacted with :func:`jsonld_context`, embedded in the
document, so no client has to fetch a context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
import rdflib

from coopgraph.namespaces import PREFIXES
from coopgraph.negotiation import DATASET_TYPES, MediaType

_RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
_PREFIXED_FORMATS = frozenset({"turtle", "trig", "rdfxml"})


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context the service publishes at ``/context.jsonld``.

    Built from :data:`coopgraph.namespaces.PREFIXES`; JSON-LD output is compacted with it.

    Examples
    --------
    >>> jsonld_context()["@context"]["cg"]
    'https://w3id.org/coopgraph/def#'
    """
    return {"@context": dict(PREFIXES)}


def json_body(payload: dict[str, Any]) -> bytes:
    """UTF-8 JSON of a small payload (error bodies, the context).

    Examples
    --------
    >>> json_body({"a": "é"})
    b'{\\n "a": "\\xc3\\xa9"\\n}'
    """
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def bind_prefixes(graph: rdflib.Graph) -> None:
    """Bind the project's prefixes in an rdflib graph (replacing rdflib's defaults).

    Examples
    --------
    >>> g = rdflib.Graph(); bind_prefixes(g)
    >>> dict(g.namespaces())["cg"]
    rdflib.term.URIRef('https://w3id.org/coopgraph/def#')
    """
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def unique_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of ``quads`` without their graphs, each once, in first-seen order.

    Examples
    --------
    >>> s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    >>> len(unique_triples([ox.Quad(s, p, s, ox.NamedNode("urn:g1")), ox.Quad(s, p, s, ox.NamedNode("urn:g2"))]))
    1
    """
    seen: dict[ox.Triple, None] = {}
    for quad in quads:
        seen.setdefault(quad.triple, None)
    return list(seen)


def to_rdflib(quads: Iterable[ox.Quad], keep_graphs: bool) -> rdflib.Dataset | rdflib.Graph:
    """Copy pyoxigraph quads into an rdflib Dataset (``keep_graphs``) or Graph (their union).

    Examples
    --------
    >>> s = ox.NamedNode("urn:s")
    >>> len(to_rdflib([ox.Quad(s, s, ox.Literal("x"), ox.NamedNode("urn:g"))], keep_graphs=False))
    1
    """
    if keep_graphs:
        dataset = rdflib.Dataset()
        dataset.parse(data=ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS), format="nquads")
        bind_prefixes(dataset)
        return dataset
    graph = rdflib.Graph()
    for triple in unique_triples(quads):
        graph.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object)))
    bind_prefixes(graph)
    return graph


def _rdflib_term(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def jsonld_bytes(graph: rdflib.Graph, context: dict[str, Any] | None = None) -> bytes:
    """Compacted JSON-LD of an rdflib graph or dataset (``context``: default the published one).

    Examples
    --------
    >>> g = rdflib.Graph()
    >>> _ = g.add((rdflib.URIRef("urn:s"), rdflib.RDF.type, rdflib.OWL.Class))
    >>> b'"owl:Class"' in jsonld_bytes(g)
    True
    """
    text = graph.serialize(
        format="json-ld", context=context or jsonld_context()["@context"], auto_compact=True
    )
    return text.encode("utf-8")


def serialize(quads: Sequence[ox.Quad], media: MediaType) -> bytes:
    """Write a description (quads) in an RDF format.

    Raises
    ------
    ValueError
        When ``media`` is not an RDF format.

    Examples
    --------
    >>> from coopgraph.negotiation import GRAPH_TYPES, by_extension
    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/coopgraph/id/party/x"),
    ...             ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ...             ox.Literal("X", language="en"), ox.NamedNode("https://w3id.org/coopgraph/graph/g"))
    >>> b"<https://w3id.org/coopgraph/id/party/x> rdfs:label" in serialize([q], by_extension("ttl", GRAPH_TYPES))
    True
    """
    if media.rdf_format is None:
        raise ValueError(f"{media.media_type} is not an RDF format")
    if media.name == "jsonld":
        return jsonld_bytes(to_rdflib(quads, keep_graphs=False))
    prefixes = dict(PREFIXES) if media.name in _PREFIXED_FORMATS else None
    if media in DATASET_TYPES:
        return ox.serialize(list(quads), format=media.rdf_format, prefixes=prefixes) or b""
    return ox.serialize(unique_triples(quads), format=media.rdf_format, prefixes=prefixes) or b""


def serialize_rdflib(graph: rdflib.Graph, media: MediaType) -> bytes:
    """Write an rdflib graph (ontology, shapes, VoID) in a graph format.

    JSON-LD is compacted with the graph's own prefixes and the published context.

    Examples
    --------
    >>> from coopgraph.negotiation import GRAPH_TYPES, by_extension
    >>> g = rdflib.Graph()
    >>> _ = g.add((rdflib.URIRef("urn:s"), rdflib.RDF.type, rdflib.OWL.Class))
    >>> serialize_rdflib(g, by_extension("nt", GRAPH_TYPES)).strip().endswith(b"#Class> .")
    True
    """
    if media.name == "jsonld":
        context = {p: str(ns) for p, ns in graph.namespaces() if p} | jsonld_context()["@context"]
        return jsonld_bytes(graph, context)
    return graph.serialize(format=_RDFLIB_FORMATS[media.name]).encode("utf-8")
