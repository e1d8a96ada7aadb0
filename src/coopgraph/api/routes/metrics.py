"""``GET /metrics``: the service's metrics in the Prometheus text format (:mod:`coopgraph.api.metrics`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, QueryRunnerDep, StoreDep
from coopgraph.api.metrics import RequestCounts, ServiceCollector, StoreSizes

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
async def metrics(
    request: Request, store: StoreDep, catalogue: CatalogueDep, runner: QueryRunnerDep
) -> Response:
    """Metrics for operators (Prometheus text format): requests, query latency, cache, workers, store size."""
    state = request.app.state
    built: tuple[QueryRunnerDep, CollectorRegistry, StoreSizes] | None = getattr(state, "metrics", None)
    if built is None or built[0] is not runner:
        counts: RequestCounts = getattr(state, "request_counts", None) or RequestCounts()
        sizes = StoreSizes(store, catalogue, runner)
        registry = CollectorRegistry(auto_describe=False)
        registry.register(ServiceCollector(counts, runner, sizes))
        built = (runner, registry, sizes)
        state.metrics = built
    _, registry, sizes = built
    await run_in_threadpool(sizes.refresh)  # a count over every graph, once per store version
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
