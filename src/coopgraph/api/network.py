"""Network analysis routes: centrality, communities, brokers, suggestions, exports and plots.

Thin: every route hands its raw parameters to :mod:`coopgraph.network.service`, which checks
them (a bad value is a 400 naming the parameter) and answers from the cached projection.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, StoreDep
from coopgraph.errors import NotFound, ParameterError
from coopgraph.negotiation import MediaType, choose
from coopgraph.network import export as export_mod
from coopgraph.network import plot as plot_mod
from coopgraph.network import service

router = APIRouter(prefix="/network", tags=["network"])

_TABLE_TYPES = (MediaType("application/json", "json", "json"), MediaType("text/csv", "csv", "csv"))

Text = Annotated[str | None, Query()]
FromYear = Annotated[str | None, Query(alias="from", description="First year of the period (overlap).")]
ToYear = Annotated[str | None, Query(alias="to", description="Last year of the period (overlap).")]
Source = Annotated[str | None, Query(description="Named graph (source document) IRI or data file name.")]
Modality = Annotated[str | None, Query(description="Activity modality (IRI or short name).")]
Sector = Annotated[str | None, Query(description="Activity cultural sector (IRI or short name).")]
ActorSector = Annotated[str | None, Query(description="Actor organisation sector (IRI or short name).")]
Article = Annotated[str | None, Query(description="Convention article or sub-paragraph (IRI or e.g. 12).")]
Kind = Annotated[list[str] | None, Query(description="Actor kinds to keep (repeatable or comma-separated).")]


def _table(request: Request, rows: list[dict[str, Any]], fmt: str | None, columns: list[str]) -> Response:
    chosen = fmt or (choose(request.headers.get("accept"), _TABLE_TYPES) or _TABLE_TYPES[0]).name
    if chosen == "csv":
        return Response(service.rows_to_csv(rows, columns), media_type="text/csv; charset=utf-8")
    if chosen != "json":
        raise ParameterError("format", f"{chosen!r} is not json or csv")
    return JSONResponse(rows)


@router.get("/suggestions")
async def suggestions(
    store: StoreDep,
    catalogue: CatalogueDep,
    actor: Text = None,
    top: Text = None,
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> JSONResponse:
    """Suggested partners of an actor, ranked, with the reasons each fits."""
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    rows = await run_in_threadpool(service.suggestions, store, catalogue, actor, raw, top)
    return JSONResponse({"actor": actor, "suggestions": rows})


@router.get("/{projection}/centrality")
async def centrality(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    projection: str,
    measure: Text = "degree",
    top: Text = None,
    weighted: Text = None,
    format: Text = None,
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> Response:
    """Actors ranked by a centrality measure (JSON or CSV)."""
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    rows = await run_in_threadpool(
        service.centrality, store, catalogue, projection, measure or "degree", raw, top, weighted
    )
    return _table(request, rows, format, service.CSV_COLUMNS)


@router.get("/{projection}/communities")
async def communities(
    store: StoreDep,
    catalogue: CatalogueDep,
    projection: str,
    top: Text = None,
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> JSONResponse:
    """Louvain communities (fixed seed) with modularity and their most central members."""
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    return JSONResponse(await run_in_threadpool(service.communities, store, catalogue, projection, raw, top))


@router.get("/{projection}/brokers")
async def brokers(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    projection: str,
    top: Text = None,
    weighted: Text = None,
    format: Text = None,
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> Response:
    """Brokers: actors with the lowest Burt's constraint, with their effective size."""
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    rows = await run_in_threadpool(service.brokers, store, catalogue, projection, raw, top, weighted)
    columns = ["rank", "iri", "label", "kind", "constraint", "effective_size", "degree"]
    return _table(request, rows, format, columns)


@router.get("/{filename}")
async def download(
    store: StoreDep,
    catalogue: CatalogueDep,
    filename: str,
    size: Text = None,
    colour: Text = None,
    top: Text = None,
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> Response:
    """The projection as GraphML, GEXF, node-link JSON, PNG or SVG (by file extension)."""
    projection, _, ext = filename.rpartition(".")
    if not projection:
        raise NotFound(f"no network file {filename!r}: use {{projection}}.graphml|gexf|json|png|svg")
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    if ext in export_mod.FORMATS:
        body = await run_in_threadpool(service.export, store, catalogue, projection, ext, raw)
        return Response(body, media_type=export_mod.FORMATS[ext])
    if ext in plot_mod.FORMATS:
        body = await run_in_threadpool(
            service.plot, store, catalogue, projection, ext, raw, size, colour, top
        )
        return Response(body, media_type=plot_mod.FORMATS[ext])
    raise ParameterError("format", f"{ext!r} is not one of graphml, gexf, json, png, svg")
