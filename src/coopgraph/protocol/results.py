"""Answers as bytes: serialising query results in the negotiated format, with the row cap.

SELECT results are capped at ``COOPGRAPH_MAX_ROWS`` rows (:func:`serialize_solutions`): the
results are written by Oxigraph itself, counted on the bytes and, only when they are too many,
cut through the TSV form, which has one row per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from coopgraph.errors import QueryError
from coopgraph.namespaces import PREFIXES
from coopgraph.negotiation import MediaType

TRUNCATED_HEADER = "X-Coopgraph-Truncated"
MAX_ROWS_HEADER = "X-Coopgraph-Max-Rows"

_JSON = ox.QueryResultsFormat.JSON
_TSV = ox.QueryResultsFormat.TSV


@dataclass(frozen=True)
class Answer:
    """A serialised answer: the body, its content type and whether rows were cut."""

    body: bytes
    content_type: str
    truncated: bool = False


def _json_rows(body: bytes) -> int | None:
    """Rows in Oxigraph's compact JSON results, or ``None`` when the count is not certain.

    Binding objects are the only ``{"`` that follow a comma (inside strings a quote is escaped);
    an empty binding ``{}`` cannot be told from text inside a literal, so any ``{}`` gives up.
    """
    if b"{}" in body:
        return None
    if body.endswith(b'"bindings":[]}}'):
        return 0
    return body.count(b',{"') + 1


def written(body: bytes | None) -> bytes:
    """The bytes a pyoxigraph serialiser returns when given no output file."""
    if body is None:
        raise QueryError("the serialiser wrote nothing")
    return body


def _cut_tsv(tsv: bytes, max_rows: int) -> tuple[bytes, bool]:
    """Keep the header and the first ``max_rows`` rows of TSV results (one row per line)."""
    rows = tsv.count(b"\n") - 1
    if rows <= max_rows:
        return tsv, False
    end = -1
    for _ in range(max_rows + 1):
        end = tsv.index(b"\n", end + 1)
    return tsv[: end + 1], True


def serialize_solutions(solutions: ox.QuerySolutions, media: MediaType, max_rows: int) -> Answer:
    """Serialise SELECT solutions in ``media``, keeping at most ``max_rows`` rows.

    JSON, the common case, is written by Oxigraph and counted on its bytes; other formats, and
    JSON that must be cut, go through TSV (one row per line), which Oxigraph reads back and
    writes in the asked format.

    Examples
    --------
    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> store = ox.Store()
    >>> solutions = store.query("SELECT ?x { VALUES ?x { 1 2 3 } }")
    >>> answer = serialize_solutions(solutions, RESULTS_TYPES[2], 2)
    >>> answer.body, answer.truncated
    (b'x\\r\\n1\\r\\n2\\r\\n', True)
    """
    fmt = media.results_format or _JSON
    if fmt == _JSON:
        body = written(solutions.serialize(format=_JSON))
        rows = _json_rows(body)
        if rows is not None and rows <= max_rows:
            return Answer(body, media.content_type)
        tsv = written(ox.parse_query_results(body, _JSON).serialize(format=_TSV))
    else:
        tsv = written(solutions.serialize(format=_TSV))
    return serialize_tsv(tsv, media, max_rows)


def serialize_tsv(tsv: bytes, media: MediaType, max_rows: int) -> Answer:
    """Serialise SELECT results given as TSV in ``media``, keeping at most ``max_rows`` rows.

    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> serialize_tsv(b"?x\\n1\\n2\\n", RESULTS_TYPES[3], 1)
    Answer(body=b'?x\\n1\\n', content_type='text/tab-separated-values; charset=utf-8', truncated=True)
    """
    fmt = media.results_format or _JSON
    cut, truncated = _cut_tsv(tsv, max_rows)
    if fmt == _TSV:
        return Answer(cut, media.content_type, truncated)
    body = written(ox.parse_query_results(cut, _TSV).serialize(format=fmt))
    return Answer(body, media.content_type, truncated)


def serialize_result(result: Any, media: MediaType, max_rows: int) -> Answer:
    """Serialise any pyoxigraph query result (solutions, boolean or triples) in ``media``.

    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> serialize_result(ox.Store().query("ASK {}"), RESULTS_TYPES[0], 10).body
    b'{"head":{},"boolean":true}'
    """
    if isinstance(result, ox.QuerySolutions):
        return serialize_solutions(result, media, max_rows)
    if isinstance(result, ox.QueryBoolean):
        return Answer(written(result.serialize(format=media.results_format or _JSON)), media.content_type)
    rdf_format = media.rdf_format or ox.RdfFormat.TURTLE
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(result, format=rdf_format, prefixes=prefixes)
    return Answer(written(body), media.content_type)
