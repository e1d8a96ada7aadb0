"""The one place where library errors become HTTP statuses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from coopgraph.errors import (
    CoopgraphError,
    InputError,
    NotFound,
    ParameterError,
    QueryError,
    QueryRefused,
    QueryTimeout,
    ValidationFailed,
)

STATUS: list[tuple[type[CoopgraphError], int]] = [
    (QueryTimeout, 503),
    (QueryRefused, 403),
    (QueryError, 400),
    (ParameterError, 400),
    (InputError, 400),
    (ValidationFailed, 422),
    (NotFound, 404),
]


def status_for(exc: CoopgraphError) -> int:
    """The HTTP status of a library error."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_answer(exc: CoopgraphError) -> tuple[int, dict[str, object], dict[str, str]]:
    """Status, JSON body and extra headers of the answer to a library error."""
    status = status_for(exc)
    body: dict[str, object] = {"error": type(exc).__name__, "message": str(exc)}
    for attr in ("query_name", "line", "column", "name", "seconds"):
        value = getattr(exc, attr, None)
        if value is not None:
            body[attr] = value
    headers = {"Retry-After": "1"} if status == 503 else {}
    return status, body, headers


def install_error_handlers(app: FastAPI) -> None:
    """Answer library errors with their status and a JSON body naming the problem."""

    @app.exception_handler(CoopgraphError)
    async def coopgraph_error(request: Request, exc: CoopgraphError) -> JSONResponse:
        status, body, headers = error_answer(exc)
        return JSONResponse(body, status_code=status, headers=headers or None)
