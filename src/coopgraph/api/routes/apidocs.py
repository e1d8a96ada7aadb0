"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from the copies the service serves itself.

Both pages load their scripts and styles from ``/static/vendor/`` (vendored by ``make vendor``),
never from a CDN, and ask for no web font, so they work with the machine offline.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor"
SWAGGER_PARAMETERS = {
    # deep links put an <a> inside each operation's <button> (nested controls, for axe-core)
    "deepLinking": False,
    "showExtensions": True,
    "showCommonExtensions": True,
    # Swagger UI's default validator badge asks validator.swagger.io about the document
    "validatorUrl": None,
    "tryItOutEnabled": False,
    "displayRequestDuration": True,
}


def _finish(response: HTMLResponse, stylesheet: str | None = None) -> HTMLResponse:
    """The page with ``<html lang="en">`` (FastAPI's templates name no language) and a stylesheet."""
    body = bytes(response.body).replace(b"<html>", b'<html lang="en">', 1)
    if stylesheet is not None:
        link = f'<link rel="stylesheet" href="{stylesheet}">\n</head>'.encode()
        body = body.replace(b"</head>", link, 1)
    return HTMLResponse(body, status_code=response.status_code)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """The OpenAPI document in Swagger UI."""
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} · API (Swagger UI)",
        swagger_js_url=f"{root}{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{root}{VENDOR}/swagger-ui/favicon-32x32.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )
    return _finish(page, f"{root}/static/apidocs.css")


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """The OpenAPI document in ReDoc."""
    root = _root(request)
    page = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} · API (ReDoc)",
        redoc_js_url=f"{root}{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{root}{VENDOR}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,
    )
    return _finish(page)
