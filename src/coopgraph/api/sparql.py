"""The SPARQL 1.1 Protocol endpoint, ``/sparql`` (read-only).

The route reads the request itself (no body models, no dependencies) to keep the path of a
query short; the work is in :mod:`coopgraph.sparql`.
"""

from __future__ import annotations

import codecs
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.types import ASGIApp, Receive, Scope, Send

from coopgraph.api.deps import public_base
from coopgraph.api.errors import error_answer
from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, QueryError, QueryRefused
from coopgraph.negotiation import GRAPH_TYPES, HTML, RESULTS_TYPES, MediaType, choose
from coopgraph.queries import QueryCatalogue, prologue
from coopgraph.sparql import (
    MAX_ROWS_HEADER,
    READ_ONLY_MESSAGE,
    TRUNCATED_HEADER,
    Answer,
    Job,
    QueryRunner,
    check_query,
    service_description,
)
from coopgraph.store import Store

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}

templates = Environment(
    loader=PackageLoader("coopgraph", "templates"), autoescape=select_autoescape(["html"])
)


@dataclass
class Reply:
    """A protocol answer as plain data, for the FastAPI route and the ASGI fast path alike."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _json_reply(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(body).encode(), "application/json", headers or {})


def not_acceptable(offered: Iterable[MediaType]) -> Reply:
    """406 listing the media types the client may ask for."""
    supported = [m.media_type for m in offered]
    return _json_reply(
        406,
        {
            "error": "NotAcceptable",
            "message": "none of the media types in Accept can be served; supported: " + ", ".join(supported),
            "supported": supported,
        },
    )


def bad_request(message: str, status: int = 400) -> Reply:
    return _json_reply(status, {"error": "BadRequest", "message": message})


def answer_reply(answer: Answer, settings: Settings) -> Reply:
    """The reply of a serialised answer, saying when rows were cut."""
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[MAX_ROWS_HEADER] = str(settings.max_rows)
    return Reply(200, answer.body, answer.content_type, headers)


@functools.lru_cache(maxsize=256)
def choose_media(accept: str | None, graph_answer: bool) -> MediaType | None:
    """The format of an answer for this ``Accept`` header (clients send the same few headers)."""
    return choose(accept, GRAPH_TYPES if graph_answer else RESULTS_TYPES)


def _unquote(data: bytes) -> str:
    # percent-escapes rewritten as the \xHH escapes of Python's C `unicode_escape` codec: five
    # times faster than urllib's per-escape loop on a query, the largest thing a client sends
    escaped = data.replace(b"\\", b"\\\\").replace(b"+", b" ").replace(b"%", b"\\x")
    return codecs.decode(escaped, "unicode_escape").encode("latin-1").decode("utf-8")


def parse_form(data: bytes) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query string or form body, in order, repeats kept.

    The same pairs as ``urllib.parse.parse_qsl(data.decode(), keep_blank_values=True)``, which
    reads what the fast decoder cannot (a malformed escape, text that is not UTF-8).

    >>> parse_form(b"query=SELECT+%3Fs+%7B%7D&default-graph-uri=&x")
    [('query', 'SELECT ?s {}'), ('default-graph-uri', ''), ('x', '')]
    """
    try:
        return [
            (_unquote(name), _unquote(value))
            for name, _, value in (pair.partition(b"=") for pair in data.split(b"&") if pair)
        ]
    except UnicodeError:
        return parse_qsl(data.decode("utf-8", "replace"), keep_blank_values=True)


def protocol_params(
    method: str, query_string: bytes, content_type: str, body: bytes
) -> list[tuple[str, str]] | Reply:
    """The protocol parameters of a GET or POST request, in order, repeats kept."""
    params = parse_form(query_string)
    if method != "POST":
        return params
    content_type = content_type.split(";")[0].strip().lower()
    if content_type == FORM:
        return params + parse_form(body)
    if content_type == SPARQL_QUERY:
        if any(k == "query" for k, _ in params):
            return bad_request("the query is given both in the body and as a `query` parameter")
        return [*params, ("query", body.decode("utf-8", "replace"))]
    if content_type == SPARQL_UPDATE:
        raise QueryRefused(READ_ONLY_MESSAGE)
    return bad_request(
        f"unsupported Content-Type {content_type or '(none)'!r} for POST: use {FORM} or {SPARQL_QUERY}",
        415,
    )


async def answer_query(
    state: Any, method: str, query_string: bytes, content_type: str, accept: str | None, body: bytes
) -> Reply | None:
    """Answer a SPARQL protocol request; ``None`` when it carries no query (a GET for the
    service description or the query page). Library errors become their HTTP answers here."""
    try:
        params = protocol_params(method, query_string, content_type, body)
        if isinstance(params, Reply):
            return params
        if any(k == "update" for k, _ in params):
            raise QueryRefused(READ_ONLY_MESSAGE)
        queries = [v for k, v in params if k == "query"]
        if len(queries) > 1:
            return bad_request(f"`query` is given {len(queries)} times; give exactly one query")
        if not queries:
            if method == "POST":
                return bad_request("missing `query`: give a SPARQL query in the `query` parameter")
            return None
        text = queries[0]
        if not text.strip():
            return bad_request("`query` is empty")
        settings: Settings = state.settings
        info = check_query(text, settings)
        media = choose_media(accept, info.is_graph)
        if media is None:
            return not_acceptable(GRAPH_TYPES if info.is_graph else RESULTS_TYPES)
        job = Job(
            text,
            media.name,
            info.is_graph,
            settings.max_rows,
            default_graph=tuple(v for k, v in params if k == "default-graph-uri"),
            named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
        )
        runner: QueryRunner = state.query_runner
        return answer_reply(await runner.run(job), settings)
    except CoopgraphError as exc:
        status, error, headers = error_answer(exc)
        return _json_reply(status, error, headers)


def to_response(reply: Reply) -> Response:
    return Response(
        reply.body, status_code=reply.status, headers=reply.headers, media_type=reply.content_type
    )


@router.api_route("/sparql", methods=["GET", "POST"], response_class=Response)
async def sparql(request: Request) -> Response:
    """SPARQL 1.1 Protocol query endpoint (read-only); without a query, the service description."""
    body = await request.body() if request.method == "POST" else b""
    accept = request.headers.get("accept")
    reply = await answer_query(
        request.app.state,
        request.method,
        request.scope["query_string"],
        request.headers.get("content-type", ""),
        accept,
        body,
    )
    if reply is None:
        return describe(request, request.app.state.settings, accept)
    return to_response(reply)


async def read_body(receive: Receive, length: int, limit: int) -> bytes | Reply | None:
    """The body of a request, a 413 reply past ``limit`` bytes, or ``None`` on a disconnect.

    A declared ``Content-Length`` over the limit is refused before anything is read; a chunked
    body is counted as it comes.
    """
    too_large = bad_request(
        f"the request body is larger than {limit:,} bytes (COOPGRAPH_MAX_REQUEST_BYTES)", 413
    )
    if length > limit:
        return too_large
    chunks = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return too_large
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


class SparqlFastPath:
    """ASGI layer answering SPARQL queries at ``/sparql`` in front of the whole framework.

    A query is the hot path of the service: routing, request and response objects and the
    middleware stack cost several times what the query engine and the worker hop do on small
    queries. Requests that carry a query are answered here, through the same
    :func:`answer_query` as the route, with the CORS headers the app's CORS middleware would
    add; everything else (the service description, the query page, preflight requests, other
    paths) goes on to ``app``.

    Parameters
    ----------
    app
        What answers every other request (the FastAPI application's own ``__call__``).
    state
        The application state the lifespan fills (settings, store, query runner).
    expose_headers
        The response headers a browser may read (CORS).
    """

    def __init__(self, app: ASGIApp, state: Any, expose_headers: Sequence[str]) -> None:
        self.app = app
        self.state = state
        self.cors = [
            (b"access-control-allow-origin", b"*"),
            (b"access-control-expose-headers", ", ".join(expose_headers).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        query_string: bytes = scope["query_string"]
        if scope["method"] == "GET" and b"query=" not in query_string and b"update=" not in query_string:
            await self.app(scope, receive, send)
            return
        content_type = ""
        accept = None
        length = 0
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"accept":
                accept = value.decode("latin-1")
            elif name == b"content-length" and value.isdigit():
                length = int(value)
        body = b""
        if scope["method"] == "POST":
            read = await read_body(receive, length, self.state.settings.max_request_bytes)
            if read is None:  # the client went away
                return
            if isinstance(read, Reply):
                await self.reply(send, read)
                return
            body = read
        reply = await answer_query(self.state, scope["method"], query_string, content_type, accept, body)
        # a POST without a query never gets None, nor a GET with `query=`
        await self.reply(send, reply or bad_request("missing `query`"))

    async def reply(self, send: Send, reply: Reply) -> None:
        """Send ``reply`` with the CORS headers."""
        raw = [
            (b"content-type", reply.content_type.encode()),
            (b"content-length", str(len(reply.body)).encode()),
            *self.cors,
        ]
        raw += [(k.lower().encode(), v.encode()) for k, v in reply.headers.items()]
        await send({"type": "http.response.start", "status": reply.status, "headers": raw})
        await send({"type": "http.response.body", "body": reply.body})


def describe(request: Request, settings: Settings, accept: str | None) -> Response:
    """The service description (RDF) or, for a browser, the query page."""
    media = choose(accept, (*GRAPH_TYPES, HTML))
    if media is None:
        return to_response(not_acceptable((*GRAPH_TYPES, HTML)))
    endpoint = public_base(request, settings) + "sparql"
    if media is HTML:
        catalogue: QueryCatalogue = request.app.state.catalogue
        page = templates.get_template("sparql.html").render(
            title="SPARQL query",
            endpoint=endpoint,
            query=example_query(catalogue),
            queries=catalogue.public(),
            base=public_base(request, settings),
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    graph = service_description(endpoint, graph_sizes(request.app.state.store, request), settings)
    body = graph.serialize(format=_RDFLIB_FORMATS[media.name], encoding="utf-8")
    return Response(body, media_type=media.content_type, headers={"Vary": "Accept"})


def example_query(catalogue: QueryCatalogue) -> str:
    """The query page's example: every project prefix, then the body of ``query-page-example``."""
    text = catalogue.internal("query-page-example").text
    body = [line for line in text.splitlines() if not line.startswith(("#", "PREFIX"))]
    return prologue() + "\n" + "\n".join(body).strip() + "\n"


def graph_sizes(store: Store, request: Request) -> list[tuple[str, int]]:
    """Triples per named graph (the internal ``graph-sizes`` query), cached per store version."""
    state = request.app.state
    version = store.version()
    cached = getattr(state, "graph_sizes_cache", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    catalogue: QueryCatalogue = state.catalogue
    try:
        rows = store.run(catalogue.internal("graph-sizes"))
    except QueryError:
        rows = []
    sizes = [(r["graph"].value, int(r["triples"].value)) for r in rows if "graph" in r]
    state.graph_sizes_cache = (version, sizes)
    return sizes
