"""The network explorer: ``/network`` (HTML for browsers, JSON otherwise) and the drawn view.

Thin: :mod:`coopgraph.network.explorer` builds the page's data and HTML and
:func:`coopgraph.network.layout.view` the positioned nodes and edges; both check their raw
parameters (a bad value is a 400 naming it). The filters are the same dependency as the other
``/network`` routes (:data:`coopgraph.api.routes.network.FilterParams`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, StoreDep
from coopgraph.api.routes.network import FilterParams
from coopgraph.errors import NotAcceptable, ParameterError
from coopgraph.explore import choose_languages
from coopgraph.negotiation import HTML, MediaType, choose
from coopgraph.network import explorer, layout

router = APIRouter(prefix="/network", tags=["network"])

JSON = MediaType("application/json", "json", "json")
PAGE_TYPES = (HTML, JSON)

Projection = Annotated[str | None, Query(description="co-participation (default), bipartite or funding.")]
Size = Annotated[str | None, Query(description="The measure nodes are sized and ranked by (default degree).")]
Colour = Annotated[str | None, Query(description="community (default on one-mode networks) or kind.")]
Top = Annotated[str | None, Query(description="Rows of the top-actors table (1-500, default 25).")]
Format = Annotated[str | None, Query(description="html or json (default: by the Accept header).")]
Lang = Annotated[str | None, Query(description="Language of the page: en, es or fr (kept in a cookie).")]


@router.get("", response_model=None)
async def network_explorer(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    filters: FilterParams,
    projection: Projection = None,
    size: Size = None,
    colour: Colour = None,
    top: Top = None,
    format: Format = None,
    lang: Lang = None,
) -> Response:
    """The network explorer: the interactive drawing in a browser, its data as JSON."""
    if format is not None and format not in ("html", "json"):
        raise ParameterError("format", f"{format[:40]!r} is not html or json")
    media = {"html": HTML, "json": JSON}.get(format or "") or choose(
        request.headers.get("accept"), PAGE_TYPES
    )
    if media is None:
        raise NotAcceptable([m.media_type for m in PAGE_TYPES])
    languages = choose_languages(lang, request.cookies.get("lang"), request.headers.get("accept-language"))
    data = await run_in_threadpool(
        explorer.explorer_data, store, catalogue, projection, filters, size, colour, top, base
    )
    if media is JSON:
        return JSONResponse(data, headers={"Vary": "Accept"})
    page = explorer.explorer_page(data, base, languages)
    response = Response(page, media_type=HTML.content_type, headers={"Vary": "Accept, Accept-Language"})
    if lang:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/{projection}/view")
async def network_view(
    store: StoreDep,
    catalogue: CatalogueDep,
    filters: FilterParams,
    projection: str,
    size: Size = None,
    colour: Colour = None,
) -> JSONResponse:
    """The projection laid out on the server: nodes (position, size, colour) and edges, for drawing."""
    data = await run_in_threadpool(layout.view, store, catalogue, projection, filters, size, colour)
    return JSONResponse(data)
