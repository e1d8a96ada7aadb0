"""Dependencies of the API routes, one way: typed ``Annotated`` aliases.

The settings, the store, the query catalogue and the query runner are opened
once in the app's lifespan (see :mod:`coopgraph.api.app`), kept on ``app.state``, and handed to
routes only through the aliases below (``settings: SettingsDep``); tests replace them with
``app.dependency_overrides``.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request

from coopgraph.auth.session import COOKIE_NAME, CSRF_FIELD, Sessions
from coopgraph.auth.tokens import Role, TokenInfo, allows
from coopgraph.config import Settings
from coopgraph.contrib.submissions import Submissions
from coopgraph.errors import (
    CoopgraphError,
    Forbidden,
    LoginRequired,
    RequestTooLarge,
    Unauthorized,
    WriteTooLarge,
)
from coopgraph.gate.service import WriteSide
from coopgraph.linkeddata import LinkedData
from coopgraph.negotiation import HTML, MediaType, choose
from coopgraph.protocol import QueryRunner
from coopgraph.protocol.request import read_body
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The store the lifespan opened and loaded."""
    store: Store = request.app.state.store
    return store


def get_catalogue(request: Request) -> QueryCatalogue:
    """The catalogue of named queries."""
    catalogue: QueryCatalogue = request.app.state.catalogue
    return catalogue


def get_query_runner(request: Request) -> QueryRunner:
    """The worker pool that runs queries under the time limit."""
    runner: QueryRunner = request.app.state.query_runner
    return runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
CatalogueDep = Annotated[QueryCatalogue, Depends(get_catalogue)]
QueryRunnerDep = Annotated[QueryRunner, Depends(get_query_runner)]


def public_base(request: Request, settings: Settings) -> str:
    """The base URL the service is reached at (``COOPGRAPH_BASE_URL`` or the request's own).

    Parameters
    ----------
    request
        The request (its own base URL is the fallback).
    settings
        The settings (``base_url``).

    Returns
    -------
    str
        The base URL, ending with ``/``.
    """
    base = settings.base_url or str(request.base_url)
    return base if base.endswith("/") else base + "/"


def get_public_base(request: Request, settings: SettingsDep) -> str:
    """The base URL the service is reached at, ending with ``/``."""
    return public_base(request, settings)


PublicBaseDep = Annotated[str, Depends(get_public_base)]


def get_linkeddata(
    request: Request, store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep
) -> LinkedData:
    """The linked-data model of the app's store, built on first use (it reads the ontology and
    shapes) and rebuilt if the store is replaced."""
    model: LinkedData | None = getattr(request.app.state, "linkeddata", None)
    if model is None or model.store is not store:
        model = LinkedData(store, settings, catalogue)
        request.app.state.linkeddata = model
    return model


LinkedDataDep = Annotated[LinkedData, Depends(get_linkeddata)]


def get_write_side(request: Request) -> WriteSide:
    """The service's writer (tokens, gate, audit log), opened in the lifespan."""
    writes: WriteSide = request.app.state.write_side
    return writes


WriteSideDep = Annotated[WriteSide, Depends(get_write_side)]


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, if there is one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def token_holder(request: Request, writes: WriteSideDep, needed: Role) -> TokenInfo:
    """The holder of the request's bearer token if its role allows ``needed``; refusals are audited."""
    token = bearer_token(request)
    try:
        return writes.tokens.authorise(token, needed)
    except Exception as exc:
        writes.audit.append(
            who=(token or "").partition(".")[0] or "anonymous",
            operation=f"{request.method} {request.url.path}",
            result="refused",
            error=type(exc).__name__,
            reason=str(exc)[:500],
        )
        raise


def get_curator(request: Request, writes: WriteSideDep) -> TokenInfo:
    """The caller, a curator or admin (401 without a valid token, 403 for another role)."""
    return token_holder(request, writes, Role.curator)


CuratorDep = Annotated[TokenInfo, Depends(get_curator)]


def get_sessions(request: Request, writes: WriteSideDep, settings: SettingsDep) -> Sessions:
    """The browser sessions of the service (their secret is read or made on first use)."""
    sessions: Sessions | None = getattr(request.app.state, "sessions", None)
    if sessions is None or sessions.tokens is not writes.tokens:
        sessions = Sessions(settings, writes.tokens)
        request.app.state.sessions = sessions
    return sessions


SessionsDep = Annotated[Sessions, Depends(get_sessions)]


def get_submissions(request: Request, settings: SettingsDep) -> Submissions:
    """The submissions waiting for review (and those reviewed), kept outside the store."""
    submissions: Submissions | None = getattr(request.app.state, "submissions", None)
    if submissions is None:
        submissions = Submissions(settings)
        request.app.state.submissions = submissions
    return submissions


SubmissionsDep = Annotated[Submissions, Depends(get_submissions)]

JSON_TYPE = MediaType("application/json", "json", "json")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def base_path(request: Request, settings: Settings) -> str:
    """The path of the service's base URL, ending with ``/`` (the session cookie's ``Path``)."""
    return urlsplit(public_base(request, settings)).path or "/"


def login_location(request: Request, settings: Settings) -> str:
    """Where a browser without a session logs in, coming back to this page afterwards (a form
    sent without a session comes back to the home page: its target answers only POST)."""
    base = public_base(request, settings)
    if request.method not in SAFE_METHODS:
        return f"{base}login"
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{base}login?{urlencode({'next': here})}"


def wants_html(request: Request) -> bool:
    """Whether the client is a browser asking for a page (it prefers HTML to JSON)."""
    return choose(request.headers.get("accept"), [JSON_TYPE, HTML]) == HTML and "text/html" in (
        request.headers.get("accept") or ""
    )


async def form_csrf(request: Request, limit: int) -> str | None:
    """The ``csrf`` field of a form body, read within ``limit`` bytes (``None`` for another body)."""
    if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() not in FORM_TYPES:
        return None
    length = request.headers.get("content-length", "")
    try:
        body = await read_body(request.stream(), int(length) if length.isdigit() else None, limit)
    except RequestTooLarge:
        raise WriteTooLarge(limit) from None
    # kept where Starlette looks for a body already read, so the route reads the same form
    request._body = body
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else None


async def caller(
    request: Request, writes: WriteSide, sessions: Sessions, settings: Settings, needed: Role
) -> TokenInfo:
    """The holder of the request's bearer token or session cookie, if its role allows ``needed``.

    With the cookie, an unsafe method must carry the session's CSRF token in the form field
    ``csrf``. Refusals are audited.

    Raises
    ------
    LoginRequired
        A browser without a valid session (303 to the login page).
    Unauthorized
        Another client without a valid token (401).
    Forbidden
        Writes are off, the role does not allow it, or the CSRF field is missing or wrong (403).
    """
    if bearer_token(request) is not None:
        return token_holder(request, writes, needed)
    cookie = request.cookies.get(COOKIE_NAME)
    who = "anonymous"
    try:
        if not writes.tokens.any():
            raise Forbidden("writes are off: no token is configured on this service (coopgraph token create)")
        try:
            if not cookie:
                raise Unauthorized(
                    "this needs a bearer token ('Authorization: Bearer TOKEN') or a session (log in at /login)"
                )
            session = sessions.read(cookie)
        except Unauthorized as exc:
            if wants_html(request):
                raise LoginRequired(str(exc), login_location(request, settings)) from None
            raise
        who = session.holder.name
        if not allows(session.holder.role, needed):
            raise Forbidden(
                f"the token {who!r} has the role {session.holder.role.value}; this needs {needed.value}"
            )
        if request.method not in SAFE_METHODS:
            sessions.check_csrf(session, await form_csrf(request, settings.max_write_bytes))
    except CoopgraphError as exc:
        writes.audit.append(
            who=who,
            operation=f"{request.method} {request.url.path}",
            result="refused",
            error=type(exc).__name__,
            reason=str(exc)[:500],
        )
        raise
    return session.holder


async def get_contributor(
    request: Request, writes: WriteSideDep, sessions: SessionsDep, settings: SettingsDep
) -> TokenInfo:
    """The caller, a contributor or more, by bearer token or session cookie (with CSRF on unsafe methods)."""
    return await caller(request, writes, sessions, settings, Role.contributor)


async def get_session_curator(
    request: Request, writes: WriteSideDep, sessions: SessionsDep, settings: SettingsDep
) -> TokenInfo:
    """The caller, a curator or admin, by bearer token or session cookie (with CSRF on unsafe methods)."""
    return await caller(request, writes, sessions, settings, Role.curator)


Contributor = Annotated[TokenInfo, Depends(get_contributor)]
"""A contributor or more, by bearer token or by the session of ``/login`` (forms)."""
Curator = Annotated[TokenInfo, Depends(get_session_curator)]
"""A curator or admin, by bearer token or by the session of ``/login`` (review pages);
:data:`CuratorDep` takes a bearer token only (the Graph Store Protocol, SPARQL Update)."""
