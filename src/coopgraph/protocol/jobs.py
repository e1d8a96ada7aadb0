"""A query to run, as one picklable value, and how an embedded store runs it.

Everything about a query is decided in the parent before it becomes a :class:`Job`: its form
(read once from the text), the negotiated media type, the row cap, the dataset and the base of
its relative IRIs. A worker process or the remote path only carries it out.
"""

from __future__ import annotations

import copyreg
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from coopgraph.errors import QueryError
from coopgraph.negotiation import MediaType
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
