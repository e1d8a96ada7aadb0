"""The browser session of the forms: ``GET /login`` (a form), ``POST /login``, ``POST /logout``.

A visitor pastes their token once; the answer sets the signed session cookie of
:mod:`coopgraph.auth.session` (HttpOnly, ``SameSite=Strict``, ``Secure`` over https, the path of
the service's base URL) and sends them back, with 303, to ``next``: a path of this service only.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coopgraph.api.deps import (
    PublicBaseDep,
    SessionsDep,
    SettingsDep,
    WriteSideDep,
    base_path,
    form_csrf,
    public_base,
    wants_html,
)
from coopgraph.api.errors import documented
from coopgraph.auth.session import COOKIE_NAME, CSRF_FIELD, Session, Sessions
from coopgraph.config import Settings
from coopgraph.errors import Forbidden, ParameterError, Unauthorized
from coopgraph.linkeddata.labels import parse_accept_language
from coopgraph.linkeddata.pages import render

router = APIRouter(tags=["session"])

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Log in",
        "intro": "Paste the token you were given (NAME.SECRET) to use the contribution forms and the review pages in this browser. The token is not kept in the browser: a signed cookie stands for it for {hours:g} hours, and ends at once if the token is revoked.",
        "token": "Token",
        "submit": "Log in",
        "signed_in": "Logged in as {name} ({role}).",
        "logout": "Log out",
        "refused": "This token is not valid (unknown, revoked or mistyped).",
        "review": "Submissions to review",
    },
    "es": {
        "title": "Iniciar sesión",
        "intro": "Pegue el token que recibió (NOMBRE.SECRETO) para usar los formularios de contribución y las páginas de revisión en este navegador. El token no se guarda en el navegador: una cookie firmada lo representa durante {hours:g} horas y deja de valer en cuanto se revoca el token.",
        "token": "Token",
        "submit": "Iniciar sesión",
        "signed_in": "Sesión iniciada como {name} ({role}).",
        "logout": "Cerrar sesión",
        "refused": "Este token no es válido (desconocido, revocado o mal copiado).",
        "review": "Contribuciones por revisar",
    },
    "fr": {
        "title": "Connexion",
        "intro": "Collez le jeton qui vous a été remis (NOM.SECRET) pour utiliser les formulaires de contribution et les pages de relecture dans ce navigateur. Le jeton n'est pas gardé par le navigateur : un cookie signé le représente pendant {hours:g} heures et cesse de valoir dès que le jeton est révoqué.",
        "token": "Jeton",
        "submit": "Se connecter",
        "signed_in": "Connecté en tant que {name} ({role}).",
        "logout": "Se déconnecter",
        "refused": "Ce jeton n'est pas valide (inconnu, révoqué ou mal copié).",
        "review": "Contributions à relire",
    },
}
"""The page's words per language."""

_LOCAL_PATH = re.compile(r"/(?![/\\])[^\x00-\x20\\]*")

NextField = Annotated[
    str | None, Form(description="The path of this service to go back to.", max_length=2000)
]


def page_language(request: Request) -> str:
    """The language of a page (en, es, fr), from ``?lang=``, the ``lang`` cookie or ``Accept-Language``."""
    wanted = parse_accept_language(request.headers.get("accept-language"))
    return next((lang for lang in wanted if lang in TEXTS), "en")


def local_next(next_path: str | None, request: Request, settings: Settings) -> str:
    """Where to go after logging in: ``next`` if it is a path of this service, else its home page.

    Raises
    ------
    ParameterError
        ``next`` names another host or scheme (an open redirect).
    """
    home = base_path(request, settings)
    if not next_path:
        return home
    if not _LOCAL_PATH.fullmatch(next_path) or not next_path.startswith(home):
        raise ParameterError("next", "it must be a path of this service (starting with /), not another site")
    return next_path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def refuse_cross_site(request: Request, settings: Settings) -> None:
    """:class:`Forbidden` for a login form sent from another site (login CSRF).

    The login form has no session yet, so no session-bound CSRF field can protect it: a page of
    another site could otherwise log a visitor in under its own token and collect what they
    submit. Browsers name the sending site in ``Origin`` and ``Sec-Fetch-Site`` on every POST;
    a request without either (curl, a script) is not a browser's and is let through.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise Forbidden(f"the login form was sent from another site (Sec-Fetch-Site: {fetch_site[:40]})")
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = {_origin(str(request.base_url)), _origin(public_base(request, settings))}
    if origin.lower() not in own:
        raise Forbidden(f"the login form was sent from another site (Origin: {origin[:100]})")


def current_session(request: Request, sessions: Sessions) -> Session | None:
    """The request's valid session, if it has one."""
    cookie = request.cookies.get(COOKIE_NAME)
    if not cookie:
        return None
    try:
        return sessions.read(cookie)
    except Unauthorized:
        return None


def _page(
    request: Request,
    base: str,
    sessions: Sessions,
    settings: Settings,
    next_path: str,
    refused: bool = False,
    status: int = 200,
) -> HTMLResponse:
    lang = page_language(request)
    session = current_session(request, sessions)
    html = render(
        "login.html",
        base,
        title=TEXTS[lang]["title"],
        lang=lang,
        t=TEXTS[lang],
        hours=settings.session_hours,
        next_path=next_path,
        refused=refused,
        session=session,
        csrf=sessions.csrf(session) if session else "",
        csrf_field=CSRF_FIELD,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


@router.get("/login", response_class=HTMLResponse, responses=documented(400))
def login_page(
    request: Request,
    base: PublicBaseDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    next: str | None = None,
) -> Response:
    """The login page: a form where a contributor or curator pastes their token."""
    return _page(request, base, sessions, settings, local_next(next, request, settings))


@router.post(
    "/login",
    responses={
        303: {"description": "Logged in: the cookie is set, and `Location` is `next`."},
        **documented(400, 401, 403),
    },
)
def login(
    request: Request,
    base: PublicBaseDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    writes: WriteSideDep,
    token: Annotated[str, Form(description="The token, NAME.SECRET.", max_length=200)],
    next: NextField = None,
) -> Response:
    """Check a token and open a session for its holder (a signed cookie); 303 to ``next``."""
    target = local_next(next, request, settings)
    writes.refuse_if_off()
    refuse_cross_site(request, settings)
    try:
        cookie, session = sessions.start(token)
    except Unauthorized as exc:
        writes.audit.append(
            who=token.partition(".")[0][:64] or "anonymous",
            operation="POST /login",
            result="refused",
            error=type(exc).__name__,
            reason=str(exc),
        )
        if wants_html(request):
            return _page(request, base, sessions, settings, target, refused=True, status=401)
        raise
    writes.audit.append(
        who=session.holder.name, role=session.holder.role.value, operation="POST /login", result="session"
    )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        cookie,
        max_age=sessions.seconds,
        path=base_path(request, settings),
        secure=request.url.scheme == "https" or public_base(request, settings).startswith("https:"),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post(
    "/logout",
    responses={
        303: {"description": "Logged out: the cookie is cleared; `Location` is the home page."},
        **documented(403),
    },
)
async def logout(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Response:
    """End the browser's session (the form carries the session's ``csrf`` field)."""
    session = current_session(request, sessions)
    if session is not None:
        sessions.check_csrf(session, await form_csrf(request, settings.max_request_bytes))
    path = base_path(request, settings)
    response = RedirectResponse(path, status_code=303)
    response.delete_cookie(COOKIE_NAME, path=path, httponly=True, samesite="strict")
    return response
