"""The SPARQL 1.1 Service Description of the endpoint."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from coopgraph.config import Settings
from coopgraph.namespaces import FORMATS, SD, VOID
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES
from coopgraph.protocol.check import QUERY_BASE
from coopgraph.protocol.results import MAX_ROWS_HEADER, TRUNCATED_HEADER

_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "ntriples": "N-Triples",
}


def service_description(endpoint: str, graphs: Sequence[tuple[str, int]], settings: Settings) -> Graph:
    """The SPARQL Service Description of the endpoint as an rdflib graph.

    Parameters
    ----------
    endpoint
        The endpoint's URL.
    graphs
        The named graphs and their number of triples.
    settings
        Gives the limits the description states.

    Examples
    --------
    >>> graphs = [("https://w3id.org/coopgraph/graph/reference", 3)]
    >>> g = service_description("http://localhost:8000/sparql", graphs, Settings())
    >>> (None, SD.feature, SD.UnionDefaultGraph) in g
    True
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    service = URIRef(endpoint + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.allow_service:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for media in (*RESULTS_TYPES, *GRAPH_TYPES):
        g.add((service, SD.resultFormat, FORMATS[_FORMAT_IRIS[media.name]]))
    comment = (
        "Read-only SPARQL 1.1 Query endpoint of coopgraph. The default graph is the union of all "
        "named graphs (one per source document, plus the ontology, the shapes and the reference "
        "data); default-graph-uri and named-graph-uri restrict it. Updates are refused (403). "
        f"Relative IRIs in a query resolve against the base IRI {QUERY_BASE} (the canonical base "
        "of coopgraph's IRIs, whatever host serves it), unless the query declares its own BASE. "
        f"A query may run {settings.query_timeout:g} s before it is stopped (503). SELECT results "
        f"are cut at {settings.max_rows} rows; a cut answer carries the header "
        f"{TRUNCATED_HEADER}: true and {MAX_ROWS_HEADER}: {settings.max_rows}. A POST body may "
        f"hold {settings.max_request_bytes:,} bytes (413 beyond). "
        + (
            f"SERVICE may call only: {', '.join(settings.service_allowlist) or 'no endpoint'}."
            if settings.allow_service
            else "SERVICE (federated queries) is refused (403)."
        )
    )
    g.add((service, RDFS.comment, Literal(comment, lang="en")))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, DCTERMS.description, Literal("The union of all named graphs.", lang="en")))
    g.add((default, VOID.triples, Literal(sum(n for _, n in graphs))))
    for iri, triples in graphs:
        named = BNode()
        described = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, described))
        g.add((described, RDF.type, SD.Graph))
        g.add((described, VOID.triples, Literal(triples)))
    return g
