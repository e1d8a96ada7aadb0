"""Network analysis routes: centrality, communities, brokers, suggestions, exports and plots.

Thin: every route hands its raw parameters to :mod:`coopgraph.network.analysis`, which checks
them (a bad value is a 400 naming the parameter) and answers from the cached projection. The
filters are one dependency, :data:`FilterParams`, built from
:data:`~coopgraph.network.filters.FILTER_FIELDS` like the options of ``coopgraph network``.

Every answer depends on the store's content and the request only, so each carries an entity tag
made from the store's version and the request (:class:`ConditionalRoute`), as ``/sparql`` and
``/queries`` answers do: an ``If-None-Match`` that names it is a 304 before anything is computed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, StoreDep
from coopgraph.errors import NotAcceptable, NotFound, ParameterError
from coopgraph.negotiation import MediaType, choose
from coopgraph.network import analysis
from coopgraph.network.export import EXPORT_MEDIA_TYPES
from coopgraph.network.filters import FILTER_FIELDS, FilterField, RawFilters
from coopgraph.network.plot import IMAGE_MEDIA_TYPES
from coopgraph.protocol import QueryRunner
from coopgraph.protocol.cache import CACHE_CONTROL, etag, etag_matches


class ConditionalRoute(APIRoute):
    """A GET route whose answer follows from the store's version and the request alone.

    The entity tag is a digest of the version (as the result cache sees it:
    :class:`~coopgraph.protocol.cache.CacheVersion`), the path, the raw query string and the
    ``Accept`` header. An ``If-None-Match`` naming it is answered 304 before the route runs; a
    200 carries it with ``Cache-Control: no-cache`` (revalidate before use). Without a version
    (a remote endpoint whose answers are not kept) the answer says ``no-store``.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def conditional(request: Request) -> Response:
            runner: QueryRunner = request.app.state.query_runner
            version = runner.versions.current()
            if version is None:
                response = await handler(request)
                response.headers["Cache-Control"] = "no-store"
                return response
            accept = request.headers.get("accept")
            tag = etag((version, "network", request.url.path, request.scope["query_string"], accept))
            headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}
            if etag_matches(request.headers.get("if-none-match"), tag):
                return Response(status_code=304, headers=headers)
            response = await handler(request)
            if response.status_code == 200:
                response.headers.update(headers)
            return response

        return conditional


router = APIRouter(prefix="/network", tags=["network"], route_class=ConditionalRoute)

_TABLE_TYPES = (MediaType("application/json", "json", "json"), MediaType("text/csv", "csv", "csv"))

Text = Annotated[str | None, Query()]


def _query_parameter(field: FilterField) -> inspect.Parameter:
    value_type = list[str] | None if field.repeatable else str | None
    return inspect.Parameter(
        field.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[value_type, Query(alias=field.parameter, description=field.help)],
    )


def filter_params(**values: str | list[str] | None) -> RawFilters:
    """The network filters of the query string, keyed by their parameter names."""
    return {f.parameter: values[f.name] for f in FILTER_FIELDS}


# FastAPI reads the query parameters of a dependency from its signature
filter_params.__signature__ = inspect.Signature([_query_parameter(f) for f in FILTER_FIELDS])  # type: ignore[attr-defined]

FilterParams = Annotated[RawFilters, Depends(filter_params)]


def _table(
    request: Request,
    rows: list[dict[str, Any]],
    fmt: str | None,
    columns: list[str],
    headers: dict[str, str] | None = None,
) -> Response:
    chosen = fmt
    if not chosen:
        media = choose(request.headers.get("accept"), _TABLE_TYPES)
        if media is None:
            raise NotAcceptable([m.media_type for m in _TABLE_TYPES])
        chosen = media.name
    if chosen == "csv":
        return Response(
            analysis.rows_to_csv(rows, columns), media_type="text/csv; charset=utf-8", headers=headers
        )
    if chosen != "json":
        raise ParameterError("format", f"{chosen!r} is not json or csv")
    return JSONResponse(rows, headers=headers)


@router.get("/suggestions")
async def suggestions(
    store: StoreDep, catalogue: CatalogueDep, filters: FilterParams, actor: Text = None, top: Text = None
) -> JSONResponse:
    """Suggested partners of an actor, ranked, with the reasons each fits."""
    rows = await run_in_threadpool(analysis.suggestions, store, catalogue, actor, filters, top)
    return JSONResponse({"actor": actor, "suggestions": rows})


@router.get("/{projection}/centrality")
async def centrality(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    filters: FilterParams,
    projection: str,
    measure: Text = "degree",
    top: Text = None,
    weighted: Text = None,
    format: Text = None,
) -> Response:
    """Actors ranked by a centrality measure (JSON or CSV); an estimate names its sample in a header."""
    ranked = await run_in_threadpool(
        analysis.centrality_ranked, store, catalogue, projection, measure or "degree", filters, top, weighted
    )
    headers = None if ranked.sample is None else {analysis.SAMPLE_HEADER: ranked.sample.header()}
    return _table(request, ranked.rows, format, analysis.CSV_COLUMNS, headers)


@router.get("/{projection}/communities")
async def communities(
    store: StoreDep, catalogue: CatalogueDep, filters: FilterParams, projection: str, top: Text = None
) -> JSONResponse:
    """Louvain communities (fixed seed) with modularity and their most central members."""
    return JSONResponse(
        await run_in_threadpool(analysis.communities, store, catalogue, projection, filters, top)
    )


@router.get("/{projection}/brokers")
async def brokers(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    filters: FilterParams,
    projection: str,
    top: Text = None,
    weighted: Text = None,
    format: Text = None,
) -> Response:
    """Brokers: actors with the lowest Burt's constraint, with their effective size."""
    rows = await run_in_threadpool(analysis.brokers, store, catalogue, projection, filters, top, weighted)
    columns = ["rank", "iri", "label", "kind", "constraint", "effective_size", "degree"]
    return _table(request, rows, format, columns)


@router.get("/{filename}")
async def download(
    store: StoreDep,
    catalogue: CatalogueDep,
    filters: FilterParams,
    filename: str,
    size: Text = None,
    colour: Text = None,
    top: Text = None,
) -> Response:
    """The projection as GraphML, GEXF, node-link JSON, PNG or SVG (by file extension)."""
    projection, _, ext = filename.rpartition(".")
    if not projection:
        raise NotFound(f"no network file {filename!r}: use {{projection}}.graphml|gexf|json|png|svg")
    if ext in EXPORT_MEDIA_TYPES:
        body = await run_in_threadpool(analysis.export, store, catalogue, projection, ext, filters)
        return Response(body, media_type=EXPORT_MEDIA_TYPES[ext])
    if ext in IMAGE_MEDIA_TYPES:
        body = await run_in_threadpool(
            analysis.plot, store, catalogue, projection, ext, filters, size, colour, top
        )
        return Response(body, media_type=IMAGE_MEDIA_TYPES[ext])
    raise ParameterError("format", f"{ext!r} is not one of graphml, gexf, json, png, svg")
