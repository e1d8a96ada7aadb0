"""``coopgraph serve``: the SPARQL endpoint, named queries and linked data over HTTP.

The server is uvicorn with its httptools parser, whose protocol is extended by
:class:`BoundedHttpTools` with the two limits uvicorn leaves to the application: how long a
client may take to send a request (``COOPGRAPH_BODY_TIMEOUT``, 408) and how large its request line
and headers may be (``COOPGRAPH_MAX_HEAD_BYTES``, 431; httptools has no such limit and, past a
few megabytes, takes seconds to gather a header). Both act before any application code runs, on
every path, and cost a timer per request.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from coopgraph.cli.common import settings_from_env

KEEP_ALIVE = 5
"""Seconds an idle connection is kept open after a response (uvicorn's default)."""


def _reply(status: bytes, message: str) -> bytes:
    body = message.encode()
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
    )


class HeadWithBody:
    """A transport that holds a response's status line and headers until its first body bytes.

    uvicorn writes the head of a response, then its body, each at once: two sends, two segments,
    and two wake-ups of the client for every answer. Held, the head goes out with the body in one
    vectored write. An interim ``100 Continue`` goes out at once (the client waits for it before
    it sends the body), and a held head goes out before anything else is done with the transport,
    and when the response is complete (:meth:`flush`: an answer to HEAD writes no body).

    Parameters
    ----------
    transport
        The connection's transport.
    """

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.head: bytes | None = None

    def write(self, data: bytes) -> None:
        """Hold a response head; send anything else, after the head it holds."""
        if self.head is None and data.startswith(b"HTTP/1.1 ") and not data.startswith(b"HTTP/1.1 1"):
            self.head = data
            return
        if self.head is None:
            self.transport.write(data)
            return
        head, self.head = self.head, None
        self.transport.writelines((head, data))

    def flush(self) -> None:
        """Send a held head (nothing else will follow it)."""
        if self.head is not None:
            head, self.head = self.head, None
            self.transport.write(head)

    def close(self) -> None:
        """Send what is held, then close."""
        self.flush()
        self.transport.close()

    def __getattr__(self, name: str) -> Any:
        self.flush()
        return getattr(self.transport, name)


class BoundedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline on receiving each request and a head size limit.

    The deadline runs from a connection's opening, or the first byte of a later request, until
    the request has arrived whole; past it the client gets 408 (nothing when it sent nothing, the
    bare close when an answer was already started) and the connection is closed. Between requests
    uvicorn's keep-alive timer bounds the wait. A request line and headers larger than the limit
    get 431 and the connection is closed, before the rest is read.

    The limits are the class attributes ``body_timeout`` and ``max_head_bytes``;
    :func:`bounded_protocol` makes the class with the configured ones. Construction is uvicorn's.
    """

    body_timeout = 10.0
    max_head_bytes = 65_536

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # bytes received on the connection, where the chunk being read starts, where the head does
        self.total = self.chunk_start = self.head_start = 0
        self.reading_head = True
        self.received = False
        self.deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the deadline of the first request."""
        super().connection_made(transport)
        self.deadline = self.loop.call_later(self.body_timeout, self.too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the deadline with the connection."""
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Count the bytes of the head as they come; refuse it past the limit."""
        self.received = True
        self.chunk_start = self.total
        self.total += len(data)
        super().data_received(data)
        head_bytes = self.total - self.head_start
        if self.reading_head and head_bytes > self.max_head_bytes and not self.transport.is_closing():
            self.refuse(
                b"431 Request Header Fields Too Large",
                f"the request line and headers are larger than {self.max_head_bytes:,} bytes "
                "(COOPGRAPH_MAX_HEAD_BYTES); send a long query by POST",
            )

    def on_message_begin(self) -> None:
        """A request starts: its head is counted from the chunk it starts in."""
        super().on_message_begin()
        self.reading_head = True
        self.head_start = self.chunk_start
        if self.deadline is None:
            # a request after a response (the keep-alive timer bounded the wait for it)
            self.deadline = self.loop.call_later(self.body_timeout, self.too_slow)

    def on_headers_complete(self) -> None:
        """The head is complete: the rest is the body, which the deadline bounds."""
        self.reading_head = False
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None and not isinstance(cycle.transport, HeadWithBody):
            # the handler has not run yet: its response goes out in one write, and a response
            # with no body bytes to write (an answer to HEAD) goes out when it is complete
            held = HeadWithBody(cycle.transport)
            completed = cycle.on_response

            def on_response() -> None:
                held.flush()
                completed()

            cycle.transport = held  # type: ignore[assignment]
            cycle.on_response = on_response

    def on_message_complete(self) -> None:
        """The request arrived whole in time: no deadline until the next one starts."""
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        super().on_message_complete()

    def too_slow(self) -> None:
        """The deadline passed before the request arrived whole."""
        self.deadline = None
        if self.transport.is_closing():
            return
        if not self.received or (self.cycle is not None and self.cycle.response_started):
            self.transport.close()
            return
        self.refuse(
            b"408 Request Timeout",
            f"the request did not arrive whole within {self.body_timeout:g} s (COOPGRAPH_BODY_TIMEOUT)",
        )

    def refuse(self, status: bytes, message: str) -> None:
        """Answer ``status`` with ``message``, close the connection and stop the request's handler."""
        if self.cycle is not None and not self.cycle.response_complete:
            # the handler reading the body sees the client go
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.write(_reply(status, message))
        self.transport.close()


def bounded_protocol(body_timeout: float, max_head_bytes: int) -> type[BoundedHttpTools]:
    """:class:`BoundedHttpTools` with these limits, as uvicorn's ``http`` option.

    Parameters
    ----------
    body_timeout
        Seconds a request may take to arrive (``COOPGRAPH_BODY_TIMEOUT``).
    max_head_bytes
        Largest request line and headers (``COOPGRAPH_MAX_HEAD_BYTES``).

    Returns
    -------
    type
        A protocol class for ``uvicorn.run(http=...)``.

    Examples
    --------
    >>> bounded_protocol(2.0, 1024).max_head_bytes
    1024
    """
    return type(
        "BoundedHttpTools",
        (BoundedHttpTools,),
        {"body_timeout": body_timeout, "max_head_bytes": max_head_bytes, "__module__": __name__},
    )


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: COOPGRAPH_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: COOPGRAPH_PORT).")] = None,
    reload_data: Annotated[
        bool, typer.Option("--reload-data", help="Reload every graph even when its files did not change.")
    ] = False,
) -> None:
    """Load the data and serve the SPARQL endpoint, named queries and linked data over HTTP."""
    import uvicorn

    from coopgraph.api.app import create_app

    settings = settings_from_env()
    if reload_data:
        settings = settings.model_copy(update={"reload_data": True})
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        http=bounded_protocol(settings.body_timeout, settings.max_head_bytes),
        timeout_keep_alive=KEEP_ALIVE,
        log_level="warning",
        access_log=False,
        # what software answers is nobody's business, and every header costs each client a parse
        server_header=False,
    )
