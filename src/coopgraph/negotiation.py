"""HTTP content negotiation: media types coopgraph serves and ``Accept`` matching with q-values.

One table per kind of answer (SPARQL results, RDF graphs, RDF datasets); the SPARQL protocol
router and the linked-data router both choose from them with :func:`choose`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class MediaType:
    """A format coopgraph can write: its media type, file extension and Oxigraph format."""

    media_type: str
    extension: str
    name: str
    results_format: ox.QueryResultsFormat | None = None
    rdf_format: ox.RdfFormat | None = None
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/ld+json", "/trig", "/n-quads", "/n-triples", "/turtle", "/rdf+xml")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


RESULTS_TYPES: tuple[MediaType, ...] = (
    MediaType(
        "application/sparql-results+json",
        "srj",
        "json",
        results_format=ox.QueryResultsFormat.JSON,
        aliases=("application/json",),
    ),
    MediaType(
        "application/sparql-results+xml",
        "srx",
        "xml",
        results_format=ox.QueryResultsFormat.XML,
        aliases=("application/xml", "text/xml"),
    ),
    MediaType("text/csv", "csv", "csv", results_format=ox.QueryResultsFormat.CSV),
    MediaType("text/tab-separated-values", "tsv", "tsv", results_format=ox.QueryResultsFormat.TSV),
)
"""Formats of SELECT and ASK results, the default first."""

GRAPH_TYPES: tuple[MediaType, ...] = (
    MediaType(
        "text/turtle", "ttl", "turtle", rdf_format=ox.RdfFormat.TURTLE, aliases=("application/x-turtle",)
    ),
    MediaType(
        "application/ld+json",
        "jsonld",
        "jsonld",
        rdf_format=ox.RdfFormat.JSON_LD,
        aliases=("application/json",),
    ),
    MediaType(
        "application/rdf+xml",
        "rdf",
        "rdfxml",
        rdf_format=ox.RdfFormat.RDF_XML,
        aliases=("application/xml", "text/xml"),
    ),
    MediaType(
        "application/n-triples", "nt", "ntriples", rdf_format=ox.RdfFormat.N_TRIPLES, aliases=("text/plain",)
    ),
)
"""Formats of RDF graphs (CONSTRUCT, DESCRIBE, resource descriptions), the default first."""

DATASET_TYPES: tuple[MediaType, ...] = (
    MediaType("application/n-quads", "nq", "nquads", rdf_format=ox.RdfFormat.N_QUADS),
    MediaType("application/trig", "trig", "trig", rdf_format=ox.RdfFormat.TRIG),
)
"""Formats that keep named graphs (the source document of each statement)."""

HTML = MediaType("text/html", "html", "html", aliases=("application/xhtml+xml",))


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Parse an ``Accept`` header into ``(media range, q)`` pairs, best first.

    Ties keep the more specific range first, then the client's order.

    >>> parse_accept("text/html;q=0.9, application/sparql-results+json, */*;q=0.1")
    [('application/sparql-results+json', 1.0), ('text/html', 0.9), ('*/*', 0.1)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int, int]] = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity, index))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(m, q) for m, q, _, _ in ranges]


def _matches(media_range: str, offered: MediaType) -> bool:
    if media_range == "*/*":
        return True
    names = (offered.media_type, *offered.aliases)
    if media_range.endswith("/*"):
        return any(n.startswith(media_range[:-1]) for n in names)
    return media_range in names


def choose(accept: str | None, offered: tuple[MediaType, ...] | list[MediaType]) -> MediaType | None:
    """The offered format the client prefers, or ``None`` when nothing it accepts is offered.

    An exact media type beats an alias (``application/json`` is an alias of both SPARQL JSON
    results and JSON-LD); ``*/*`` or a missing header picks the first offered format; a range
    with ``q=0`` excludes a format.

    >>> choose("text/csv;q=0.5, application/sparql-results+xml", RESULTS_TYPES).name
    'xml'
    >>> choose(None, GRAPH_TYPES).name
    'turtle'
    >>> choose("image/png", GRAPH_TYPES) is None
    True
    """
    ranges = parse_accept(accept)
    excluded = {m for m, q in ranges if q == 0.0}
    for media_range, q in ranges:
        if q == 0.0:
            continue
        exact = [o for o in offered if o.media_type == media_range and o.media_type not in excluded]
        if exact:
            return exact[0]
        for o in offered:
            if o.media_type not in excluded and _matches(media_range, o):
                return o
    return None


def by_extension(extension: str, offered: tuple[MediaType, ...] | list[MediaType]) -> MediaType | None:
    """The offered format with this file extension or short name (``ttl``, ``jsonld``, ``turtle``)."""
    key = extension.lower().lstrip(".")
    for o in offered:
        if key in (o.extension, o.name):
            return o
    return None
