"""The language switch of every page: ``?lang=`` and the ``lang`` cookie, read before routing.

Pages pick their labels from ``Accept-Language``
(:func:`coopgraph.linkeddata.labels.parse_accept_language`); this middleware puts the language
the visitor chose (``?lang=es``, else the cookie set when they chose it) first in that header,
so every page follows the switch without each route reading it, and sets the cookie when the
choice is made. An unknown language is ignored here (the explore routes answer 400 to it).
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopgraph.explore import LANGUAGES

COOKIE_MAX_AGE = 365 * 24 * 3600


def _cookie_language(header: bytes) -> str | None:
    try:
        jar: SimpleCookie = SimpleCookie(header.decode("latin-1"))
    except CookieError:
        return None
    morsel = jar.get("lang")
    return morsel.value if morsel is not None and morsel.value in LANGUAGES else None


class LanguageChoice:
    """ASGI middleware: the chosen language first in ``Accept-Language``; ``?lang=`` sets the cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = None
        query = scope.get("query_string", b"")
        if b"lang=" in query:
            values = [v for k, v in parse_qsl(query.decode("latin-1")) if k == "lang"]
            asked = values[-1] if values and values[-1] in LANGUAGES else None
        headers = list(scope["headers"])
        chosen = asked
        if chosen is None:
            cookie = next((v for k, v in headers if k == b"cookie"), None)
            chosen = _cookie_language(cookie) if cookie else None
        if chosen is not None:
            accept = next((v for k, v in headers if k == b"accept-language"), b"")
            value = chosen.encode() + (b", " + accept if accept else b"")
            headers = [(k, v) for k, v in headers if k != b"accept-language"]
            headers.append((b"accept-language", value))
            scope = {**scope, "headers": headers}
        if asked is None:
            await self.app(scope, receive, send)
            return
        cookie_value = f"lang={asked}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax".encode()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie_value)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
