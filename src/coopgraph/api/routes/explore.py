"""Search everywhere and faceted browse: ``/search``, ``/search/suggest``, ``/explore``.

Thin: the library (:mod:`coopgraph.explore`) builds the search index and the facets once per
store version, checks the parameters (a bad one is a 400 naming it) and renders the pages;
this router reads the request, negotiates the format (``_format=``, then ``Accept``) and picks
the languages (``?lang=``, the ``lang`` cookie, ``Accept-Language``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, StoreDep
from coopgraph.api.pages import (
    CSV,
    JSON,
    LIST_TYPES,
    PAGE_TYPES,
    FacetValues,
    Format,
    Lang,
    languages_of,
    negotiate,
    reply,
)
from coopgraph.errors import ParameterError
from coopgraph.explore import FACETS, browse, explore_facts, parse_selection, search_index
from coopgraph.explore.common import KINDS
from coopgraph.explore.facets import csv_rows
from coopgraph.explore.pages import explore_page, hit_dict, language_links, search_data, search_page
from coopgraph.explore.search import MAX_QUERY_LENGTH
from coopgraph.negotiation import HTML

router = APIRouter(tags=["explore"])

MAX_LIMIT = 500


def _text(name: str, value: str | None, limit: int = MAX_QUERY_LENGTH) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ParameterError(name, f"at most {limit} characters")
    if "\x00" in text:
        raise ParameterError(name, "no NUL character")
    return text


def _limit(value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 6 or not 1 <= int(value) <= MAX_LIMIT:
        raise ParameterError("limit", f"an integer from 1 to {MAX_LIMIT}")
    return int(value)


@router.get("/search", response_model=None)
async def search(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    q: Annotated[str | None, Query(description="What to look for: any label, in any language.")] = None,
    kind: Annotated[
        str | None, Query(description="Only resources of this kind (country, programme...).")
    ] = None,
    limit: Annotated[str | None, Query(description="The most results, 1 to 500 (default 100).")] = None,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Search every label in every language; results grouped by kind (HTML or JSON)."""
    media = negotiate(request, format, PAGE_TYPES)
    query = _text("q", q)
    if kind is not None and kind not in KINDS:
        raise ParameterError("kind", f"one of {', '.join(KINDS)}")
    most = _limit(limit, 100)
    languages = languages_of(request, lang)
    index = await run_in_threadpool(search_index, store, catalogue)
    hits = index.search(query, languages, limit=most, kinds={kind} if kind else None)
    data = search_data(query, hits, base, languages, kind)
    if media is JSON:
        return reply(data, JSON)
    links = language_links(base, "search", list(request.query_params.multi_items()))
    return reply(data, HTML, search_page(data, base, languages, links, most))


@router.get("/search/suggest", response_model=None)
async def suggest(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    q: Annotated[str | None, Query(description="What has been typed so far.")] = None,
    limit: Annotated[str | None, Query(description="The most suggestions, 1 to 500 (default 8).")] = None,
    lang: Lang = None,
) -> Response:
    """Search-as-you-type: the best few resources for what has been typed (JSON)."""
    query = _text("q", q)
    most = _limit(limit, 8)
    languages = languages_of(request, lang)
    index = await run_in_threadpool(search_index, store, catalogue)
    hits = index.search(query, languages, limit=most)
    body = {"query": query, "hits": [hit_dict(h, base, languages) for h in hits]}
    return reply(body, JSON, headers={"Cache-Control": "no-cache"})


@router.get("/explore", response_model=None)
async def explore(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    kind: FacetValues = None,
    country: FacetValues = None,
    sector: FacetValues = None,
    stakeholder: FacetValues = None,
    article: FacetValues = None,
    modality: FacetValues = None,
    cultural: FacetValues = None,
    source: FacetValues = None,
    year_from: Annotated[str | None, Query(alias="from", description="First year of the period.")] = None,
    year_to: Annotated[str | None, Query(alias="to", description="Last year of the period.")] = None,
    page: Annotated[str | None, Query(description="Page number, from 1.")] = None,
    size: Annotated[str | None, Query(description="Items a page, 1 to 1000 (default 50).")] = None,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Actors, activities, offers and requests narrowed by facets, with counts per value (HTML, JSON or CSV)."""
    media = negotiate(request, format, LIST_TYPES)
    languages = languages_of(request, lang)
    params = request.query_params
    raw = {name: params.getlist(name) for name in (*(f.name for f in FACETS), "from", "to", "page", "size")}
    facts = await run_in_threadpool(explore_facts, store, catalogue)
    selection = parse_selection(raw, facts)
    result = browse(facts, selection, languages, base, every_item=media is CSV)
    if media is not HTML:
        return reply(
            result.as_dict(), media, csv_table=csv_rows(result) if media is CSV else None, name="explore"
        )
    links = language_links(base, "explore", list(params.multi_items()))
    return reply(None, HTML, explore_page(result, base, languages, links))
