"""The store interface: what coopgraph needs of a store, whichever back end holds the data.

Both back ends (:mod:`coopgraph.store.embedded`, :mod:`coopgraph.store.remote`) answer the same
calls with pyoxigraph terms, so the rest of coopgraph does not know which one it has; what does
differ between them is said by the interface's flags (:attr:`Store.engine_in_process`,
:attr:`Store.holds_computed_graphs`), never by the caller checking the store's type.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import NotSupported, QueryError
from coopgraph.queries import NamedQuery
from coopgraph.sparqltext import Bindings

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]
Progress = Callable[[int], None]

_QUERY_POSITION = re.compile(r"error at (\d+):(\d+)")


def query_error(
    exc: SyntaxError | ValueError | OSError | RuntimeError, name: str | None = None
) -> QueryError:
    """A :class:`QueryError` with the position pyoxigraph gives (``error at line:column``).

    >>> error = query_error(ValueError("error at 1:8: expected WHERE"))
    >>> (error.line, error.column)
    (1, 8)
    """
    message = str(exc.msg) if isinstance(exc, SyntaxError) and exc.msg else str(exc)
    match = _QUERY_POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    return QueryError(message, name, line, column)


class Store(ABC):
    """What coopgraph needs of a store: SPARQL queries and transactional graph writes."""

    kind: str
    """``embedded`` or ``remote``, for messages and the service description."""
    engine_in_process: bool
    """Queries run inside this process (the embedded store), so a user query must run in a
    worker process that can be killed on timeout; ``False`` when a server runs them."""
    holds_computed_graphs: bool
    """coopgraph may write the graphs it computes (the analysis graph) into this store: its own
    embedded store, yes; a remote endpoint, which others may share, no."""

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query over the union of the named graphs; rows map variables to terms."""

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def replace_graph(self, graph: str, paths: Sequence[Path], progress: Progress | None = None) -> int:
        """Replace the content of ``graph`` with the files ``paths``, atomically.

        Returns the number of triples the graph holds afterwards. Raises
        :class:`~coopgraph.errors.InputError` (file, line) when a file cannot be parsed; the
        store is then unchanged.
        """

    @abstractmethod
    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """Replace the content of ``graph`` with ``triples``, atomically (the Graph Store PUT).

        Parameters
        ----------
        graph
            The IRI of the named graph.
        triples
            Its new content; an iterable that fails part way writes nothing.

        Returns
        -------
        int
            The number of triples the graph holds afterwards.

        Notes
        -----
        A failure, of the iterable or of the store, leaves the graph as it was.
        """

    def put_graphs(self, graphs: Mapping[str, Iterable[ox.Triple] | None]) -> dict[str, int]:
        """Replace several graphs at once, atomically: all of them change or none does.

        Parameters
        ----------
        graphs
            Per graph IRI, its new content, or ``None`` to remove the graph.

        Returns
        -------
        dict[str, int]
            The number of triples each graph holds afterwards.

        Raises
        ------
        NotSupported
            When the store cannot write several graphs in one transaction (a remote endpoint).
        """
        raise NotSupported(f"the {self.kind} store cannot replace several graphs in one transaction")

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove the named graph ``graph``, if the store has it."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs in the store."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one named graph, or of all of them)."""

    @abstractmethod
    def version(self) -> str:
        """A token that changes whenever the store's content changes (for caches and ETags)."""

    def loaded_hashes(self) -> dict[str, str]:
        """Content hash of the sources each graph was last loaded from.

        Empty for a store that does not remember (a remote endpoint): everything is loaded.
        """
        return {}

    def record_loaded(self, hashes: Mapping[str, str]) -> None:  # noqa: B027 - optional hook
        """Remember what was loaded, after the loads succeeded (see :meth:`loaded_hashes`)."""

    def make_read_only(self) -> None:  # noqa: B027 - optional hook
        """Stop writing, so that other processes may read the store safely; a no-op where that
        means nothing (in memory, or on a remote endpoint)."""

    def snapshot(self) -> Store:
        """A consistent copy of the content for readers in other processes (the query workers)
        while this process writes; the store itself where readers see it safely already."""
        return self

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Write what is buffered to disk; a no-op where nothing is buffered (a remote endpoint)."""

    def compact(self) -> None:  # noqa: B027 - optional hook
        """Arrange what is stored for reading (merge the files a bulk load leaves); a no-op where
        there is nothing to arrange here (in memory, read-only, a remote endpoint)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store's resources."""

    def select_named(self, query: NamedQuery, values: Mapping[str, str] | None = None) -> list[Row]:
        """Run a named SELECT query with raw parameter values (bound as RDF terms).

        Examples
        --------
        >>> from coopgraph.queries import parse_query_text
        >>> from coopgraph.store import EmbeddedStore
        >>> store = EmbeddedStore(None)
        >>> q = parse_query_text("n", "#+ summary: count\\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        >>> store.select_named(q)[0]["n"].value
        '0'
        """
        try:
            return self.select(query.text, query.bind(values or {}))
        except QueryError as exc:
            exc.query_name = query.name
            raise


def as_quad(subject: Term, predicate: Term, obj: Term, graph: Term) -> ox.Quad:
    """The quad a result row spells out, checked: a literal cannot be a subject, predicate or graph.

    >>> as_quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"), ox.NamedNode("http://e/g"))
    <Quad subject=<NamedNode value=http://e/s> predicate=<NamedNode value=http://e/p> object=<Literal value=o datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>> graph_name=<NamedNode value=http://e/g>>
    """
    if (
        isinstance(subject, ox.Literal)
        or not isinstance(predicate, ox.NamedNode)
        or isinstance(graph, ox.Literal)
    ):
        raise QueryError(f"a result row is not a quad: {subject} {predicate} {obj} {graph}")
    return ox.Quad(subject, predicate, obj, graph)


def row_values(row: Row) -> dict[str, str]:
    """The lexical values of a row (IRIs as strings, literals as their lexical form).

    >>> row_values({"s": ox.NamedNode("http://e/s"), "n": ox.Literal("3")})
    {'s': 'http://e/s', 'n': '3'}
    """
    return {k: v.value for k, v in row.items()}


def iter_rows(rows: Iterable[Row]) -> Iterator[dict[str, str]]:
    """Rows as plain strings, for printing and tests.

    >>> list(iter_rows([{"n": ox.Literal("3")}]))
    [{'n': '3'}]
    """
    for row in rows:
        yield row_values(row)
