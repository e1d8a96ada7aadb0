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
from coopgraph.errors import NotAcceptable, ParameterError, RequestTooLarge, UnsupportedContentType
from coopgraph.explore import choose_languages
from coopgraph.explore.pages import language_links
from coopgraph.matching import ProfileBody, check_profile, match, match_index, read_body
from coopgraph.matching.pages import body_from_form, match_page, pickers, requests_list, with_urls
from coopgraph.matching.proposals import match_request
from coopgraph.namespaces import resource_iri
from coopgraph.negotiation import HTML, MediaType, choose

router = APIRouter(tags=["matching"])

JSON = MediaType("application/json", "json", "json")
MAX_BODY = 64 * 1024
"""The largest ``POST /match`` body, in bytes."""
_SLUG = r"^[a-z0-9][a-z0-9-]{0,199}$"


def _format(request: Request, fmt: str | None) -> MediaType:
    if fmt is not None:
        chosen = next((m for m in (HTML, JSON) if m.name == fmt), None)
        if chosen is None:
            raise ParameterError("_format", "one of html, json")
        return chosen
    media = choose(request.headers.get("accept"), (HTML, JSON))
    if media is None:
        raise NotAcceptable([HTML.media_type, JSON.media_type])
    return media


def _json(data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, media_type="application/json", headers={"Vary": "Accept, Accept-Language, Cookie"})


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
    request: Request, store: StoreDep, catalogue: CatalogueDep, base: PublicBaseDep
) -> Response:
    """Partners for a profile of someone who may not be in the graph, best first, with reasons (JSON)."""
    body = read_body(await _read_json(request))
    index = await run_in_threadpool(match_index, store, catalogue)
    profile = check_profile(body, index)
    found = await run_in_threadpool(match, index, profile, body.top)
    matches = with_urls([m.to_dict() for m in found], base)
    return _json({"profile": profile.as_dict(), "matches": matches})


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
    lang: Annotated[str | None, Query(description="Language of the labels: en, es or fr.")] = None,
    format: Annotated[str | None, Query(alias="_format", description="html or json (else Accept).")] = None,
) -> Response:
    """The matching page: pickers from the graph's vocabularies and, for a profile, its matches."""
    media = _format(request, format)
    languages = choose_languages(lang, request.cookies.get("lang"), request.headers.get("accept-language"))
    params = {name: request.query_params.getlist(name) for name in request.query_params}
    body = body_from_form(params)
    index = await run_in_threadpool(match_index, store, catalogue)
    data: dict[str, Any] = {"profile": None, "matches": [], "requests": requests_list(index, base)}
    if body is not None:
        profile = check_profile(body, index)
        found = await run_in_threadpool(match, index, profile, body.top)
        data["profile"] = profile.as_dict()
        data["matches"] = with_urls([m.to_dict() for m in found], base)
    if media is JSON:
        return _json(data)
    data["pickers"] = pickers(index, languages)
    links = language_links(base, "match", list(request.query_params.multi_items()))
    page = match_page(data, base, languages[0] if languages else "en", links)
    return Response(page, media_type="text/html", headers={"Vary": "Accept, Accept-Language, Cookie"})


@router.get("/match/requests/{slug}", response_model=None, responses=documented(400, 404, 406))
async def get_request_matches(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    base: PublicBaseDep,
    slug: Annotated[str, Path(description="The request's slug (its IRI ends with /id/request/{slug}).")],
    top: Annotated[str | None, Query(description="How many offers, 1 to 100 (default 10).")] = None,
    lang: Annotated[str | None, Query(description="Language of the labels: en, es or fr.")] = None,
    format: Annotated[str | None, Query(alias="_format", description="html or json (else Accept).")] = None,
) -> Response:
    """The offers of the graph that best answer one of its requests, with the same scoring."""
    media = _format(request, format)
    if not re.match(_SLUG, slug):
        raise ParameterError("slug", "lower-case letters, digits and hyphens")
    most = 10
    if top:
        if not top.isdigit() or len(top) > 3 or not 1 <= int(top) <= 100:
            raise ParameterError("top", "an integer from 1 to 100")
        most = int(top)
    languages = choose_languages(lang, request.cookies.get("lang"), request.headers.get("accept-language"))
    index = await run_in_threadpool(match_index, store, catalogue)
    result = match_request(index, str(resource_iri("request", slug)), most)
    result["matches"] = with_urls(result["matches"], base)
    result["requests"] = requests_list(index, base)
    if media is JSON:
        return _json(result)
    result["pickers"] = pickers(index, languages)
    result["title"] = f"Offers for: {result['request']['label']}"
    links = language_links(base, f"match/requests/{slug}", list(request.query_params.multi_items()))
    page = match_page(result, base, languages[0] if languages else "en", links)
    return Response(page, media_type="text/html", headers={"Vary": "Accept, Accept-Language, Cookie"})
