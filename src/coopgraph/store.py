"""The store interface and its two back ends.

:class:`EmbeddedStore` keeps the graph in an Oxigraph store inside the process (on disk under
``COOPGRAPH_STORE_DIR``, or in memory); :class:`RemoteStore` speaks SPARQL 1.1 to any endpoint
(Oxigraph server, Fuseki, Virtuoso, GraphDB, QLever) through SPARQLWrapper. Both answer the same
calls with pyoxigraph terms, so the rest of coopgraph does not know which one it has.

Loading is transactional: a graph is replaced only once its new content has parsed completely,
so a file that fails leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import sys
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.errors import InputError, QueryError, StoreBusy
from coopgraph.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH
from coopgraph.queries import NamedQuery, catalogue_for
from coopgraph.sparqltext import Bindings, with_values

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]
Progress = Callable[[int], None]

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}
"""File extensions the loaders read, and their formats."""

_QUERY_POSITION = re.compile(r"error at (\d+):(\d+)")


def rdf_format_for(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path`` by its extension.

    >>> rdf_format_for(Path("data/sela-workshop-2011.ttl"))
    <RdfFormat Turtle>
    """
    try:
        return RDF_FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"unknown RDF file extension {path.suffix!r} (known: {', '.join(RDF_FORMATS)})", path
        ) from None


def input_error(exc: SyntaxError, path: Path) -> InputError:
    """An :class:`InputError` with the file and line of a pyoxigraph parse error."""
    return InputError(exc.msg or str(exc), path, exc.lineno, exc.offset)


def query_error(
    exc: SyntaxError | ValueError | OSError | RuntimeError, name: str | None = None
) -> QueryError:
    """A :class:`QueryError` with the position pyoxigraph gives (``error at line:column``)."""
    message = str(exc.msg) if isinstance(exc, SyntaxError) and exc.msg else str(exc)
    match = _QUERY_POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    return QueryError(message, name, line, column)


@dataclass(frozen=True)
class GraphSource:
    """The files one named graph is loaded from."""

    graph: str
    paths: tuple[Path, ...]

    def content_hash(self) -> str:
        """A hash of the file names and contents, to skip reloading what did not change."""
        digest = hashlib.sha256()
        for path in self.paths:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def project_sources(settings: Settings) -> list[GraphSource]:
    """The named graphs of the knowledge folders and the files each is loaded from.

    ``ontology/`` -> ``graph/ontology``; ``shapes/`` -> ``graph/shapes``; ``data/reference/`` ->
    ``graph/reference``; every other file ``data/NAME.ttl`` -> ``graph/NAME``.
    """

    def rdf_files(folder: Path) -> tuple[Path, ...]:
        return tuple(sorted(p for p in folder.glob("*") if p.suffix.lower() in RDF_FORMATS))

    sources = [
        GraphSource(str(ONTOLOGY_GRAPH), rdf_files(settings.ontology_dir)),
        GraphSource(str(SHAPES_GRAPH), rdf_files(settings.shapes_dir)),
        GraphSource(str(REFERENCE_GRAPH), rdf_files(settings.instance_dir / "reference")),
    ]
    for path in rdf_files(settings.instance_dir):
        sources.append(GraphSource(GRAPH_BASE + path.stem, (path,)))
    return [s for s in sources if s.paths]


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse an RDF file completely, raising :class:`InputError` with file and line."""
    try:
        return list(ox.parse(path=str(path), format=rdf_format_for(path)))
    except SyntaxError as exc:
        raise input_error(exc, path) from exc
    except OSError as exc:
        raise InputError(str(exc), path) from exc


class Store(ABC):
    """What coopgraph needs of a store: SPARQL queries and transactional graph loads."""

    #: ``embedded`` or ``remote``
    kind: str

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
    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs in the store."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one named graph, or of all of them)."""

    @abstractmethod
    def version(self) -> str:
        """A token that changes whenever the store's content changes (for caches and ETags)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store's resources."""

    # -- shared helpers -------------------------------------------------------------------
    def run(self, query: NamedQuery, values: Mapping[str, str] | None = None) -> list[Row]:
        """Run a named SELECT query with raw parameter values (bound as RDF terms).

        Examples
        --------
        >>> from coopgraph.queries import parse_query_text
        >>> store = EmbeddedStore(None)
        >>> q = parse_query_text("n", "#+ summary: count\\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        >>> store.run(q)[0]["n"].value
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
    """The lexical values of a row (IRIs as strings, literals as their lexical form)."""
    return {k: v.value for k, v in row.items()}


LOCK_FILE = "coopgraph.lock"
READ_ONLY_NOTE = "serving read-only"


def _note_lock(fd: int | None, doing: str) -> None:
    """Write who holds the lock, and what for, into the lock file."""
    if fd is None:
        return
    note = f"{os.getpid()} {doing}: {' '.join(os.path.basename(a) for a in sys.argv[:2])}\n".encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, note, 0)


def _hold_lock(path: Path) -> int:
    """Take the writer's lock of the on-disk store at ``path``; :class:`StoreBusy` if held."""
    fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
        os.close(fd)
        raise StoreBusy(
            f"the store {path} is in use by another coopgraph process (pid {holder}); stop it "
            "first, or set COOPGRAPH_STORE_DIR to another folder",
            readable=READ_ONLY_NOTE in holder,
        ) from None
    _note_lock(fd, "writing")
    return fd


class EmbeddedStore(Store):
    """An Oxigraph store in this process.

    Parameters
    ----------
    path
        Folder of the on-disk store, created if missing; ``None`` keeps it in memory.
    read_only
        Open an existing on-disk store read-only (worker processes do).

    Notes
    -----
    An on-disk store opened for writing holds ``coopgraph.lock`` in its folder until
    :meth:`close`, so a second writer gets :class:`~coopgraph.errors.StoreBusy` with the
    holder's process id. RocksDB allows read-only opens beside a writer but leaves their result
    undefined while the writer writes (compactions included), so the service loads, then
    reopens the store read-only with :meth:`make_read_only` (keeping the lock) before its
    worker processes open it.

    Examples
    --------
    >>> store = EmbeddedStore(None)
    >>> store.named_graphs()
    []
    """

    kind = "embedded"

    def __init__(self, path: Path | None, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only and path is not None
        self._lock: int | None = None  # set first: __del__ reads it even when opening fails
        if path is None:
            self.oxigraph = ox.Store()
        elif read_only:
            self.oxigraph = ox.Store.read_only(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._lock = _hold_lock(path)
            try:
                self.oxigraph = ox.Store(str(path))
            except BaseException:
                self._release_lock()
                raise
        self._version = uuid.uuid4().hex if path is None else self._read_manifest().get("version", "0")

    # -- queries --------------------------------------------------------------------------
    def execute(
        self,
        query: str,
        bindings: Bindings | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Any:
        """Run any query and return pyoxigraph's own result object (solutions, bool, triples).

        The default graph is the union of all named graphs unless ``default_graph`` names the
        graphs to use instead (the SPARQL protocol's ``default-graph-uri``).
        """
        kwargs: dict[str, Any] = {}
        if default_graph:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self.oxigraph.query(with_values(query, bindings), **kwargs)
        except (SyntaxError, ValueError, RuntimeError) as exc:
            raise query_error(exc) from exc
        except OSError as exc:
            raise QueryError(str(exc)) from exc

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        result = self.execute(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        try:
            return [
                {n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in result
            ]
        except (SyntaxError, ValueError, OSError) as exc:
            raise query_error(exc) from exc

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self.execute(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        result = self.execute(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    # -- content --------------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        for quad in self.oxigraph.quads_for_pattern(None, None, None, g):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def version(self) -> str:
        return self._version

    def replace_graph(self, graph: str, paths: Sequence[Path], progress: Progress | None = None) -> int:
        target = ox.NamedNode(graph)
        for path in paths:
            rdf_format_for(path)  # unknown extensions fail before anything is written
        # A new graph is loaded in place (a failure removes it again); an existing one is
        # loaded beside it and moved over it in one transaction, which costs several times the
        # load itself, so it is done only when there is something to keep.
        fresh = not self.oxigraph.contains_named_graph(target)
        into = target if fresh else ox.NamedNode(f"{graph}#staging-{uuid.uuid4().hex}")
        done = False
        try:
            for path in paths:
                try:
                    # Store.load is itself transactional: a file that fails adds nothing
                    self.oxigraph.load(path=str(path), format=rdf_format_for(path), to_graph=into)
                except SyntaxError as exc:
                    raise input_error(exc, path) from exc
                except OSError as exc:
                    raise InputError(str(exc), path) from exc
                if progress:
                    progress(path.stat().st_size)
            if not fresh:
                self.oxigraph.update(f"MOVE SILENT GRAPH {into} TO GRAPH {target}")
            done = True
        finally:
            if not (fresh and done) and self.oxigraph.contains_named_graph(into):
                self.oxigraph.remove_graph(into)
        self._bump_version()
        return self.graph_size(graph)

    def bulk_load(self, graph: str, path: Path, progress: Progress | None = None) -> int:
        """Load a large file into a graph that does not exist yet, as fast as Oxigraph can.

        Uses Oxigraph's bulk loader, which is not transactional; on failure the partly
        written graph is removed, so the store is left as it was.
        """
        target = ox.NamedNode(graph)
        if self.oxigraph.contains_named_graph(target):
            return self.replace_graph(graph, [path], progress)
        try:
            self.oxigraph.bulk_load(path=str(path), format=rdf_format_for(path), to_graph=target)
        except SyntaxError as exc:
            self.oxigraph.remove_graph(target)
            raise input_error(exc, path) from exc
        except OSError as exc:
            self.oxigraph.remove_graph(target)
            raise InputError(str(exc), path) from exc
        if progress:
            progress(path.stat().st_size)
        self._bump_version()
        return self.graph_size(graph)

    def close(self) -> None:
        """Flush and let go of the Oxigraph store, releasing the on-disk store's lock."""
        if hasattr(self, "oxigraph"):
            self.flush()
            del self.oxigraph
        self._release_lock()

    def make_read_only(self) -> None:
        """Reopen an on-disk store read-only, keeping its lock (nothing else may write it).

        Other processes can then open it read-only safely: no writer is left, background
        compactions included. An in-memory store is left as it is.
        """
        if self.path is None or self.read_only:
            return
        self.flush()
        del self.oxigraph  # closes the RocksDB writer, waiting for its background work
        self.oxigraph = ox.Store.read_only(str(self.path))
        self.read_only = True
        _note_lock(self._lock, READ_ONLY_NOTE)

    def __del__(self) -> None:
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock, fcntl.LOCK_UN)
                os.close(self._lock)
            self._lock = None

    def graph_size(self, graph: str) -> int:
        """Number of triples in one named graph."""
        return sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self.oxigraph.flush()

    # -- manifest of loaded sources (skip reloads) ------------------------------------------
    def _manifest_path(self) -> Path | None:
        return None if self.path is None else self.path / "coopgraph-manifest.json"

    def _read_manifest(self) -> dict[str, Any]:
        path = self._manifest_path()
        if path is None or not path.exists():
            return {}
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def loaded_hashes(self) -> dict[str, str]:
        """Content hash of the sources each graph was last loaded from."""
        hashes = self._read_manifest().get("graphs", {})
        return hashes if isinstance(hashes, dict) else {}

    def record_loaded(self, hashes: Mapping[str, str]) -> None:
        """Remember what was loaded, after the loads succeeded."""
        path = self._manifest_path()
        if path is None:
            return
        self.flush()
        data = {"version": self._version, "graphs": dict(hashes)}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), "utf-8")
        tmp.replace(path)

    def _bump_version(self) -> None:
        self._version = uuid.uuid4().hex


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint, spoken to through SPARQLWrapper.

    Parameters
    ----------
    endpoint
        The query URL.
    update_endpoint
        The update URL, needed to load graphs.
    user, password
        HTTP basic credentials, if the endpoint needs them.
    timeout
        Seconds a request may take.
    queries_dir
        The folder of the named queries, whose ``internal/`` queries read the store back
        (default: the settings' ``queries_dir``).

    Notes
    -----
    Parameters are bound by :func:`with_values`, as on the embedded store.
    The endpoint must expose the union of its named graphs as its default graph (``oxigraph
    serve --union-default-graph``, Fuseki's ``tdb:unionDefaultGraph``, GraphDB and Virtuoso by
    default) for coopgraph's queries to see the data.
    """

    kind = "remote"

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        queries_dir: Path | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.queries_dir = queries_dir
        self.update_endpoint = update_endpoint
        self.user = user
        self.password = password
        self.timeout = timeout

    def _wrapper(self, url: str | None = None) -> Any:
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url or self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.timeout))
        if self.user:
            wrapper.setCredentials(self.user, self.password or "")
        return wrapper

    def raw(self, query: str, accept: str, bindings: Bindings | None = None) -> tuple[bytes, str]:
        """Send a query and return the endpoint's response body and content type."""
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        wrapper = self._wrapper()
        wrapper.setQuery(with_values(query, bindings))
        wrapper.addCustomHttpHeader("Accept", accept)
        try:
            response = wrapper.query().response
        except QueryBadFormed as exc:
            raise query_error(ValueError(str(exc))) from exc
        except (SPARQLWrapperException, OSError) as exc:
            raise QueryError(f"the SPARQL endpoint {self.endpoint} failed: {exc}") from exc
        content_type = response.headers.get("Content-Type", accept)
        return response.read(), content_type

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        body, _ = self.raw(query, "application/sparql-results+json", bindings)
        results = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if not isinstance(results, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in results.variables]
        return [{n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in results]

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        body, _ = self.raw(query, "application/sparql-results+json", bindings)
        return bool(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))

    def construct(self, query: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        body, _ = self.raw(query, "application/n-triples", bindings)
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def update(self, update: str) -> None:
        """Send a SPARQL update (one request: the endpoint applies it as one transaction)."""
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        if not self.update_endpoint:
            raise QueryError("loading into a remote endpoint needs COOPGRAPH_SPARQL_UPDATE_ENDPOINT")
        wrapper = self._wrapper(self.update_endpoint)
        wrapper.setQuery(update)
        try:
            wrapper.query()
        except (SPARQLWrapperException, OSError) as exc:
            raise QueryError(f"the SPARQL update endpoint {self.update_endpoint} failed: {exc}") from exc

    def replace_graph(self, graph: str, paths: Sequence[Path], progress: Progress | None = None) -> int:
        target = ox.NamedNode(graph)
        triples: list[str] = []
        for path in paths:
            for quad in parse_file(path):  # everything parses before anything is sent
                triples.append(f"{quad.subject} {quad.predicate} {quad.object} .")
            if progress:
                progress(path.stat().st_size)
        body = "\n".join(triples)
        self.update(f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{body}\n}} }}")
        return len(triples)

    def _internal(self, name: str) -> str:
        return catalogue_for(self.queries_dir or Settings().queries_dir).internal(name).text

    def named_graphs(self) -> list[str]:
        rows = self.select(self._internal("graph-sizes"))
        return sorted(r["graph"].value for r in rows if isinstance(r.get("graph"), ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        bindings = {"__graph_iri": ox.NamedNode(graph)} if graph else None
        for row in self.select(self._internal("graph-quads"), bindings):
            g = row.get("__graph_iri")
            if isinstance(g, ox.NamedNode):
                yield as_quad(row["s"], row["p"], row["o"], g)

    def version(self) -> str:
        digest = hashlib.sha256()
        for row in self.select(self._internal("graph-sizes")):
            digest.update(f"{row['graph'].value}={row['triples'].value};".encode())
        return digest.hexdigest()[:16]


def open_store(settings: Settings, read_only: bool = False) -> Store:
    """Open the store the settings choose: the remote endpoint if one is set, else embedded.

    Examples
    --------
    >>> open_store(Settings(in_memory=True)).kind
    'embedded'
    """
    if settings.sparql_endpoint:
        return RemoteStore(
            settings.sparql_endpoint,
            settings.sparql_update_endpoint,
            settings.sparql_user,
            settings.sparql_password,
            timeout=max(settings.query_timeout * 3, 30.0),
            queries_dir=settings.queries_dir,
        )
    return EmbeddedStore(None if settings.in_memory else settings.store_path, read_only=read_only)


@dataclass
class LoadReport:
    """What :func:`load_project` did for each named graph."""

    loaded: dict[str, int]
    skipped: list[str]


def load_project(store: Store, settings: Settings, force: bool = False) -> LoadReport:
    """Load ``ontology/``, ``shapes/`` and ``data/`` into their named graphs.

    Graphs whose files have not changed since the last load (same content hash) are skipped
    unless ``force``; graphs of files that were removed are dropped.

    Examples
    --------
    >>> store = EmbeddedStore(None)
    >>> report = load_project(store, Settings(in_memory=True))
    >>> "https://w3id.org/coopgraph/graph/ontology" in report.loaded
    True
    """
    sources = project_sources(settings)
    previous = store.loaded_hashes() if isinstance(store, EmbeddedStore) else {}
    hashes: dict[str, str] = {}
    report = LoadReport(loaded={}, skipped=[])
    for source in sources:
        digest = source.content_hash()
        hashes[source.graph] = digest
        if not force and previous.get(source.graph) == digest and source.graph in previous:
            report.skipped.append(source.graph)
            continue
        report.loaded[source.graph] = store.replace_graph(source.graph, source.paths)
    if isinstance(store, EmbeddedStore):
        current = {s.graph for s in sources}
        for graph in previous:
            if graph not in current and graph in store.named_graphs():
                store.oxigraph.remove_graph(ox.NamedNode(graph))
        store.record_loaded(hashes)
    return report


def iter_rows(rows: Iterable[Row]) -> Iterator[dict[str, str]]:
    """Rows as plain strings, for printing and tests."""
    for row in rows:
        yield row_values(row)
