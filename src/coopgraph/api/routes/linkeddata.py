"""Linked-data routes: resources under ``/id/``, the home page, ``/def``, ``/shapes``, VoID, dumps.

Thin: the library (:mod:`coopgraph.linkeddata`) describes and renders; this router negotiates the
format (extension, then ``?format=``, then ``Accept`` with q-values), answers conditional
requests (ETag, Last-Modified -> 304) and HEAD, and sets ``Vary`` and ``Content-Location``.
``/id/...`` answers 200 directly (no 303); see the library's docstring for why.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from rdflib import Graph

from coopgraph.api.deps import LinkedDataDep, PublicBaseDep
from coopgraph.api.errors import error_reply, to_response
from coopgraph.api.routes.profile import ProfileParam, profile_response
from coopgraph.errors import NotAcceptable, NotFound
from coopgraph.linkeddata import (
    RESOURCE_MEDIA_TYPES,
    LinkedData,
    ResourceNotFound,
    etag_for,
    format_override,
    json_body,
    jsonld_context,
    local_url,
    parse_accept_language,
    serialize_rdflib,
    split_extension,
)
from coopgraph.negotiation import GRAPH_TYPES, HTML, MediaType, by_extension, choose
from coopgraph.templating import STATIC_DIR

router = APIRouter(tags=["linked data"])

DOC_TYPES: tuple[MediaType, ...] = (*GRAPH_TYPES, HTML)
"""What the ontology, shapes and VoID documents are served as."""
JSON = MediaType("application/json", "json", "json")
FormatParam = Annotated[
    str | None, Query(description="Format override: ttl, jsonld, rdf, nt, nq, trig or html.")
]


def _negotiate(
    request: Request, offered: tuple[MediaType, ...], extension: MediaType | None, fmt: str | None
) -> MediaType | None:
    override = extension or format_override(fmt)
    if override is not None:
        return override if override in offered else None
    return choose(request.headers.get("accept"), offered)


def _not_acceptable(offered: tuple[MediaType, ...]) -> Response:
    return to_response(error_reply(NotAcceptable([m.media_type for m in offered])))


def _matches_etag(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _respond(
    request: Request,
    model: LinkedData,
    media: MediaType,
    key: str,
    build: Callable[[], bytes],
    content_location: str | None = None,
    vary: str = "Accept",
) -> Response:
    etag = etag_for(model.version(), key, media.media_type)
    modified = model.last_modified()
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Vary": vary,
        "Cache-Control": "no-cache",
    }
    if content_location:
        headers["Content-Location"] = content_location
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if _matches_etag(if_none_match, etag):
            return Response(status_code=304, headers=headers)
    elif (since := request.headers.get("if-modified-since")) is not None:
        try:
            if modified <= parsedate_to_datetime(since):
                return Response(status_code=304, headers=headers)
        except (TypeError, ValueError):
            pass  # an unreadable date is ignored, as RFC 9110 says
    body = build()
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=media.content_type)
    return Response(body, headers=headers, media_type=media.content_type)


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=True)
def home(request: Request, model: LinkedDataDep, base: PublicBaseDep) -> Response:
    """Home page: what the graph holds and where to start."""
    return _respond(request, model, HTML, "home|" + base, lambda: model.home_page(base).encode())


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"])
def resource(
    request: Request,
    model: LinkedDataDep,
    base: PublicBaseDep,
    path: str,
    format: FormatParam = None,
    profile: ProfileParam = None,
) -> Response:
    """Describe a resource: Turtle, JSON-LD, RDF/XML, N-Triples, N-Quads, TriG or HTML."""
    stem, extension = split_extension(path)
    if profile is not None:  # ?_profile=json: the page's profile data (api/routes/profile.py)
        return profile_response(request, model, base, stem, profile)
    media = _negotiate(request, RESOURCE_MEDIA_TYPES, extension, format)
    if media is None:
        return _not_acceptable(RESOURCE_MEDIA_TYPES)
    try:
        description = model.describe(stem)
    except ResourceNotFound as exc:
        return _resource_not_found(request, model, exc, base)
    languages = parse_accept_language(request.headers.get("accept-language"))
    location = None if extension else f"{base}id/{stem}.{media.extension}"
    if media is HTML:
        key = f"{stem}|{base}|{','.join(languages)}"
        return _respond(
            request,
            model,
            media,
            key,
            lambda: model.resource_page(description, base, languages).encode(),
            location,
            vary="Accept, Accept-Language",
        )
    return _respond(
        request,
        model,
        media,
        stem,
        lambda: model.rdf(description, media),
        location,
        vary="Accept, Accept-Language",
    )


def _resource_not_found(request: Request, model: LinkedData, exc: ResourceNotFound, base: str) -> Response:
    wants = choose(request.headers.get("accept"), (JSON, HTML))
    headers = {"Vary": "Accept"}
    if wants is HTML:
        body = model.not_found_page(exc, base).encode()
        media_type = HTML.content_type
    else:
        payload = {
            "error": "NotFound",
            "message": str(exc),
            "iri": exc.iri,
            "suggestions": [
                {"iri": i, "label": label, "url": local_url(i, base)} for i, label in exc.suggestions
            ],
        }
        body = json_body(payload)
        media_type = "application/json"
    if request.method == "HEAD":
        return Response(
            status_code=404, headers=headers | {"Content-Length": str(len(body))}, media_type=media_type
        )
    return Response(body, status_code=404, headers=headers, media_type=media_type)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"])
def context(request: Request, model: LinkedDataDep) -> Response:
    """The JSON-LD context of coopgraph's JSON-LD (its prefixes)."""
    media = by_extension("jsonld", GRAPH_TYPES)
    assert media is not None
    return _respond(request, model, media, "context", lambda: json_body(jsonld_context()))


def _document(
    request: Request,
    model: LinkedData,
    base: str,
    name: str,
    extension: str | None,
    fmt: str | None,
    page: Callable[[str], str],
    graph: Callable[[], Graph],
) -> Response:
    ext_media = None
    if extension is not None:
        ext_media = by_extension(extension, DOC_TYPES)
        if ext_media is None or ext_media.extension != extension:
            raise NotFound(f"no document {name}.{extension}; try .ttl, .jsonld, .rdf, .nt or .html")
    media = _negotiate(request, DOC_TYPES, ext_media, fmt)
    if media is None:
        return _not_acceptable(DOC_TYPES)
    location = None if extension else f"{base}{name}.{media.extension}"
    if media is HTML:
        return _respond(request, model, media, f"{name}|{base}", lambda: page(base).encode(), location)
    return _respond(
        request,
        model,
        media,
        f"{name}|{base}",
        lambda: serialize_rdflib(graph(), media),
        location,
    )


@router.api_route("/def", methods=["GET", "HEAD"])
def ontology(
    request: Request, model: LinkedDataDep, base: PublicBaseDep, format: FormatParam = None
) -> Response:
    """The ontology: HTML documentation, or its RDF by negotiation (terms are /def#Term)."""
    return _document(
        request, model, base, "def", None, format, model.def_page, lambda: model.ontology.ontology
    )


@router.api_route("/def.{ext}", methods=["GET", "HEAD"])
def ontology_file(request: Request, model: LinkedDataDep, base: PublicBaseDep, ext: str) -> Response:
    """The ontology in the format its extension names."""
    return _document(request, model, base, "def", ext, None, model.def_page, lambda: model.ontology.ontology)


@router.api_route("/def/vocabularies", methods=["GET", "HEAD"])
def vocabularies(
    request: Request, model: LinkedDataDep, base: PublicBaseDep, format: FormatParam = None
) -> Response:
    """The concept schemes: documented on the ontology page, RDF by negotiation."""
    return _document(
        request,
        model,
        base,
        "def/vocabularies",
        None,
        format,
        model.def_page,
        lambda: model.ontology.vocabularies,
    )


@router.api_route("/def/vocabularies.{ext}", methods=["GET", "HEAD"])
def vocabularies_file(request: Request, model: LinkedDataDep, base: PublicBaseDep, ext: str) -> Response:
    """The concept schemes in the format the extension names."""
    return _document(
        request,
        model,
        base,
        "def/vocabularies",
        ext,
        None,
        model.def_page,
        lambda: model.ontology.vocabularies,
    )


@router.api_route("/shapes", methods=["GET", "HEAD"])
def shapes(
    request: Request, model: LinkedDataDep, base: PublicBaseDep, format: FormatParam = None
) -> Response:
    """The SHACL shapes: HTML listing, or their RDF by negotiation."""
    return _document(
        request, model, base, "shapes", None, format, model.shapes_page, lambda: model.shapes.graph
    )


@router.api_route("/shapes.{ext}", methods=["GET", "HEAD"])
def shapes_file(request: Request, model: LinkedDataDep, base: PublicBaseDep, ext: str) -> Response:
    """The SHACL shapes in the format the extension names."""
    return _document(request, model, base, "shapes", ext, None, model.shapes_page, lambda: model.shapes.graph)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def void(request: Request, model: LinkedDataDep, base: PublicBaseDep, format: FormatParam = None) -> Response:
    """The VoID description of the dataset (Turtle by default)."""
    media = _negotiate(request, GRAPH_TYPES, None, format)
    if media is None:
        return _not_acceptable(GRAPH_TYPES)
    return _respond(request, model, media, "void|" + base, lambda: serialize_rdflib(model.void(base), media))


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"])
def dump(request: Request, model: LinkedDataDep, name: str) -> Response:
    """A gzip-compressed dump: coopgraph.nq.gz (named graphs) or coopgraph.ttl.gz (union)."""
    data = model.dump(name)
    media = MediaType("application/gzip", "gz", "gzip")
    response = _respond(request, model, media, "dump|" + name, lambda: data)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.api_route("/static/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def static(request: Request, model: LinkedDataDep, name: str) -> Response:
    """A file of the service's stylesheet folder."""
    files = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()}
    if name not in files:
        raise NotFound(f"no static file {name!r}")
    kind = {".css": "text/css", ".svg": "image/svg+xml", ".js": "text/javascript"}.get(
        files[name].suffix, "application/octet-stream"
    )
    media = MediaType(kind, files[name].suffix.lstrip("."), "static")
    return _respond(request, model, media, "static|" + name, files[name].read_bytes)
