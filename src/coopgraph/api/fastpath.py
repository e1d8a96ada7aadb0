"""The SPARQL fast path: an ASGI middleware answering queries at ``/sparql`` before routing.

A query is the hot path of the service: routing, request and response objects and dependency
resolution cost several times what the query engine and the worker hop do on small queries.
:class:`SparqlFastPath` answers every request that carries a query through the same
:mod:`coopgraph.protocol.request` functions as the documented route (a request asked before is
answered from the result cache by its raw bytes, before it is read) of
:mod:`coopgraph.api.routes.sparql`, with the same limits and the same error answers
(:func:`coopgraph.api.errors.error_reply`), and the same CORS headers: a request from a browser
(one with ``Origin``) goes through a CORS middleware with the options of the app's own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.datastructures import State
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from coopgraph.api.errors import error_reply
from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError
from coopgraph.protocol import QueryRunner
from coopgraph.protocol.request import Reply, answer_raw_request, read_body

PATH = "/sparql"
METHODS = ("GET", "POST", "HEAD")
"""The methods answered here; HEAD is answered as GET, and the server leaves out the body."""


async def body_chunks(receive: Receive) -> AsyncIterator[bytes]:
    """The chunks of a request body as ASGI delivers them.

    Raises
    ------
    ClientDisconnect
        The client went away before the body was complete.
    """
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        yield message.get("body", b"")
        more = message.get("more_body", False)


class SparqlFastPath:
    """ASGI middleware answering SPARQL queries at ``/sparql``; every other request goes on.

    Requests that carry a query (a GET or HEAD with ``query`` or ``update``, any POST) are
    answered here; the service description, the query page and other paths go on to ``app``.

    Parameters
    ----------
    app
        What answers every other request (the framework's routing).
    state
        The application state the lifespan fills (``settings``, ``query_runner``).
    cors
        The options of the app's CORS middleware.
    """

    def __init__(self, app: ASGIApp, state: State, cors: dict[str, Any]) -> None:
        self.app = app
        self.state = state
        # only requests with Origin pay for CORS handling
        self.answer_browser = CORSMiddleware(self.answer, **cors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] not in METHODS:
            await self.app(scope, receive, send)
            return
        query_string: bytes = scope["query_string"]
        if scope["method"] != "POST" and b"query=" not in query_string and b"update=" not in query_string:
            await self.app(scope, receive, send)
            return
        if any(name == b"origin" for name, _ in scope["headers"]):
            await self.answer_browser(scope, receive, send)
        else:
            await self.answer(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a SPARQL request at ``/sparql`` that carries a query."""
        method: str = scope["method"]
        query_string: bytes = scope["query_string"]
        content_type = ""
        accept = None
        length = None
        if_none_match = None
        for name, value in scope["headers"]:
            if name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"accept":
                accept = value.decode("latin-1")
            elif name == b"if-none-match" and method != "POST":
                # a POST is not a conditional read (RFC 9110 §13.1.2): answered in full
                if_none_match = value.decode("latin-1")
            elif name == b"content-length" and value.isdigit():
                length = int(value)
        settings: Settings = self.state.settings
        try:
            body = b""
            if method == "POST":
                body = await read_body(body_chunks(receive), length, settings.max_request_bytes)
            runner: QueryRunner = self.state.query_runner
            client = scope.get("client")
            reply = await answer_raw_request(
                method,
                query_string,
                content_type,
                body,
                accept,
                settings,
                runner,
                client[0] if client else None,
                if_none_match,
            )
            if reply is None:  # a GET whose parameters only look like a query: the description
                await self.app(scope, receive, send)
                return
        except ClientDisconnect:
            return
        except CoopgraphError as exc:
            reply = error_reply(exc)
        await send_reply(send, reply)


async def send_reply(send: Send, reply: Reply) -> None:
    """Send ``reply`` as an ASGI response.

    Parameters
    ----------
    send
        The ASGI send channel.
    reply
        Status, body, content type and headers.
    """
    headers = []
    if reply.status != 304:  # a 304 has no body, and says nothing of the one it stands for
        headers = [
            (b"content-type", reply.content_type.encode()),
            (b"content-length", str(len(reply.body)).encode()),
        ]
    headers += [(k.lower().encode(), v.encode()) for k, v in reply.headers.items()]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
