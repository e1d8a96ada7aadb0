"""The SPARQL 1.1 Protocol, without the web framework: checking, running and serialising queries.

What a request needs before a query runs -- its form, whether it is an update, the endpoints its
``SERVICE`` clauses name -- comes from :func:`inspect_query`, a small lexer that never executes
anything. User queries run in worker processes (:class:`QueryPool`): a worker that exceeds
``COOPGRAPH_QUERY_TIMEOUT`` is killed and replaced while the other workers go on answering. On a
remote store the remote server runs the query and a timeout on the HTTP request is enough
(:func:`run_remote`).

SELECT results are capped at ``COOPGRAPH_MAX_ROWS`` rows (:func:`serialize_solutions`): the
results are written by Oxigraph itself, counted on the bytes and, only when they are too many,
cut through the TSV form, which has one row per line.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import gc
import multiprocessing
import os
import pickle
import re
import signal
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, QueryError, QueryRefused, QueryTimeout
from coopgraph.namespaces import FORMATS, PREFIXES, SD, VOID
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES, MediaType
from coopgraph.store import EmbeddedStore, RemoteStore, Store, query_error, with_values

Bindings = Mapping[str, ox.NamedNode | ox.Literal]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
TRUNCATED_HEADER = "X-Coopgraph-Truncated"
MAX_ROWS_HEADER = "X-Coopgraph-Max-Rows"

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w\-.:%\u00b7\u00c0-\uffff]|\\.)*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


# The usual query: comments and PREFIX/BASE declarations, then the form. Matched in C, it
# spares the lexer (0.1-0.3 ms on a named query) when the rest of the text cannot hold a
# SERVICE clause.
_PLAIN_QUERY = re.compile(
    r"""(?:\s|\#[^\n]*\n|PREFIX\s*[^\s:<]*:\s*<[^<>"{}|^`\\\s]*>|BASE\s*<[^<>"{}|^`\\\s]*>)*
        (SELECT|CONSTRUCT|DESCRIBE|ASK)(?![A-Za-z0-9_])""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`inspect_query` finds in a query's text.

    Attributes
    ----------
    form
        ``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``, ``UPDATE`` or ``None`` when the text
        does not say (the parser will then report the error).
    services
        The endpoints the ``SERVICE`` clauses name: IRIs, or ``?var`` for a variable.
    """

    form: str | None
    services: tuple[str, ...] = ()

    @property
    def is_graph(self) -> bool:
        """Whether the answer is an RDF graph (CONSTRUCT, DESCRIBE)."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, match.group()))
    return out


def inspect_query(text: str) -> QueryInfo:
    """Find the form of a query and the endpoints its ``SERVICE`` clauses call, without running it.

    Strings, IRIs and comments are skipped, so a keyword inside a literal does not count.

    Examples
    --------
    >>> inspect_query("PREFIX ex: <http://e/> SELECT * { SERVICE ex:s { ?s ?p ?o } }")
    QueryInfo(form='SELECT', services=('http://e/s',))
    >>> inspect_query("# SELECT\\nINSERT DATA { <a:b> <a:c> 'SELECT' }").form
    'UPDATE'
    """
    plain = _PLAIN_QUERY.match(text)
    # a SERVICE clause can only follow the form keyword; the header comments may name anything
    if plain and "service" not in text[plain.end() :].lower():
        return QueryInfo(plain.group(1).upper())
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    form: str | None = None
    services: list[str] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = tokens[i + 1][1][1:-1]
            i += 2
            continue
        if form is None and kind == "word":
            if upper in QUERY_FORMS:
                form = upper
            elif upper in UPDATE_KEYWORDS:
                form = "UPDATE"
        if upper == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
                j += 1
            if j < len(tokens):
                services.append(_resolve(tokens[j], prefixes, base))
            i = j
        i += 1
    return QueryInfo(form, tuple(services))


def _resolve(token: tuple[str, str], prefixes: Mapping[str, str], base: str) -> str:
    kind, value = token
    if kind == "iri":
        return urllib.parse.urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes.get(prefix, prefix + ":") + local.replace("\\", "")
    return value


def check_query(text: str, settings: Settings) -> QueryInfo:
    """Refuse what the service does not allow (updates, ``SERVICE`` not on the allowlist).

    Raises
    ------
    QueryRefused
        For an update, or a ``SERVICE`` to an endpoint that is not allowed.

    Examples
    --------
    >>> check_query("SELECT * { ?s ?p ?o }", Settings(in_memory=True)).form
    'SELECT'
    >>> check_query("DROP ALL", Settings(in_memory=True))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.QueryRefused: this endpoint is read-only: ...
    """
    info = inspect_query(text)
    if info.form == "UPDATE":
        raise QueryRefused(READ_ONLY_MESSAGE)
    for endpoint in info.services:
        if not settings.allow_service:
            raise QueryRefused(
                f"SERVICE <{endpoint}> refused: federated queries (SERVICE) are switched off on "
                "this endpoint (COOPGRAPH_ALLOW_SERVICE)"
            )
        if endpoint not in settings.service_allowlist:
            raise QueryRefused(
                f"SERVICE <{endpoint}> refused: the endpoint is not on the allowlist "
                f"(COOPGRAPH_SERVICE_ALLOWLIST: {', '.join(settings.service_allowlist) or 'empty'})"
            )
    return info


READ_ONLY_MESSAGE = (
    "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are refused"
)


# -- serialisation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A serialised answer: the body, its content type and whether rows were cut."""

    body: bytes
    content_type: str
    truncated: bool = False


_JSON = ox.QueryResultsFormat.JSON
_TSV = ox.QueryResultsFormat.TSV


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


def _written(body: bytes | None) -> bytes:
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
    >>> store = ox.Store()
    >>> solutions = store.query("SELECT ?x { VALUES ?x { 1 2 3 } }")
    >>> answer = serialize_solutions(solutions, RESULTS_TYPES[2], 2)
    >>> answer.body, answer.truncated
    (b'x\\r\\n1\\r\\n2\\r\\n', True)
    """
    fmt = media.results_format or _JSON
    if fmt == _JSON:
        body = _written(solutions.serialize(format=_JSON))
        rows = _json_rows(body)
        if rows is not None and rows <= max_rows:
            return Answer(body, media.content_type)
        tsv = _written(ox.parse_query_results(body, _JSON).serialize(format=_TSV))
    else:
        tsv = _written(solutions.serialize(format=_TSV))
    return _from_tsv(tsv, fmt, media, max_rows)


def _from_tsv(tsv: bytes, fmt: ox.QueryResultsFormat, media: MediaType, max_rows: int) -> Answer:
    cut, truncated = _cut_tsv(tsv, max_rows)
    if fmt == _TSV:
        return Answer(cut, media.content_type, truncated)
    body = _written(ox.parse_query_results(cut, _TSV).serialize(format=fmt))
    return Answer(body, media.content_type, truncated)


def serialize_result(result: Any, media: MediaType, max_rows: int) -> Answer:
    """Serialise any pyoxigraph query result (solutions, boolean or triples) in ``media``."""
    if isinstance(result, ox.QuerySolutions):
        return serialize_solutions(result, media, max_rows)
    if isinstance(result, ox.QueryBoolean):
        return Answer(_written(result.serialize(format=media.results_format or _JSON)), media.content_type)
    rdf_format = media.rdf_format or ox.RdfFormat.TURTLE
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(result, format=rdf_format, prefixes=prefixes)
    return Answer(_written(body), media.content_type)


# -- jobs and the worker side --------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One query to run: its text, bindings, dataset, the format to write and the row cap."""

    query: str
    media: str
    graph_answer: bool
    max_rows: int
    bindings: dict[str, ox.NamedNode | ox.Literal] = field(default_factory=dict)
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def media_by_name(name: str, graph_answer: bool) -> MediaType:
    """The media type called ``name`` in the results or graph table."""
    table = GRAPH_TYPES if graph_answer else RESULTS_TYPES
    for media in table:
        if media.name == name:
            return media
    return table[0]


def run_job(store: EmbeddedStore, job: Job) -> Answer:
    """Run a job on an embedded store and serialise its answer (what a worker does).

    Examples
    --------
    >>> job = Job("ASK { ?s ?p ?o }", "json", graph_answer=False, max_rows=10)
    >>> run_job(EmbeddedStore(None), job).body
    b'{"head":{},"boolean":false}'
    """
    result = store.execute(job.query, job.bindings, job.default_graph, job.named_graphs)
    graph_answer = isinstance(result, ox.QueryTriples)
    media = media_by_name(job.media, graph_answer)
    if graph_answer != job.graph_answer:
        # the lexer guessed the form wrong (odd text): answer in the default of the real form
        media = (GRAPH_TYPES if graph_answer else RESULTS_TYPES)[0]
    try:
        return serialize_result(result, media, job.max_rows)
    except (SyntaxError, ValueError, OSError) as exc:
        raise query_error(exc) from exc


def _encode_error(exc: CoopgraphError) -> tuple[Any, ...]:
    return (
        "error",
        type(exc).__name__,
        getattr(exc, "message", str(exc)),
        getattr(exc, "line", None),
        getattr(exc, "column", None),
    )


def _decode(message: tuple[Any, ...]) -> Answer:
    if message[0] == "ok":
        return Answer(message[1], message[2], message[3])
    _, kind, text, line, column = message
    if kind == "QueryRefused":
        raise QueryRefused(text)
    raise QueryError(text, line=line, column=column)


def _worker_main(conn: Connection, store_path: str | None, inherited: EmbeddedStore | None) -> None:
    """The loop of a worker process: receive a pickled job, send back the pickled answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if inherited is not None:
        # forked: drop the parent's sockets (clients, listener) so they close when it does
        gc.freeze()
        keep = {0, 1, 2, conn.fileno()}
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd not in keep:
                with contextlib.suppress(OSError):
                    os.close(fd)
        store = inherited
    else:
        store = EmbeddedStore(Path(store_path) if store_path else None, read_only=True)
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            os._exit(0)
        try:
            answer = run_job(store, pickle.loads(data))
            reply: tuple[Any, ...] = ("ok", answer.body, answer.content_type, answer.truncated)
        except CoopgraphError as exc:
            reply = _encode_error(exc)
        except Exception as exc:  # the worker must survive any query
            reply = ("error", "QueryError", f"the query failed: {exc}", None, None)
        try:
            conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, OSError):
            os._exit(0)


def _expire(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1.0)


class QueryPool:
    """Worker processes that run user queries on an embedded store, each one at a time.

    A worker that exceeds the time limit is killed and replaced; the others go on. An in-memory
    store is inherited by forking after the load; an on-disk store is opened read-only by each
    worker (a fresh ``spawn`` process, so no RocksDB state is shared across a fork).

    Parameters
    ----------
    store
        The loaded embedded store.
    processes
        Number of workers.
    timeout
        Seconds a query may run (waiting for a free worker included).

    Examples
    --------
    >>> import asyncio
    >>> pool = QueryPool(EmbeddedStore(None), processes=1, timeout=5)
    >>> pool.start()
    >>> asyncio.run(pool.run(Job("ASK {}", "json", False, 10))).body
    b'{"head":{},"boolean":true}'
    >>> pool.close()
    """

    def __init__(self, store: EmbeddedStore, processes: int = 2, timeout: float = 10.0) -> None:
        self.store = store
        self.processes = max(1, processes)
        self.timeout = timeout
        self._forked = store.path is None
        self._context = multiprocessing.get_context("fork" if self._forked else "spawn")
        self._workers: list[_Worker] = []
        # idle workers, the most recently used last: a sequence of queries keeps going to the
        # same worker, whose caches are warm (about 5% of a 10 ms query when workers alternate)
        self._idle: list[_Worker] = []
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Start the workers (call after the store is loaded and flushed)."""
        self.store.flush()
        self._workers = [self._spawn() for _ in range(self.processes)]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        inherited = self.store if self._forked else None
        path = None if self.store.path is None else str(self.store.path)
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, path, inherited), daemon=True, name="coopgraph-query"
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _on_loop(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # a new event loop (tests run several): what the old one held is lost with it
            self._loop = loop
            self._idle = list(self._workers)
            self._waiting.clear()
        return loop

    def _release(self, worker: _Worker) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self, loop: asyncio.AbstractEventLoop, deadline: float) -> _Worker:
        if self._idle:
            return self._idle.pop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiting.append(waiter)
        timer = loop.call_at(deadline, _expire, waiter)
        try:
            return await waiter
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # handed over just as the caller went away
            raise
        finally:
            timer.cancel()

    async def run(self, job: Job) -> Answer:
        """Run ``job`` in a free worker; :class:`QueryTimeout` when it takes too long."""
        loop = self._on_loop()
        deadline = loop.time() + self.timeout
        worker = await self._acquire(loop, deadline)
        future: asyncio.Future[bytes] = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            if future.done():
                return
            try:
                # uvloop makes watched descriptors non-blocking; a large answer needs blocking reads
                os.set_blocking(fd, True)
                future.set_result(worker.conn.recv_bytes())
            except (EOFError, OSError) as exc:
                future.set_exception(exc)

        timer = loop.call_at(deadline, _expire, future)
        healthy = False
        try:
            os.set_blocking(fd, True)
            worker.conn.send_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            loop.add_reader(fd, readable)
            data = await future
            healthy = True
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None
        except (EOFError, OSError) as exc:
            raise QueryError(f"the query worker stopped: {exc}") from exc
        finally:
            timer.cancel()
            if healthy:
                self._release(worker)
            else:
                loop.remove_reader(fd)
                self._replace(worker)
        return _decode(pickle.loads(data))

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        fresh = self._spawn()
        self._workers = [fresh if w is worker else w for w in self._workers]
        self._release(fresh)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers]

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.kill()
        self._workers = []
        self._idle = []
        self._waiting.clear()


# -- remote store --------------------------------------------------------------------------


def run_remote(store: RemoteStore, job: Job, timeout: float) -> Answer:
    """Send ``job`` to the remote endpoint over the SPARQL protocol and cap its answer.

    Blocking; the caller runs it in a thread. A socket timeout of ``timeout`` seconds becomes
    :class:`QueryTimeout`.
    """
    accept = "application/n-triples" if job.graph_answer else "application/sparql-results+json"
    fields: list[tuple[str, str]] = [("query", with_values(job.query, job.bindings))]
    fields += [("default-graph-uri", g) for g in job.default_graph]
    fields += [("named-graph-uri", g) for g in job.named_graphs]
    request = urllib.request.Request(
        store.endpoint,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    if store.user:
        token = base64.b64encode(f"{store.user}:{store.password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            content_type = response.headers.get("Content-Type", accept)
    except urllib.error.HTTPError as exc:
        message = exc.read().decode("utf-8", "replace").strip() or str(exc)
        if exc.code in (400, 403):
            raise query_error(ValueError(message)) from exc
        raise QueryError(f"the SPARQL endpoint {store.endpoint} failed: {message}") from exc
    except TimeoutError:
        raise QueryTimeout(timeout) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise QueryTimeout(timeout) from None
        raise QueryError(f"the SPARQL endpoint {store.endpoint} failed: {exc.reason}") from exc
    media = media_by_name(job.media, job.graph_answer)
    if job.graph_answer:
        if media.rdf_format == ox.RdfFormat.N_TRIPLES:
            return Answer(body, media.content_type)
        triples = (q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return serialize_result(triples, media, job.max_rows)
    if "json" not in content_type:
        raise QueryError(f"the SPARQL endpoint answered {content_type}, not SPARQL JSON results")
    result = ox.parse_query_results(body, _JSON)
    if isinstance(result, ox.QueryBoolean):
        return serialize_result(result, media, job.max_rows)
    tsv = _written(result.serialize(format=_TSV))
    return _from_tsv(tsv, media.results_format or _JSON, media, job.max_rows)


class QueryRunner:
    """Runs protocol jobs on whatever store the service has, under the time limit.

    Parameters
    ----------
    store
        The service's store.
    settings
        Gives ``query_workers`` and ``query_timeout``.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.timeout = settings.query_timeout
        self.pool: QueryPool | None = None
        if isinstance(store, EmbeddedStore):
            self.pool = QueryPool(store, settings.query_workers, settings.query_timeout)

    def start(self) -> None:
        if self.pool is not None:
            self.pool.start()

    async def run(self, job: Job) -> Answer:
        """Run ``job``; :class:`QueryTimeout` past the limit, :class:`QueryError` when it fails."""
        if self.pool is not None:
            return await self.pool.run(job)
        assert isinstance(self.store, RemoteStore)
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(run_remote, self.store, job, self.timeout), self.timeout + 1
            )
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


# -- service description -------------------------------------------------------------------

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
