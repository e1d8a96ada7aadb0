"""``/api/terms``: what the SPARQL editor completes, from coopgraph itself (never an outside host).

Thin: :mod:`coopgraph.linkeddata.editor` reads the terms once per store version, checks the
parameters (a bad one is a 400 naming it) and matches them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import LinkedDataDep
from coopgraph.errors import ParameterError
from coopgraph.linkeddata.editor import complete
from coopgraph.linkeddata.labels import parse_accept_language

router = APIRouter(tags=["SPARQL"])

LANGUAGES = ("en", "es", "fr")


def languages_of(request: Request, lang: str | None) -> list[str]:
    """Label languages, best first: ``Accept-Language``, where the language switch puts its choice."""
    if lang is not None and lang not in LANGUAGES:
        raise ParameterError("lang", f"one of {', '.join(LANGUAGES)}")
    return parse_accept_language(request.headers.get("accept-language"))


@router.get("/api/terms")
async def terms(
    request: Request,
    model: LinkedDataDep,
    kind: Annotated[str, Query(description="class, property or resource.")] = "resource",
    q: Annotated[
        str, Query(description="Part of a label, a local name or an IRI (case and accents ignored).")
    ] = "",
    limit: Annotated[int, Query(description="Most terms returned (1-1000).")] = 20,
    lang: Annotated[str | None, Query(description="Label language: en, es or fr.")] = None,
) -> JSONResponse:
    """Classes, properties or resources whose name or label contains ``q``: the editor's completions."""
    answer = await run_in_threadpool(
        complete,
        model.store,
        model.catalogue,
        model.cache.get,
        kind,
        q,
        limit,
        languages_of(request, lang),
    )
    return JSONResponse(answer, headers={"Vary": "Accept-Language, Cookie", "Cache-Control": "no-cache"})
