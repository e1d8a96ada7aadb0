"""Search everywhere and faceted browse: ``/search``, ``/search/suggest``, ``/explore``.

Thin: the library (:mod:`coopgraph.explore`) builds the search index and the facets once per
store version, checks the parameters (a bad one is a 400 naming it) and renders the pages;
this router reads the request, negotiates the format (``_format=``, then ``Accept``) and picks
the languages (``?lang=``, the ``lang`` cookie, ``Accept-Language``).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, StoreDep
from coopgraph.errors import NotAcceptable, ParameterError
from coopgraph.explore import (
    FACETS,
    browse,
    choose_languages,
    explore_facts,
    parse_selection,
    search_index,
)
from coopgraph.explore.common import KINDS
from coopgraph.explore.facets import csv_rows
from coopgraph.explore.pages import explore_page, hit_dict, language_links, search_data, search_page
from coopgraph.explore.search import MAX_QUERY_LENGTH
from coopgraph.negotiation import HTML, MediaType, choose

router = APIRouter(tags=["explore"])

JSON = MediaType("application/json", "json", "json")
CSV = MediaType("text/csv", "csv", "csv")
_PAGE_TYPES = (HTML, JSON)
_LIST_TYPES = (HTML, JSON, CSV)
MAX_LIMIT = 500

Text = Annotated[str | None, Query()]
Lang = Annotated[str | None, Query(description="Language of the labels: en, es or fr (kept in a cookie).")]
FacetValues = Annotated[
    list[str] | None,
    Query(
        description="Facet value: its short key (colombia, 14), its path under /id/ or its IRI; repeatable."
    ),
]
Format = Annotated[str | None, Query(alias="_format", description="html, json or csv (else Accept).")]


def _languages(request: Request, lang: str | None) -> list[str]:
    return choose_languages(lang, request.cookies.get("lang"), request.headers.get("accept-language"))


def _format(request: Request, fmt: str | None, offered: tuple[MediaType, ...]) -> MediaType:
    if fmt is not None:
        chosen = next((m for m in offered if m.name == fmt), None)
        if chosen is None:
            raise ParameterError("_format", f"one of {', '.join(m.name for m in offered)}")
        return chosen
    media = choose(request.headers.get("accept"), offered)
    if media is None:
        raise NotAcceptable([m.media_type for m in offered])
    return media


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


def _reply(body: str | bytes, media: MediaType, headers: dict[str, str] | None = None) -> Response:
    # the lang cookie itself is set by coopgraph.api.language.LanguageChoice
    response = Response(body, media_type=media.content_type, headers=headers or {})
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


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
    media = _format(request, format, _PAGE_TYPES)
    query = _text("q", q)
    if kind is not None and kind not in KINDS:
        raise ParameterError("kind", f"one of {', '.join(KINDS)}")
    most = _limit(limit, 100)
    languages = _languages(request, lang)
    index = await run_in_threadpool(search_index, store, catalogue)
    hits = index.search(query, languages, limit=most, kinds={kind} if kind else None)
    data = search_data(query, hits, base, languages, kind)
    if media is JSON:
        return _reply(_json(data), JSON)
    links = language_links(base, "search", list(request.query_params.multi_items()))
    return _reply(search_page(data, base, languages, links, most), HTML)


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
    languages = _languages(request, lang)
    index = await run_in_threadpool(search_index, store, catalogue)
    hits = index.search(query, languages, limit=most)
    body = {"query": query, "hits": [hit_dict(h, base, languages) for h in hits]}
    return _reply(_json(body), JSON, {"Cache-Control": "no-cache"})


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
    """Actors and activities narrowed by facets, with counts per value (HTML, JSON or CSV)."""
    media = _format(request, format, _LIST_TYPES)
    languages = _languages(request, lang)
    params = request.query_params
    raw = {name: params.getlist(name) for name in (*(f.name for f in FACETS), "from", "to", "page", "size")}
    facts = await run_in_threadpool(explore_facts, store, catalogue)
    selection = parse_selection(raw, facts)
    result = browse(facts, selection, languages, base, every_item=media is CSV)
    if media is CSV:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(csv_rows(result))
        headers = {"Content-Disposition": 'attachment; filename="coopgraph-explore.csv"'}
        return _reply(out.getvalue(), CSV, headers)
    if media is JSON:
        return _reply(_json(result.as_dict()), JSON)
    links = language_links(base, "explore", list(params.multi_items()))
    return _reply(explore_page(result, base, languages, links), HTML)
