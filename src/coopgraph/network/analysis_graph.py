"""The computed scores published as RDF, in the named graph ``graph/analysis``.

Each score is a ``cg:NetworkMeasurement``::

    <id/measurement/co-participation/degree/3f2a...> a cg:NetworkMeasurement ;
        cg:measuredNode <id/party/mexico> ;
        cg:measure <id/network-measure/degree> ;
        cg:projection <id/projection/co-participation> ;
        cg:value "12"^^xsd:double ;
        cg:rank 1 ;
        cg:filters "" ;
        prov:generatedAtTime "2026-..."^^xsd:dateTime .

Community memberships carry ``cg:community`` (and the same number as ``cg:value``). The graph is
replaced as a whole, transactionally, through :meth:`Store.put_graph`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import pyoxigraph as ox

from coopgraph.namespaces import ANALYSIS_GRAPH, CG, PROV, RDF, XSD, resource_iri
from coopgraph.network.filters import Filters
from coopgraph.network.measures import measures_for, ranking
from coopgraph.network.projections import project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

PUBLISHED: dict[str, tuple[str, ...]] = {
    "co-participation": (
        "degree",
        "strength",
        "betweenness",
        "closeness",
        "harmonic",
        "eigenvector",
        "pagerank",
        "core-number",
        "constraint",
        "effective-size",
        "community",
    ),
    "bipartite": ("degree", "betweenness", "closeness"),
    "funding": ("degree", "strength", "pagerank", "community"),
}
"""The measures :func:`publish` computes for each projection by default."""


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def measurement_triples(
    store: Store,
    catalogue: QueryCatalogue,
    projections: Sequence[str] = tuple(PUBLISHED),
    filters: Filters | None = None,
    generated: datetime | None = None,
) -> list[ox.Triple]:
    """The ``cg:NetworkMeasurement`` triples of the published measures of ``projections``.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> measurement_triples(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir))
    []
    """
    filters = filters or Filters()
    generated = generated or datetime.now(UTC)
    stamp = ox.Literal(generated.isoformat(timespec="seconds"), datatype=_n(XSD.dateTime))
    filter_text = ox.Literal(filters.query_string())
    suffix = hashlib.sha1(filters.query_string().encode()).hexdigest()[:8] if filters.query_string() else ""
    triples: list[ox.Triple] = []
    for projection in projections:
        g = project(store, projection, catalogue, filters)
        projection_iri = _n(resource_iri("projection", projection))
        available = measures_for(g)
        for name in PUBLISHED.get(projection, ()):
            if name not in available:
                continue
            measure_iri = _n(resource_iri("network-measure", name))
            for row in ranking(g, name):
                digest = hashlib.sha1(row["iri"].encode()).hexdigest()[:16]
                slug = f"{projection}/{name}/{digest}" + (f"-{suffix}" if suffix else "")
                m = _n(resource_iri("measurement", slug))
                value = float(row["value"])
                triples += [
                    ox.Triple(m, _n(RDF.type), _n(CG.NetworkMeasurement)),
                    ox.Triple(m, _n(CG.measuredNode), _n(row["iri"])),
                    ox.Triple(m, _n(CG.measure), measure_iri),
                    ox.Triple(m, _n(CG.projection), projection_iri),
                    ox.Triple(m, _n(CG.value), ox.Literal(repr(value), datatype=_n(XSD.double))),
                    ox.Triple(m, _n(CG.filters), filter_text),
                    ox.Triple(m, _n(PROV.generatedAtTime), stamp),
                ]
                if name == "community":
                    triples.append(
                        ox.Triple(m, _n(CG.community), ox.Literal(str(int(value)), datatype=_n(XSD.integer)))
                    )
                else:
                    triples.append(
                        ox.Triple(m, _n(CG.rank), ox.Literal(str(row["rank"]), datatype=_n(XSD.integer)))
                    )
    return triples


def publish(
    store: Store,
    catalogue: QueryCatalogue,
    projections: Sequence[str] = tuple(PUBLISHED),
    filters: Filters | None = None,
) -> int:
    """Replace the analysis graph with fresh measurements; return its number of triples.

    The projections are built (or taken from the cache) first, then the measurements replace
    the graph with :meth:`Store.put_graph`, in one transaction.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> publish(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir))
    0
    """
    triples = measurement_triples(store, catalogue, projections, filters)
    return store.put_graph(str(ANALYSIS_GRAPH), triples)
