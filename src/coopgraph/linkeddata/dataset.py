"""The dataset as a whole: its VoID description, the dumps, and ``coopgraph export``."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from coopgraph.errors import NotFound, ParameterError
from coopgraph.linkeddata.facts import graph_sizes, select
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES
from coopgraph.linkeddata.labels import graph_name
from coopgraph.linkeddata.serialize import bind_prefixes, jsonld_bytes, serialize, to_rdflib
from coopgraph.namespaces import CANONICAL_BASE, CG, DEF_IRI, ID_BASE, VOID
from coopgraph.negotiation import HTML, by_extension
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

DATASET_TITLE = "coopgraph: international cultural cooperation under the 2005 Convention"
DATASET_DESCRIPTION = (
    "A knowledge graph of international cultural cooperation under the UNESCO 2005 Convention "
    "(Articles 12-16): the States, organisations and people who cooperate, the programmes, "
    "projects, partnerships, agreements and events through which they do so, the funds that pay "
    "for it, each statement kept in the named graph of the document it is taken from."
)
DUMPS = {"coopgraph.nq.gz": "nquads", "coopgraph.ttl.gz": "turtle"}
"""The dump files the service offers, and their formats."""

EXPORT_FORMATS = {
    "nq": "nquads",
    "ttl": "turtle",
    "jsonld": "jsonld",
    "rdfxml": "rdfxml",
    "trig": "trig",
    "nt": "ntriples",
}
"""``coopgraph export --format`` names and the formats they write."""

_VOID_TOTALS = [
    ("triples", VOID.triples),
    ("entities", VOID.entities),
    ("classes", VOID.classes),
    ("properties", VOID.properties),
    ("subjects", VOID.distinctSubjects),
    ("objects", VOID.distinctObjects),
]


def _count(value: int | str) -> rdflib.Literal:
    return rdflib.Literal(int(value), datatype=XSD.integer)


def void_graph(
    store: Store,
    catalogue: QueryCatalogue,
    base: str,
    license_iri: str | None,
    graph_sources: dict[str, tuple[str, str]],
) -> rdflib.Graph:
    """The VoID description of the dataset, with counts from the store.

    Parameters
    ----------
    store, catalogue
        Where the counts come from (the ``void-*`` and ``graph-sizes`` internal queries).
    base
        The service's base URL (SPARQL endpoint, dumps).
    license_iri
        The dataset's licence, if the ontology states one.
    graph_sources
        Source document ``(iri, label)`` of each named graph (see :func:`facts.graph_sources`).

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> g = void_graph(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir), "http://h/", None, {})
    >>> (None, VOID.sparqlEndpoint, rdflib.URIRef("http://h/sparql")) in g
    True
    """
    g = rdflib.Graph()
    bind_prefixes(g)
    dataset = rdflib.URIRef(CANONICAL_BASE + ".well-known/void#dataset")
    _add_about(g, dataset, base, license_iri)
    _add_partitions(g, dataset, store, catalogue)
    _add_subsets(g, dataset, graph_sizes(store, catalogue), graph_sources)
    return g


def _add_about(g: rdflib.Graph, dataset: rdflib.URIRef, base: str, license_iri: str | None) -> None:
    """Title, description, licence, and where the data are: endpoint, URI space, dumps."""
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, rdflib.Literal(DATASET_TITLE, lang="en")))
    g.add((dataset, DCTERMS.description, rdflib.Literal(DATASET_DESCRIPTION, lang="en")))
    if license_iri:
        g.add((dataset, DCTERMS.license, rdflib.URIRef(license_iri)))
    g.add((dataset, VOID.sparqlEndpoint, rdflib.URIRef(base + "sparql")))
    g.add((dataset, VOID.uriSpace, rdflib.Literal(ID_BASE)))
    g.add((dataset, VOID.vocabulary, rdflib.URIRef(str(CG))))
    g.add((dataset, VOID.rootResource, rdflib.URIRef(DEF_IRI)))
    for name in DUMPS:
        g.add((dataset, VOID.dataDump, rdflib.URIRef(f"{base}dumps/{name}")))


def _add_partitions(g: rdflib.Graph, dataset: rdflib.URIRef, store: Store, catalogue: QueryCatalogue) -> None:
    """The totals, and the entities per class and triples per property."""
    totals = select(store, catalogue, "void-totals")[0]
    for key, predicate in _VOID_TOTALS:
        g.add((dataset, predicate, _count(totals[key].value)))
    for row in select(store, catalogue, "void-class-partitions"):
        part = rdflib.BNode()
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], rdflib.URIRef(row["class"].value)))
        g.add((part, VOID.entities, _count(row["entities"].value)))
    for row in select(store, catalogue, "void-property-partitions"):
        part = rdflib.BNode()
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, rdflib.URIRef(row["property"].value)))
        g.add((part, VOID.triples, _count(row["triples"].value)))


def _add_subsets(
    g: rdflib.Graph,
    dataset: rdflib.URIRef,
    sizes: dict[str, int],
    graph_sources: dict[str, tuple[str, str]],
) -> None:
    """One subset per named graph, with its size and source document."""
    for graph, triples in sizes.items():
        subset = rdflib.URIRef(graph)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, _count(triples)))
        g.add((subset, RDFS.label, rdflib.Literal(graph_name(graph), lang="en")))
        if graph in graph_sources:
            source = rdflib.URIRef(graph_sources[graph][0])
            g.add((subset, PROV.hadPrimarySource, source))
            g.add((subset, DCTERMS.source, source))


def dump_bytes(store: Store, name: str) -> bytes:
    """A gzip-compressed dump of the store (``coopgraph.nq.gz`` or ``coopgraph.ttl.gz``).

    Raises
    ------
    NotFound
        For any other file name.

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore
    >>> gzip.decompress(dump_bytes(EmbeddedStore(None), "coopgraph.nq.gz"))
    b''
    """
    if name not in DUMPS:
        raise NotFound(f"no dump {name!r}; the dumps are {', '.join(DUMPS)}")
    return gzip.compress(export_bytes(store, DUMPS[name]), mtime=0)


def export_bytes(store: Store, fmt: str) -> bytes:
    """The whole store in one format: N-Quads/TriG keep the named graphs, the others their union.

    Raises
    ------
    ParameterError
        When ``fmt`` names no export format.

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore
    >>> export_bytes(EmbeddedStore(None), "nquads")
    b''
    """
    media = by_extension(EXPORT_FORMATS.get(fmt, fmt), RESOURCE_MEDIA_TYPES)
    if media is None or media is HTML:
        raise ParameterError(
            "format", f"{fmt!r} is not an export format (known: {', '.join(EXPORT_FORMATS)})"
        )
    quads = list(store.quads())
    if media.name == "jsonld":
        # JSON-LD of the whole store keeps the named graphs, unlike a resource's JSON-LD
        return jsonld_bytes(to_rdflib(quads, keep_graphs=True))
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
