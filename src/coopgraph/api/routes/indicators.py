"""Indicators of cooperation: ``/indicators``, per country, per programme, and completeness.

Thin: the library (:mod:`coopgraph.indicators`) reads the facts once per store version, checks
the scope (a malformed slug is a 400 naming it, an unknown one a 404) and computes the figures;
this router negotiates the format and the languages with :mod:`coopgraph.api.pages`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, StoreDep
from coopgraph.api.pages import CSV, JSON, LIST_TYPES, Format, Lang, languages_of, negotiate, reply
from coopgraph.explore.pages import language_links
from coopgraph.indicators import Scope, completeness, figures, indicator_facts, scope_for
from coopgraph.indicators.completeness import csv_rows as completeness_csv
from coopgraph.indicators.figures import csv_rows as figures_csv
from coopgraph.indicators.pages import completeness_page, indicators_page
from coopgraph.negotiation import HTML

router = APIRouter(tags=["indicators"])


def _downloads(base: str, path: str, request: Request) -> dict[str, str]:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("_format",)]
    return {name: f"{base}{path}?{urlencode([*kept, ('_format', name)])}" for name in ("csv", "json")}


async def _indicators(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: str,
    kind: str | None,
    slug: str | None,
    lang: str | None,
    format: str | None,
) -> Response:
    media = negotiate(request, format, LIST_TYPES)
    languages = languages_of(request, lang)
    facts = await run_in_threadpool(indicator_facts, store, catalogue)
    scope = scope_for(facts, kind, slug) if kind is not None and slug is not None else Scope()
    data = figures(facts, scope, languages, base)
    path = f"indicators/{kind}/{slug}" if kind else "indicators"
    if media is HTML:
        links = language_links(base, path, list(request.query_params.multi_items()))
        scopes = [
            {
                "url": f"{base}indicators/{k}/{iri.rstrip('/').rsplit('/', 1)[-1]}",
                "label": facts.labels.label(iri, languages),
            }
            for k in ("country", "programme")
            for iri in sorted(
                (i for i, item in facts.explore.items.items() if item.kind == k),
                key=lambda i: facts.labels.label(i, languages).casefold(),
            )
        ]
        page = indicators_page(data, base, languages, links, _downloads(base, path, request), scopes)
        return reply(data, media, page)
    name = path.replace("/", "-")
    return reply(data, media, csv_table=figures_csv(data) if media is CSV else None, name=name)


@router.get("/indicators", response_model=None)
async def indicators(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Indicators of the whole graph: activities, partners and money over time, shares, reported results."""
    return await _indicators(request, store, catalogue, base, None, None, lang, format)


@router.get("/indicators/completeness", response_model=None)
async def indicators_completeness(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    country: Annotated[
        str | None, Query(description="Only this country's ranking (its slug: colombia).")
    ] = None,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Which periodic-report fields the graph fills for every entry and actor, ranked per country."""
    media = negotiate(request, format, LIST_TYPES)
    languages = languages_of(request, lang)
    facts = await run_in_threadpool(indicator_facts, store, catalogue)
    data = completeness(facts, languages, base, country)
    if media is HTML:
        links = language_links(base, "indicators/completeness", list(request.query_params.multi_items()))
        downloads = _downloads(base, "indicators/completeness", request)
        return reply(data, media, completeness_page(data, base, languages, links, downloads))
    return reply(data, media, csv_table=completeness_csv(data) if media is CSV else None, name="completeness")


@router.get("/indicators/country/{slug}", response_model=None)
async def country_indicators(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    slug: str,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Indicators of one country: the activities it, or one of its actors, takes part in or hosts."""
    return await _indicators(request, store, catalogue, base, "country", slug, lang, format)


@router.get("/indicators/programme/{slug}", response_model=None)
async def programme_indicators(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    slug: str,
    lang: Lang = None,
    format: Format = None,
) -> Response:
    """Indicators of one programme: the programme and every activity part of it."""
    return await _indicators(request, store, catalogue, base, "programme", slug, lang, format)


__all__ = ["JSON", "router"]
