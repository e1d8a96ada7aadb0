"""The directory of cooperation sources: ``/sources`` and ``/sources/{kind}/{slug}``.

Thin: the library (:mod:`coopgraph.directory`) reads the sources once per store version, checks
the parameters (a bad one is a 400 naming it) and builds the profiles; this router reads the
request, negotiates the format (``_format=``, then ``Accept``) and picks the languages
(``?lang=``, the ``lang`` cookie, ``Accept-Language``). The helpers here are shared with the
indicators router.
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
from coopgraph.errors import NotAcceptable, ParameterError
from coopgraph.explore import choose_languages
from coopgraph.explore.pages import language_links
from coopgraph.negotiation import HTML, MediaType, choose

router = APIRouter(tags=["directory"])

JSON = MediaType("application/json", "json", "json")
CSV = MediaType("text/csv", "csv", "csv")
PAGE_TYPES = (HTML, JSON)
LIST_TYPES = (HTML, JSON, CSV)
MAX_QUERY_STRING = 8192
"""The longest query string the directory and indicator pages read, in bytes."""

Lang = Annotated[str | None, Query(description="Language of the page and labels: en, es or fr.")]
Format = Annotated[str | None, Query(alias="_format", description="html, json or csv (else Accept).")]
FacetValues = Annotated[
    list[str] | None,
    Query(
        description="Facet value: its short key (USD, colombia, 14), its path under /id/ or its IRI; repeatable."
    ),
]


def languages_of(request: Request, lang: str | None) -> list[str]:
    """The languages of the page, best first; a ``lang`` other than en, es, fr is a 400."""
    if len(request.url.query) > MAX_QUERY_STRING:
        raise ParameterError("query string", f"at most {MAX_QUERY_STRING} bytes")
    return choose_languages(lang, request.cookies.get("lang"), request.headers.get("accept-language"))


def negotiate(request: Request, fmt: str | None, offered: tuple[MediaType, ...]) -> MediaType:
    """The format to answer in: ``_format`` when given, else the best of ``Accept``."""
    if fmt is not None:
        chosen = next((m for m in offered if m.name == fmt), None)
        if chosen is None:
            raise ParameterError("_format", f"one of {', '.join(m.name for m in offered)}")
        return chosen
    media = choose(request.headers.get("accept"), offered)
    if media is None:
        raise NotAcceptable([m.media_type for m in offered])
    return media


def reply(
    data: Any,
    media: MediaType,
    html: str | None = None,
    csv_table: list[list[str]] | None = None,
    name: str = "",
) -> Response:
    """The answer in the negotiated format: the JSON of ``data``, the page, or the CSV download."""
    headers = {"Vary": "Accept, Accept-Language, Cookie"}
    if media is CSV and csv_table is not None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(csv_table)
        headers["Content-Disposition"] = f'attachment; filename="coopgraph-{name}.csv"'
        return Response(out.getvalue(), media_type=CSV.content_type, headers=headers)
    if media is JSON or html is None:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()
        return Response(body, media_type=JSON.content_type, headers=headers)
    return Response(html, media_type=HTML.content_type, headers=headers)


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
    format: Annotated[str | None, Query(alias="_format", description="html or json (else Accept).")] = None,
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
