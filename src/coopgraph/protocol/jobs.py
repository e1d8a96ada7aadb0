"""A query to run, as one value, how it crosses to a worker, and how an embedded store runs it.

Everything about a query is decided in the parent before it becomes a :class:`Job`: its form
(read once from the text), the negotiated media type, the row cap, the dataset and the base of
its relative IRIs. A worker process or the remote path only carries it out.

A job crosses the pipe to a worker as a frame (:func:`encode_job`, :func:`decode_job`): plain
values in :mod:`marshal`'s format, the media type as its place in the negotiation tables and
bound terms as their parts, about a tenth of what pickling the dataclass costs. A job whose media
type or terms the frame cannot name is pickled whole.
"""

from __future__ import annotations

import copyreg
import marshal
import pickle
import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from coopgraph.errors import QueryError
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES, MediaType
from coopgraph.protocol.results import Answer, serialize_result
from coopgraph.sparqltext import GRAPH_FORMS, base_declaration, with_base
from coopgraph.store import EmbeddedStore, query_error


def _rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no RDF format has the media type {media_type}")
    return fmt


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no query results format has the media type {media_type}")
    return fmt


# Oxigraph's format objects do not pickle; a media type crosses to a worker whole, its formats
# rebuilt from their media types on the other side.
copyreg.pickle(ox.RdfFormat, lambda fmt: (_rdf_format, (fmt.media_type,)))
copyreg.pickle(ox.QueryResultsFormat, lambda fmt: (_results_format, (fmt.media_type,)))

_FIRST_LINE_POSITION = re.compile(r"error at 1:(\d+)")


@dataclass(frozen=True)
class Job:
    """One query to run and how to answer it.

    Attributes
    ----------
    query
        The query text, as the client or the catalogue gave it.
    form
        ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``, as read from the text by the parent
        (``None`` when the text does not say: the engine then reports the syntax error).
    media
        The negotiated format of the answer (from the results table, or the graph table for
        CONSTRUCT and DESCRIBE).
    max_rows
        The row cap of SELECT results.
    bindings
        Parameters, as RDF terms.
    default_graph, named_graphs
        The dataset (the protocol's ``default-graph-uri`` and ``named-graph-uri``).
    base_iri
        The base the query's relative IRIs resolve against, or ``None`` when it has none.
    """

    query: str
    form: str | None
    media: MediaType
    max_rows: int
    bindings: dict[str, ox.NamedNode | ox.Literal] = field(default_factory=dict)
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None

    @property
    def graph_answer(self) -> bool:
        """Whether the answer is an RDF graph (CONSTRUCT, DESCRIBE)."""
        return self.form in GRAPH_FORMS

    @property
    def text(self) -> str:
        """The text the engine gets: the query, after a ``BASE`` declaration when it has one."""
        return self.query if self.base_iri is None else with_base(self.query, self.base_iri)

    def client_error(self, error: QueryError) -> QueryError:
        """``error`` at its position in :attr:`query` (without the ``BASE`` :attr:`text` adds).

        >>> from coopgraph.negotiation import RESULTS_TYPES
        >>> job = Job("SELECT * { <x> ?p }", "SELECT", RESULTS_TYPES[0], 10, base_iri="http://e/")
        >>> error = job.client_error(QueryError("error at 1:37: expected", line=1, column=37))
        >>> error.message, error.column
        ('error at 1:20: expected', 20)
        """
        if self.base_iri is None or error.line != 1:
            return error
        shift = len(base_declaration(self.base_iri))
        message = _FIRST_LINE_POSITION.sub(
            lambda m: f"error at 1:{max(1, int(m.group(1)) - shift)}", error.message, count=1
        )
        moved = query_error(ValueError(message))
        moved.query_name = error.query_name
        return moved


_MARSHALLED = b"M"
_PICKLED = b"P"
_MEDIA: tuple[MediaType, ...] = RESULTS_TYPES + GRAPH_TYPES
# the negotiation hands out the tables' own objects: their identity names them
_MEDIA_PLACE = {id(media): place for place, media in enumerate(_MEDIA)}
_IRI, _TYPED, _LANG = 0, 1, 2


def _term_parts(term: object) -> tuple[Any, ...] | None:
    """A bound term as plain values, or ``None`` when the frame cannot carry it."""
    if isinstance(term, ox.NamedNode):
        return (_IRI, term.value)
    if isinstance(term, ox.Literal) and term.direction is None:
        if term.language is not None:
            return (_LANG, term.value, term.language)
        return (_TYPED, term.value, term.datatype.value)
    return None


def _term(parts: tuple[Any, ...]) -> ox.NamedNode | ox.Literal:
    if parts[0] == _IRI:
        return ox.NamedNode(parts[1])
    if parts[0] == _LANG:
        return ox.Literal(parts[1], language=parts[2])
    return ox.Literal(parts[1], datatype=ox.NamedNode(parts[2]))


def encode_job(job: Job) -> bytes:
    """The frame that carries ``job`` to a worker (:func:`decode_job` reads it).

    Examples
    --------
    >>> job = Job("ASK {}", "ASK", RESULTS_TYPES[0], 10, {"x": ox.Literal("a", language="en")})
    >>> decode_job(encode_job(job)) == job
    True
    """
    place = _MEDIA_PLACE.get(id(job.media))
    bindings = []
    for name, term in job.bindings.items():
        parts = _term_parts(term)
        if parts is None:
            place = None
            break
        bindings.append((name, *parts))
    if place is None:
        return _PICKLED + pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
    values = (
        job.query,
        job.form,
        place,
        job.max_rows,
        tuple(bindings),
        job.default_graph,
        job.named_graphs,
        job.base_iri,
    )
    return _MARSHALLED + marshal.dumps(values)


def decode_job(frame: bytes) -> Job:
    """The job of a frame written by :func:`encode_job`.

    Raises
    ------
    ValueError
        The frame is neither kind.
    """
    kind, body = frame[:1], memoryview(frame)[1:]
    if kind == _PICKLED:
        job = pickle.loads(body)
        if not isinstance(job, Job):
            raise ValueError(f"a pickled job frame held a {type(job).__name__}")
        return job
    if kind != _MARSHALLED:
        raise ValueError(f"not a job frame (kind {bytes(kind)!r})")
    query, form, place, max_rows, bindings, default_graph, named_graphs, base_iri = marshal.loads(body)
    return Job(
        query,
        form,
        _MEDIA[place],
        max_rows,
        {name: _term(parts) for name, *parts in bindings},
        default_graph,
        named_graphs,
        base_iri,
    )


def run_job(store: EmbeddedStore, job: Job) -> Answer:
    """Run a job on an embedded store and serialise its answer (what a worker does).

    Examples
    --------
    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> job = Job("ASK { ?s ?p ?o }", "ASK", RESULTS_TYPES[0], max_rows=10)
    >>> run_job(EmbeddedStore(None), job).body
    b'{"head":{},"boolean":false}'
    """
    try:
        result = store.execute(job.text, job.bindings, job.default_graph, job.named_graphs)
    except QueryError as exc:
        raise job.client_error(exc) from exc
    if isinstance(result, ox.QueryTriples) != job.graph_answer:
        raise QueryError(f"the query was read as a {job.form} query but the engine ran another form")
    try:
        return serialize_result(result, job.media, job.max_rows)
    except (SyntaxError, ValueError, OSError) as exc:
        raise query_error(exc) from exc
