"""An ASGI app that answers every request with the same empty SELECT result, doing nothing else.

Served by the same uvicorn as coopgraph (uvloop and httptools), it is the floor of any Python
HTTP service on this machine: ``bench/floor.py`` times it beside coopgraph and Oxigraph server.
"""

from __future__ import annotations

from typing import Any

BODY = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
HEADERS = [
    (b"content-type", b"application/sparql-results+json"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Read the request whole, then answer :data:`BODY`."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
