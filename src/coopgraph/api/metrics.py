"""Metrics for operators, in the Prometheus text format (``GET /metrics``).

Nothing on the request path takes a lock: requests are counted in a plain dictionary by the
outermost middleware (:class:`RequestMetrics`), queries by the query runner
(:class:`~coopgraph.protocol.runner.RunnerCounts`) and the result cache
(:class:`~coopgraph.protocol.cache.ResultCache`), all on the event loop. A custom collector
(:class:`ServiceCollector`) reads them when Prometheus scrapes. A labelled ``prometheus_client``
counter costs about 4 µs an increment and a histogram about 2 µs (a lock each), a dictionary
increment 0.3 µs (``bench/README.md``, "Metrics").

The store's size per graph is counted at scrape time, at most once per store version
(:class:`StoreSizes`): a count over every graph is a query as long as the largest aggregate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopgraph.protocol import QueryRunner
from coopgraph.protocol.runner import LATENCY_BUCKETS
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

OTHER_ROUTE = "other"
"""The route label of a path the service has no route for (kept apart so that a client sending
random paths cannot grow the metrics without end)."""
REMOTE_SIZES_SECONDS = 60.0
"""How long the graph sizes of a remote endpoint, which has no version of its own, are kept."""


def route_label(path: str, known: frozenset[str]) -> str:
    """The route label of a request path: its first segment, when the service has it.

    >>> route_label("/id/party/mexico", frozenset({"/id", "/sparql"}))
    '/id'
    >>> route_label("/", frozenset({"/"})), route_label("/wp-admin.php", frozenset({"/"}))
    ('/', 'other')
    >>> route_label("/def.ttl", frozenset({"/def", "/def.{ext}"}))
    '/def.{ext}'
    """
    segment = "/" + path.lstrip("/").split("/", 1)[0]
    if segment in known:
        return segment
    stem, dot, _ = segment.partition(".")
    templated = stem + ".{ext}"
    return templated if dot and templated in known else OTHER_ROUTE


def first_segments(paths: list[str]) -> frozenset[str]:
    """The first segments of route paths (``/id/{path}`` gives ``/id``), the known route labels.

    >>> sorted(first_segments(["/", "/id/{path:path}", "/def.{ext}", "/sparql"]))
    ['/', '/def.{ext}', '/id', '/sparql']
    """
    return frozenset("/" + p.lstrip("/").split("/", 1)[0] for p in paths)


def route_paths(app: Any) -> list[str]:
    """The paths of an app's routes: those of its OpenAPI document, and its mounts and others."""
    document: dict[str, Any] = app.openapi()
    return [
        *document.get("paths", {}),
        *(r.path for r in app.routes if isinstance(getattr(r, "path", None), str)),
    ]


@dataclass
class RequestCounts:
    """Requests answered, by route label and status, and the route labels the service has."""

    known: frozenset[str] | None = None
    by_route: dict[tuple[str, int], int] = field(default_factory=dict)


class RequestMetrics:
    """ASGI middleware counting every HTTP response by route and status (the outermost one).

    Parameters
    ----------
    app
        The rest of the service.
    counts
        Where the counts go (the app state's ``request_counts``).
    paths
        Gives the paths of the service's routes, read at the first request (once every router
        is in place).
    """

    def __init__(self, app: ASGIApp, counts: RequestCounts, paths: Callable[[], list[str]]) -> None:
        self.app = app
        self.counts = counts
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # an exception before the response starts becomes a 500 outside

        async def counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        if self.counts.known is None:
            self.counts.known = first_segments(self.paths())
        try:
            await self.app(scope, receive, counted)
        finally:
            key = (route_label(scope["path"], self.counts.known), status)
            self.counts.by_route[key] = self.counts.by_route.get(key, 0) + 1


class StoreSizes:
    """Triples per named graph, counted at most once per store version.

    Parameters
    ----------
    store
        The service's store.
    catalogue
        Gives the ``graph-sizes`` internal query.
    runner
        Gives the store's version as the result cache sees it.
    """

    def __init__(self, store: Store, catalogue: QueryCatalogue, runner: QueryRunner) -> None:
        self.store = store
        self.catalogue = catalogue
        self.runner = runner
        self._token: str | None = None
        self.sizes: dict[str, int] = {}

    def _version(self) -> str:
        version = self.runner.versions.current() if self.store.engine_in_process else None
        return version or f"slot-{int(time.monotonic() // REMOTE_SIZES_SECONDS)}"

    def refresh(self) -> dict[str, int]:
        """The sizes, counted again if the store changed since the last count (blocking)."""
        token = self._version()
        if token != self._token:
            rows = self.store.select(self.catalogue.internal("graph-sizes").text)
            self.sizes = {row["graph"].value: int(row["triples"].value) for row in rows}
            self._token = token
        return self.sizes


class ServiceCollector(Collector):
    """The service's metrics, read from its plain counters when Prometheus scrapes.

    Parameters
    ----------
    requests
        The counts of :class:`RequestMetrics`.
    runner
        The query runner, its counts and its result cache.
    sizes
        The store's graph sizes (refreshed by the route before it collects).
    """

    def __init__(self, requests: RequestCounts, runner: QueryRunner, sizes: StoreSizes) -> None:
        self.requests = requests
        self.runner = runner
        self.sizes = sizes

    def collect(self) -> Iterator[Metric]:
        """Every metric, as ``prometheus_client`` metric families."""
        requests = CounterMetricFamily(
            "coopgraph_http_requests",
            "HTTP responses, by route (first path segment) and status.",
            labels=["route", "status"],
        )
        for (route, status), count in sorted(self.requests.by_route.items()):
            requests.add_metric([route, str(status)], count)
        yield requests

        counts = self.runner.counts
        cumulative: list[tuple[str, float]] = []
        running = 0
        for bound, count in zip(LATENCY_BUCKETS, counts.latency_buckets, strict=True):
            running += count
            cumulative.append((repr(bound), running))
        cumulative.append(("+Inf", counts.latency_count))
        yield HistogramMetricFamily(
            "coopgraph_query_duration_seconds",
            "Time to answer a SPARQL query of /sparql or /queries, from the cache or not.",
            buckets=cumulative,
            sum_value=counts.latency_sum,
        )
        cache = self.runner.cache
        yield _counter(
            "coopgraph_cache_hits", "Answers served from the result cache (304s included).", cache.hits
        )
        yield _counter("coopgraph_cache_misses", "Queries the result cache could not answer.", cache.misses)
        yield _counter(
            "coopgraph_cache_evictions", "Answers evicted from the full result cache.", cache.evictions
        )
        yield GaugeMetricFamily("coopgraph_cache_bytes", "Bytes the result cache holds.", value=cache.bytes)
        yield GaugeMetricFamily(
            "coopgraph_cache_entries", "Answers the result cache holds.", value=len(cache)
        )
        yield GaugeMetricFamily(
            "coopgraph_cache_capacity_bytes", "Most bytes the result cache may hold.", value=cache.capacity
        )
        yield _counter("coopgraph_queries_timed_out", "Queries stopped at the time limit.", counts.timeouts)
        yield _counter(
            "coopgraph_worker_restarts",
            "Query workers replaced after a timeout, a crash or a request gone mid-query.",
            self.runner.worker_restarts,
        )
        pool = self.runner.pool
        if pool is not None:
            yield GaugeMetricFamily(
                "coopgraph_query_workers", "Query worker processes.", value=len(pool.pids())
            )
        triples = GaugeMetricFamily(
            "coopgraph_store_triples", "Triples in each named graph of the store.", labels=["graph"]
        )
        for graph, size in sorted(self.sizes.sizes.items()):
            triples.add_metric([graph], size)
        yield triples


def _counter(name: str, documentation: str, value: Any) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=value)
