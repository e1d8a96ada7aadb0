"""Running protocol jobs on whatever store the service has, under the time limit.

On an embedded store the jobs go to worker processes (:class:`~coopgraph.protocol.workers.QueryPool`);
on a remote store the remote server runs the query, through the store's one HTTP client, and a
timeout on the request is enough (:func:`run_remote`). Either way one client may have only
``COOPGRAPH_QUERIES_PER_CLIENT`` queries running at once, so that it cannot hold every worker.
"""

from __future__ import annotations

import asyncio
import collections
import os
import time
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.errors import ClientBusy, QueryAborted, QueryError, QueryTimeout, QueueTimeout
from coopgraph.protocol.cache import (
    CacheVersion,
    Key,
    ResultCache,
    cache_key,
    deterministic,
    etag,
    etag_matches,
)
from coopgraph.protocol.jobs import Job
from coopgraph.protocol.results import Answer, serialize_result, serialize_tsv, written
from coopgraph.protocol.workers import QueryPool
from coopgraph.store import EmbeddedStore, RemoteStore, Store

_N_TRIPLES = "application/n-triples"
WORKERS_PER_CORE = 4
"""Default most query workers per CPU core: extra workers only help while others are stuck on
runaway queries, which the time limit ends; memory bounds them further (``default_max_workers``)."""
_RESULTS_JSON = "application/sparql-results+json"
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Upper bounds (seconds) of the query latency histogram of the metrics."""


def run_remote(store: RemoteStore, job: Job, timeout: float) -> Answer:
    """Send ``job`` to the remote endpoint over the SPARQL protocol and cap its answer.

    Blocking; the caller runs it in a thread. A socket timeout of ``timeout`` seconds becomes
    :class:`QueryTimeout`.
    """
    accept = _N_TRIPLES if job.graph_answer else _RESULTS_JSON
    try:
        body, content_type = store.request(
            job.text,
            accept,
            default_graph_uris=job.default_graph,
            named_graph_uris=job.named_graphs,
            bindings=job.bindings,
            timeout=timeout,
        )
    except QueryError as exc:
        raise job.client_error(exc) from exc
    media = job.media
    if job.graph_answer:
        if media.rdf_format == ox.RdfFormat.N_TRIPLES:
            return Answer(body, media.content_type)
        triples = (q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return serialize_result(triples, media, job.max_rows)
    if "json" not in content_type:
        raise QueryError(f"the SPARQL endpoint answered {content_type}, not SPARQL JSON results")
    result = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return serialize_result(result, media, job.max_rows)
    return serialize_tsv(written(result.serialize(format=ox.QueryResultsFormat.TSV)), media, job.max_rows)


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None


def default_max_workers(settings: Settings, cores: int | None = None, memory: int | None = None) -> int:
    """The most query workers: ``query_workers_max``, or a default from the machine.

    The default is :data:`WORKERS_PER_CORE` per core, no more than the machine's memory holds at
    ``query_memory`` each, and never fewer than ``query_workers``.

    Parameters
    ----------
    settings
        ``query_workers``, ``query_workers_max`` and ``query_memory``.
    cores, memory
        The machine's cores and bytes of memory (default: this machine's).

    Returns
    -------
    int
        The most worker processes the pool may run.

    Examples
    --------
    >>> default_max_workers(Settings(), cores=2, memory=24 * 2**30)
    8
    >>> default_max_workers(Settings(), cores=16, memory=8 * 2**30)
    4
    >>> default_max_workers(Settings(query_workers_max=3))
    3
    """
    if settings.query_workers_max is not None:
        return max(settings.query_workers, settings.query_workers_max)
    cores = cores or os.cpu_count() or 1
    memory = memory or _physical_memory()
    most = WORKERS_PER_CORE * cores
    if memory and settings.query_memory > 0:
        most = min(most, memory // settings.query_memory)
    return max(settings.query_workers, most)


@dataclass(frozen=True)
class Served:
    """How a job was answered: its answer (``None`` when ``not_modified``), from the cache or not.

    Attributes
    ----------
    answer
        The serialised answer; ``None`` when the client's copy is current (``not_modified``).
    hit
        The answer came from the result cache (or the client's copy was found current).
    etag
        The entity tag of the answer, when it is deterministic and the store has a version.
    not_modified
        The client's ``If-None-Match`` names :attr:`etag`: nothing was run, answer 304.
    """

    answer: Answer | None
    hit: bool = False
    etag: str | None = None
    not_modified: bool = False


@dataclass
class RunnerCounts:
    """What the runner counts for the metrics: plain integers, changed on the event loop only."""

    timeouts: int = 0
    latency_buckets: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS))
    latency_count: int = 0
    latency_sum: float = 0.0

    def observe(self, seconds: float) -> None:
        """Count one answered query that took ``seconds``."""
        self.latency_count += 1
        self.latency_sum += seconds
        for index, bound in enumerate(LATENCY_BUCKETS):
            if seconds <= bound:
                self.latency_buckets[index] += 1
                break


class QueryRunner:
    """Runs protocol jobs on whatever store the service has, under the time limit.

    Parameters
    ----------
    store
        The service's store.
    settings
        Gives the workers (``query_workers``, ``query_workers_max``, ``query_memory``), the
        limits (``query_timeout``, ``query_queue_wait``, ``queries_per_client``), whether the
        workers may use the network (``allow_service``) and the result cache (``cache_bytes``,
        ``cache_remote_seconds``).
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.cache = ResultCache(settings.cache_bytes)
        self.versions = CacheVersion(store, settings.cache_remote_seconds)
        self.counts = RunnerCounts()
        # answers under way, by cache key: the same query asked again meanwhile waits for them
        self._flights: dict[Key, asyncio.Future[Answer]] = {}
        self.timeout = settings.query_timeout
        self.per_client = max(1, settings.queries_per_client)
        self._running: collections.Counter[str] = collections.Counter()
        self.pool: QueryPool | None = None
        if store.engine_in_process:
            # the engine would run in this process: user queries go to killable workers
            self.pool = QueryPool(
                cast(EmbeddedStore, store),
                settings.query_workers,
                settings.query_timeout,
                max_processes=default_max_workers(settings),
                queue_wait=settings.query_queue_wait,
                memory=settings.query_memory if settings.query_memory > 0 else None,
                forbid_network=not settings.allow_service,
            )

    def start(self) -> None:
        """Start the worker processes, if the store is embedded."""
        if self.pool is not None:
            self.pool.start()

    def kept(self, request: Key, if_none_match: str | None = None) -> Served | None:
        """The kept answer of a raw request (:func:`~coopgraph.protocol.cache.request_key`) asked
        before, found before the request is read; ``None`` when there is none.

        Parameters
        ----------
        request
            The raw request, as :func:`~coopgraph.protocol.cache.request_key` gives it.
        if_none_match
            The request's ``If-None-Match``: when it names the kept answer's entity tag, the
            answer is :attr:`Served.not_modified`.

        Returns
        -------
        Served or None
            The answer from the cache, or ``None``: read the request and :meth:`serve` it.
        """
        if not self.cache.enabled:
            return None
        start = time.perf_counter()
        version = self.versions.current()
        if version is None:
            return None
        entry = self.cache.lookup((version, *request))
        if entry is None:
            return None
        if if_none_match and etag_matches(if_none_match, entry.etag):
            return Served(None, hit=True, etag=entry.etag, not_modified=True)
        self.counts.observe(time.perf_counter() - start)
        return Served(entry.answer, hit=True, etag=entry.etag)

    async def serve(
        self,
        job: Job,
        client: str | None = None,
        if_none_match: str | None = None,
        request: Key | None = None,
    ) -> Served:
        """Answer ``job`` from the result cache, or run it (:meth:`run`) and keep its answer.

        Parameters
        ----------
        job
            The query.
        client
            Who asks (see :meth:`run`); an answer from the cache does not count against it.
        if_none_match
            The request's ``If-None-Match``: when it names the answer's entity tag, nothing is
            run and :attr:`Served.not_modified` is set.
        request
            The raw request that asked for ``job`` (:func:`~coopgraph.protocol.cache.request_key`):
            once the answer is kept, :meth:`kept` finds it by these bytes, before reading them.

        Returns
        -------
        Served
            The answer, whether it came from the cache, and its entity tag.

        Raises
        ------
        ClientBusy, QueryTimeout, QueryError
            As :meth:`run`; an error is never kept, so the same query is run again next time.
        """
        start = time.perf_counter()
        version = self.versions.current() if self.cache.enabled else None
        key = None if version is None else cache_key(job, version)
        if key is not None:
            if if_none_match:
                kept = self.cache.peek(key)
                tag = kept.etag if kept is not None else (etag(key) if deterministic(job.query) else None)
                if tag is not None and etag_matches(if_none_match, tag):
                    self.cache.hits += 1
                    return Served(None, hit=True, etag=tag, not_modified=True)
            entry = self.cache.get(key)
            if entry is not None:
                self._alias(key, request)
                self.counts.observe(time.perf_counter() - start)
                return Served(entry.answer, hit=True, etag=entry.etag)
        if key is None or not deterministic(job.query):
            answer = await self._counted(job, client)
            self.counts.observe(time.perf_counter() - start)
            return Served(answer)
        flight = self._flights.get(key)
        if flight is not None:
            # the same query is running for someone else: its answer will do, and takes no worker
            try:
                answer = await asyncio.shield(flight)
            except Exception:
                # whatever stopped that one (its client's limit, a disconnect, an error), this
                # request is answered on its own account
                answer = await self._counted(job, client)
            self.counts.observe(time.perf_counter() - start)
            kept = self.cache.peek(key)
            tag = kept.etag if kept is not None else self.cache.put(key, answer).etag
            self._alias(key, request)
            return Served(answer, etag=tag)
        flight = asyncio.get_running_loop().create_future()
        self._flights[key] = flight
        try:
            answer = await self._counted(job, client)
        except BaseException as exc:
            flight.set_exception(exc if isinstance(exc, Exception) else QueryAborted("the request went away"))
            flight.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        else:
            flight.set_result(answer)
        finally:
            del self._flights[key]
        self.counts.observe(time.perf_counter() - start)
        tag = self.cache.put(key, answer).etag
        self._alias(key, request)
        return Served(answer, etag=tag)

    def _alias(self, key: Key, request: Key | None) -> None:
        """Have the raw ``request`` find the answer kept under ``key`` (same version)."""
        if request is not None:
            self.cache.alias((key[0], *request), key)

    async def _counted(self, job: Job, client: str | None) -> Answer:
        """:meth:`run`, counting timeouts (the pool counts the workers it replaces)."""
        try:
            return await self.run(job, client)
        except QueueTimeout:
            raise  # the query never reached a worker
        except QueryTimeout:
            self.counts.timeouts += 1
            raise

    @property
    def worker_restarts(self) -> int:
        """Query workers replaced because they did not answer (:attr:`QueryPool.restarts`): at
        the time limit, after a crash or the memory limit, or for a request that went away."""
        return self.pool.restarts if self.pool is not None else 0

    async def run(self, job: Job, client: str | None = None) -> Answer:
        """Run ``job`` for ``client``, without the result cache (see :meth:`serve`).

        Parameters
        ----------
        job
            The query.
        client
            Who asks: its remote address (a bearer token would not do: coopgraph does not verify
            tokens, so a client could send a new one each time). ``None``: not counted.

        Returns
        -------
        Answer
            The serialised answer.

        Raises
        ------
        ClientBusy
            ``client`` already runs ``queries_per_client`` queries, or one query while a single
            worker is left for everyone else.
        QueryTimeout
            The query ran past the time limit, or found no worker within the queue wait.
        QueryError
            The query failed.
        """
        if client is None:
            return await self._run(job)
        running = self._running[client]
        if running >= self.per_client:
            raise ClientBusy(running, self.per_client)
        if running and self.pool is not None and self.pool.free() <= 1:
            raise ClientBusy(running, self.per_client)
        self._running[client] += 1
        try:
            return await self._run(job)
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]

    async def _run(self, job: Job) -> Answer:
        if self.pool is not None:
            return await self.pool.run(job)
        remote = cast(RemoteStore, self.store)
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(run_remote, remote, job, self.timeout), self.timeout + 1
            )
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None

    def renew(self, readers: Store | None = None) -> None:
        """Have queries see the store's new content (after a write): the workers are replaced.

        ``readers`` is the store the workers open (a snapshot of an on-disk store the service
        writes); default: the service's store.
        """
        if self.pool is not None:
            self.pool.renew(cast(EmbeddedStore, readers or self.store))

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.close()
