"""Linked data: resource descriptions, the ontology and shapes documentation, VoID and dumps.

One module per job: :mod:`~coopgraph.linkeddata.describe` (what is said about a resource),
:mod:`~coopgraph.linkeddata.serialize` (RDF out), :mod:`~coopgraph.linkeddata.labels` (names people
read), :mod:`~coopgraph.linkeddata.formats` (extensions and ``?format=``),
:mod:`~coopgraph.linkeddata.facts` (what pages read from the store),
:mod:`~coopgraph.linkeddata.pages` (the HTML pages), :mod:`~coopgraph.linkeddata.docs` (``/def``,
``/shapes``), :mod:`~coopgraph.linkeddata.dataset` (VoID, dumps, export),
:mod:`~coopgraph.linkeddata.cache` (per-version cache, ETags), and
:class:`~coopgraph.linkeddata.model.LinkedData`, which holds the store and ties them together.

Dereferencing: the service answers ``GET /id/...`` **directly with 200** and a
``Content-Location`` naming the concrete document (``/id/party/colombia.ttl``), instead of a 303
redirect to a separate ``/doc/`` URL. Since the W3C TAG's 2012 httpRange-14 resolution a 200 on a
slash IRI is allowed, it saves every client a round trip, and ``Content-Location`` still tells
the thing (the IRI) and the document about it (the URL with an extension) apart.

This package never imports FastAPI: :mod:`coopgraph.api.routes.linkeddata` is the thin router.
"""

from coopgraph.linkeddata.cache import VersionedCache, etag_for
from coopgraph.linkeddata.dataset import (
    DATASET_DESCRIPTION,
    DATASET_TITLE,
    DUMPS,
    EXPORT_FORMATS,
    export,
    export_bytes,
)
from coopgraph.linkeddata.describe import (
    Description,
    ResourceNotFound,
    describe,
    resource_iri_for_path,
    term_value,
)
from coopgraph.linkeddata.docs import OntologyDoc, ShapeDoc, ShapesDoc, TermDoc
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES, format_override, split_extension
from coopgraph.linkeddata.labels import graph_name, local_url, parse_accept_language, pick_label, qname
from coopgraph.linkeddata.model import LinkedData
from coopgraph.linkeddata.serialize import (
    json_body,
    jsonld_context,
    serialize,
    serialize_rdflib,
    to_rdflib,
    unique_triples,
)

__all__ = [
    "DATASET_DESCRIPTION",
    "DATASET_TITLE",
    "DUMPS",
    "EXPORT_FORMATS",
    "RESOURCE_MEDIA_TYPES",
    "Description",
    "LinkedData",
    "OntologyDoc",
    "ResourceNotFound",
    "ShapeDoc",
    "ShapesDoc",
    "TermDoc",
    "VersionedCache",
    "describe",
    "etag_for",
    "export",
    "export_bytes",
    "format_override",
    "graph_name",
    "json_body",
    "jsonld_context",
    "local_url",
    "parse_accept_language",
    "pick_label",
    "qname",
    "resource_iri_for_path",
    "serialize",
    "serialize_rdflib",
    "split_extension",
    "term_value",
    "to_rdflib",
    "unique_triples",
]
