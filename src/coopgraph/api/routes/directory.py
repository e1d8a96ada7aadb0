"""The directory of cooperation sources: ``/sources`` and ``/sources/{kind}/{slug}``.

Thin: the library (:mod:`coopgraph.directory`) reads the sources once per store version, checks
the parameters (a bad one is a 400 naming it) and builds the profiles; this router reads the
request, negotiates the format (``_format=``, then ``Accept``) and picks the languages
(``?lang=``, the ``lang`` cookie, ``Accept-Language``), with the helpers of
:mod:`coopgraph.api.pages`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, StoreDep
from coopgraph.api.pages import (
    LIST_TYPES,
    PAGE_TYPES,
    FacetValues,
    Format,
    Lang,
    PageFormat,
    languages_of,
    negotiate,
    reply,
)
from coopgraph.directory import (
    DIRECTORY_FACETS,
    csv_rows,
    directory,
    directory_facts,
    parse_selection,
    source_iri,
    source_profile,
)
from coopgraph.directory.pages import source_page, sources_page
from coopgraph.explore.pages import language_links
from coopgraph.negotiation import HTML

router = APIRouter(tags=["directory"])


@router.get("/sources", response_model=None)
async def sources(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    kind: Annotated[
        list[str] | None, Query(description="fund, programme, organisation or country; repeatable.")
    ] = None,
    finances: FacetValues = None,
    article: FacetValues = None,
    region: FacetValues = None,
    currency: FacetValues = None,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Every fund, funding programme and funding organisation, with facets (HTML, JSON or CSV)."""
    media = negotiate(request, format, LIST_TYPES)
    languages = languages_of(request, lang)
    params = request.query_params
    facts = await run_in_threadpool(directory_facts, store, catalogue)
    selection = parse_selection({f.name: params.getlist(f.name) for f in DIRECTORY_FACETS}, facts)
    data = directory(facts, selection, languages, base)
    if media is HTML:
        links = language_links(base, "sources", list(params.multi_items()))
        return reply(data, media, sources_page(data, base, languages, links))
    return reply(data, media, csv_table=csv_rows(data), name="sources")


@router.get("/sources/{path:path}", response_model=None)
async def source(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    path: str,
    lang: Lang = None,
    format: PageFormat = None,
) -> Response:
    """The profile of one cooperation source, with the quotes behind each statement (HTML or JSON)."""
    media = negotiate(request, format, PAGE_TYPES)
    languages = languages_of(request, lang)
    iri = source_iri(path)
    profile = await run_in_threadpool(source_profile, store, catalogue, iri, languages, base)
    if media is HTML:
        links = language_links(base, f"sources/{path}", list(request.query_params.multi_items()))
        return reply(profile, media, source_page(profile, base, languages, links))
    return reply(profile, media)
