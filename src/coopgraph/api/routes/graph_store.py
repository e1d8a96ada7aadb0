"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/graph-store?graph=IRI``.

GET and HEAD read a graph (as public as ``/sparql``); PUT, POST and DELETE write it, for a
curator's bearer token, through the gate (:mod:`coopgraph.gate`). ``?default`` is refused: the
default graph of this service is the union of its named graphs, which is not a graph one writes
or downloads whole (``/dumps`` has the dataset).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from rdflib import Node

from coopgraph.api.deps import CuratorDep, SettingsDep, StoreDep, WriteSideDep
from coopgraph.api.errors import documented
from coopgraph.auth.tokens import TokenInfo
from coopgraph.config import Settings
from coopgraph.errors import NotAcceptable, NotFound, ParameterError, RequestTooLarge, WriteTooLarge
from coopgraph.gate.change import (
    RDF_BODY_TYPES,
    Change,
    delete_change,
    post_change,
    put_change,
    read_rdf,
)
from coopgraph.gate.service import Committed, WriteSide
from coopgraph.linkeddata.labels import parse_accept_language
from coopgraph.negotiation import GRAPH_TYPES, choose
from coopgraph.protocol.request import read_body
from coopgraph.store import Store

router = APIRouter(tags=["write"])

GraphParam = Annotated[str | None, Query(description="The IRI of the named graph.", max_length=2000)]
DefaultParam = Annotated[
    str | None, Query(description="Refused: the default graph is the union of the named graphs.")
]
_BODY_DOC = {"content": {media: {"schema": {"type": "string"}} for media in RDF_BODY_TYPES}, "required": True}


def graph_param(graph: str | None, default: str | None) -> str:
    """The graph a request names; ``?default`` and a missing ``graph`` are refused (400)."""
    if default is not None:
        raise ParameterError(
            "default",
            "the default graph of this service is the union of its named graphs and is not read or "
            "written whole; name a graph with ?graph=IRI",
        )
    if not graph:
        raise ParameterError("graph", "name the graph: /graph-store?graph=IRI")
    return graph


async def write_body(request: Request, limit: int) -> bytes:
    """The body of a write, refused past ``COOPGRAPH_MAX_WRITE_BYTES`` (413)."""
    length = request.headers.get("content-length", "")
    try:
        return await read_body(request.stream(), int(length) if length.isdigit() else None, limit)
    except RequestTooLarge:
        raise WriteTooLarge(limit) from None


def committed_response(done: Committed, created: bool = False, location: str | None = None) -> Response:
    """The JSON answer of a committed write: the graphs and their sizes, the store's new version."""
    body = {
        "graphs": done.graphs,
        "added": done.added,
        "removed": done.removed,
        "version": done.version,
        "validate_seconds": round(done.validate_seconds, 3),
        "commit_seconds": round(done.commit_seconds, 3),
    }
    headers = {"Location": location} if created and location else {}
    return JSONResponse(body, status_code=201 if created else 200, headers=headers)


def _lang(request: Request) -> str:
    return next(
        (
            lang
            for lang in parse_accept_language(request.headers.get("accept-language"))
            if lang in ("en", "es")
        ),
        "en",
    )


@router.api_route(
    "/graph-store",
    methods=["GET", "HEAD"],
    responses={200: {"description": "The graph, in the negotiated RDF syntax."}, **documented(400, 404, 406)},
)
def graph_store_get(
    request: Request, store: StoreDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    """Read one named graph (Graph Store Protocol GET), in Turtle, JSON-LD, RDF/XML or N-Triples."""
    name = graph_param(graph, default)
    media = choose(request.headers.get("accept"), GRAPH_TYPES)
    if media is None or media.rdf_format is None:
        raise NotAcceptable([m.media_type for m in GRAPH_TYPES])
    if name not in store.named_graphs():
        raise NotFound(f"the store has no graph {name}")
    triples = [q.triple for q in store.quads(name)]
    body = ox.serialize(triples, format=media.rdf_format) or b""
    return Response(
        body, media_type=media.content_type, headers={"Vary": "Accept", "ETag": f'"{store.version()}"'}
    )


async def _write_body_into(
    request: Request,
    writes: WriteSide,
    store: Store,
    settings: Settings,
    who: TokenInfo,
    name: str,
    make_change: Callable[[Store, str, list[ox.Triple], dict[Node, tuple[str, int]]], Change],
) -> Response:
    """PUT or POST: the body, read within the write limit, made into a change of graph ``name``."""
    created = name not in store.named_graphs()
    content_type = request.headers.get("content-type")
    done = await writes.write(
        who,
        f"{request.method} {name}",
        lambda: write_body(request, settings.max_write_bytes),
        lambda body: make_change(store, name, *read_rdf(body, content_type)),
        _lang(request),
    )
    return committed_response(done, created, str(request.url))


@router.put(
    "/graph-store",
    openapi_extra={"requestBody": _BODY_DOC},
    responses={
        200: {"description": "The graph was replaced."},
        201: {"description": "The graph was created."},
        **documented(400, 401, 403, 413, 415, 422, 501),
    },
)
async def graph_store_put(
    request: Request,
    writes: WriteSideDep,
    store: StoreDep,
    settings: SettingsDep,
    who: CuratorDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Replace a named graph with the body (curator token), if the result conforms to the shapes."""
    return await _write_body_into(
        request, writes, store, settings, who, graph_param(graph, default), put_change
    )


@router.post(
    "/graph-store",
    openapi_extra={"requestBody": _BODY_DOC},
    responses={
        200: {"description": "The body was merged into the graph."},
        201: {"description": "The graph was created."},
        **documented(400, 401, 403, 413, 415, 422, 501),
    },
)
async def graph_store_post(
    request: Request,
    writes: WriteSideDep,
    store: StoreDep,
    settings: SettingsDep,
    who: CuratorDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Merge the body into a named graph (curator token), if the result conforms to the shapes."""
    return await _write_body_into(
        request, writes, store, settings, who, graph_param(graph, default), post_change
    )


@router.delete(
    "/graph-store",
    responses={200: {"description": "The graph was removed."}, **documented(400, 401, 403, 404, 501)},
)
async def graph_store_delete(
    request: Request,
    writes: WriteSideDep,
    store: StoreDep,
    who: CuratorDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    """Remove a named graph (curator token)."""
    name = graph_param(graph, default)

    async def no_body() -> bytes:
        return b""

    def delete(_: bytes) -> Change:
        if name not in store.named_graphs():
            raise NotFound(f"the store has no graph {name}")
        return delete_change(store, name)

    done = await writes.write(who, f"DELETE {name}", no_body, delete, _lang(request))
    return committed_response(done)
