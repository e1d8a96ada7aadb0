"""Matching partners: ``POST /match`` (JSON), ``GET /match`` (the page or its JSON), and the offers
that answer a request, ``GET /match/requests/{slug}``.

Thin: :mod:`coopgraph.matching` checks the profile (a bad field is a 400 naming it), builds the
match index once per store version and scores; this router reads the request and picks the format
and languages.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, StoreDep
from coopgraph.api.errors import documented
from coopgraph.api.pages import JSON, PAGE_TYPES, Lang, PageFormat, languages_of, negotiate, reply
from coopgraph.errors import ParameterError, RequestTooLarge, UnsupportedContentType
from coopgraph.explore.pages import language_links
from coopgraph.matching import HAND_SET, ProfileBody, check_profile, match, match_index, read_body
from coopgraph.matching.pages import body_from_form, match_page, pickers, requests_list, with_urls
from coopgraph.matching.proposals import match_request
from coopgraph.namespaces import resource_iri
from coopgraph.negotiation import HTML

router = APIRouter(tags=["matching"])

MAX_BODY = 64 * 1024
"""The largest ``POST /match`` body, in bytes."""
_SLUG = r"^[a-z0-9][a-z0-9-]{0,199}$"


async def _read_json(request: Request) -> Any:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise UnsupportedContentType("send the profile as application/json")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise RequestTooLarge(MAX_BODY)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            raise RequestTooLarge(MAX_BODY)
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ParameterError("body", "not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ParameterError("body", f"not JSON: {exc}") from None


@router.post(
    "/match",
    response_model=None,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ProfileBody.model_json_schema()}},
        }
    },
    responses=documented(400, 413, 415),
)
async def post_match(
    request: Request, store: StoreDep, catalogue: CatalogueDep, base: PublicBaseDep, lang: Lang = None
) -> Response:
    """Partners for a profile of someone who may not be in the graph, best first, with reasons in the
    language of ``lang`` or ``Accept-Language`` (English, Spanish or French), and the weights of the
    score (the hand-set ones: ``weights``) (JSON)."""
    languages = languages_of(request, lang)
    body = read_body(await _read_json(request))
    index = await run_in_threadpool(match_index, store, catalogue)
    profile = check_profile(body, index)
    found = await run_in_threadpool(match, index, profile, body.top, languages=languages)
    matches = with_urls([m.to_dict() for m in found], base, languages)
    return reply({"profile": profile.as_dict(), "matches": matches, "weights": HAND_SET.to_dict()}, JSON)


@router.get("/match", response_model=None, responses=documented(400, 406))
async def get_match(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    kind: Annotated[str | None, Query(description="country, organisation or person.")] = None,
    country: Annotated[str | None, Query(description="IRI of the newcomer's country.")] = None,
    sector: Annotated[list[str] | None, Query(description="IRI of a cultural sector; repeatable.")] = None,
    article: Annotated[
        list[str] | None, Query(description="IRI of a Convention article; repeatable.")
    ] = None,
    modality: Annotated[list[str] | None, Query(description="IRI of a modality; repeatable.")] = None,
    offers: Annotated[str | None, Query(description="What the newcomer offers, in words.")] = None,
    seeks: Annotated[str | None, Query(description="What the newcomer looks for, in words.")] = None,
    top: Annotated[str | None, Query(description="How many matches, 1 to 100 (default 10).")] = None,
    lang: Lang = None,
    format: PageFormat = None,
) -> Response:
    """The matching page: pickers from the graph's vocabularies and, for a profile, its matches."""
    media = negotiate(request, format, PAGE_TYPES)
    languages = languages_of(request, lang)
    params = {name: request.query_params.getlist(name) for name in request.query_params}
    body = body_from_form(params)
    index = await run_in_threadpool(match_index, store, catalogue)
    data: dict[str, Any] = {"profile": None, "matches": [], "requests": requests_list(index, base, languages)}
    if body is not None:
        profile = check_profile(body, index)
        found = await run_in_threadpool(match, index, profile, body.top, languages=languages)
        data["profile"] = profile.as_dict()
        data["matches"] = with_urls([m.to_dict() for m in found], base, languages)
        data["weights"] = HAND_SET.to_dict()
    if media is JSON:
        return reply(data, JSON)
    data["pickers"] = pickers(index, languages)
    links = language_links(base, "match", list(request.query_params.multi_items()))
    return reply(data, HTML, match_page(data, base, languages, links))


@router.get("/match/requests/{slug}", response_model=None, responses=documented(400, 404, 406))
async def get_request_matches(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    slug: Annotated[str, Path(description="The request's slug (its IRI ends with /id/request/{slug}).")],
    top: Annotated[str | None, Query(description="How many offers, 1 to 100 (default 10).")] = None,
    lang: Lang = None,
    format: PageFormat = None,
) -> Response:
    """The offers of the graph that best answer one of its requests, with the same scoring."""
    media = negotiate(request, format, PAGE_TYPES)
    if not re.match(_SLUG, slug):
        raise ParameterError("slug", "lower-case letters, digits and hyphens")
    most = 10
    if top:
        if not top.isdigit() or len(top) > 3 or not 1 <= int(top) <= 100:
            raise ParameterError("top", "an integer from 1 to 100")
        most = int(top)
    languages = languages_of(request, lang)
    index = await run_in_threadpool(match_index, store, catalogue)
    result = match_request(index, str(resource_iri("request", slug)), most, languages)
    result["matches"] = with_urls(result["matches"], base, languages)
    result["requests"] = requests_list(index, base, languages)
    if media is JSON:
        return reply(result, JSON)
    result["pickers"] = pickers(index, languages)
    links = language_links(base, f"match/requests/{slug}", list(request.query_params.multi_items()))
    return reply(result, HTML, match_page(result, base, languages, links))
