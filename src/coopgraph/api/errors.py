"""The one place where library errors become HTTP statuses.

Every route raises library errors (:mod:`coopgraph.errors`) and lets the handler installed by
:func:`install_error_handlers` answer them; the SPARQL fast path, which runs before the
framework, answers them with the same :func:`error_reply`. Either way a client gets the status of
:data:`STATUS` and a JSON body naming the problem. "Not acceptable" is answered one way: 406
with the offered media types in ``supported``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from coopgraph.errors import (
    ClientBusy,
    Conflict,
    CoopgraphError,
    Forbidden,
    InputError,
    LoginRequired,
    NotAcceptable,
    NotFound,
    NotSupported,
    ParameterError,
    QueryAborted,
    QueryError,
    QueryMemoryExceeded,
    QueryRefused,
    QueryTimeout,
    QueueTimeout,
    RequestTooLarge,
    Unauthorized,
    UnsupportedContentType,
    ValidationFailed,
)
from coopgraph.protocol.request import Reply

STATUS: list[tuple[type[CoopgraphError], int, str]] = [
    (QueueTimeout, 503, "No query worker became free in time; the query did not run. See `Retry-After`."),
    (QueryMemoryExceeded, 503, "The query needed more memory than a query may use and was stopped."),
    (QueryAborted, 500, "The query engine crashed running the query; the message says how."),
    (ClientBusy, 429, "The client already runs as many queries as it may; `Retry-After` says when to retry."),
    (QueryTimeout, 503, "The query ran past the time limit; `Retry-After` says when to try again."),
    (QueryRefused, 403, "The request asks for something the service does not allow (an update, SERVICE)."),
    (QueryError, 400, "The query is malformed; the body gives the line and column where known."),
    (ParameterError, 400, "A parameter is missing, repeated or malformed; `name` names it."),
    (InputError, 400, "An input cannot be read or parsed."),
    (NotAcceptable, 406, "None of the media types in `Accept` is offered; `supported` lists those that are."),
    (RequestTooLarge, 413, "The request body is larger than `COOPGRAPH_MAX_REQUEST_BYTES`."),
    (UnsupportedContentType, 415, "The request body is in a media type the service does not read."),
    (ValidationFailed, 422, "The data does not conform to the shapes."),
    (NotFound, 404, "Nothing of that name exists."),
    (Conflict, 409, "The thing is no longer in a state that allows this (a submission already reviewed)."),
    (LoginRequired, 303, "A browser without a session is sent to the login page (`Location`)."),
    (
        Unauthorized,
        401,
        "A bearer token is needed (`Authorization: Bearer ...`), or the one given is not valid.",
    ),
    (Forbidden, 403, "The token's role does not allow this, or the service does not write."),
    (NotSupported, 501, "The store the service has cannot do this (e.g. write several graphs at once)."),
]
"""Error class, status and what the status means, the most specific class first."""

ERROR_FIELDS = ("query_name", "line", "column", "name", "offset", "seconds", "supported", "report")
"""Attributes of an error copied into the JSON body when set."""

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "The kind of error, e.g. `QueryError`."},
        "message": {"type": "string"},
    },
    "required": ["error", "message"],
}


def status_for(exc: CoopgraphError) -> int:
    """The HTTP status of a library error.

    Parameters
    ----------
    exc
        The error.

    Returns
    -------
    int
        Its status (500 for an error the table does not name).

    Examples
    --------
    >>> status_for(NotAcceptable(["text/turtle"]))
    406
    """
    for cls, status, _ in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_reply(exc: CoopgraphError) -> Reply:
    """The answer to a library error: its status and a JSON body naming the problem.

    Parameters
    ----------
    exc
        The error.

    Returns
    -------
    Reply
        Status, JSON body and headers (``Retry-After`` on 503, ``Vary`` on 406).

    Examples
    --------
    >>> reply = error_reply(NotAcceptable(["text/turtle"]))
    >>> reply.status, json.loads(reply.body)["supported"], reply.headers
    (406, ['text/turtle'], {'Vary': 'Accept'})
    """
    status = status_for(exc)
    body: dict[str, object] = {"error": type(exc).__name__, "message": str(exc)}
    for attr in ERROR_FIELDS:
        value = getattr(exc, attr, None)
        if value is not None:
            body[attr] = value
    retry = str(getattr(exc, "retry_after", 1))
    headers = {"Retry-After": retry} if status in (429, 503) else {"Vary": "Accept"} if status == 406 else {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="coopgraph"'
    if isinstance(exc, LoginRequired):
        headers["Location"] = exc.location
    return Reply(status, json.dumps(body).encode(), "application/json", headers)


def to_response(reply: Reply) -> Response:
    """The framework response of a reply.

    Parameters
    ----------
    reply
        Status, body, content type and headers.

    Returns
    -------
    Response
        The same, as a Starlette response.
    """
    return Response(
        reply.body, status_code=reply.status, headers=reply.headers, media_type=reply.content_type or None
    )


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of these error statuses, as a route's ``responses=``.

    Parameters
    ----------
    statuses
        The error statuses a route may answer.

    Returns
    -------
    dict
        Per status, its description and JSON body schema.

    Examples
    --------
    >>> documented(406)[406]["description"].startswith("None of the media types")
    True
    """
    meanings: dict[int, list[str]] = {}
    for _, status, meaning in STATUS:
        if meaning not in meanings.setdefault(status, []):
            meanings[status].append(meaning)
    return {
        status: {
            "description": " Or: ".join(meanings[status]),
            "content": {"application/json": {"schema": _ERROR_SCHEMA}},
        }
        for status in statuses
    }


def install_error_handlers(app: FastAPI) -> None:
    """Answer library errors with their status and a JSON body naming the problem.

    Parameters
    ----------
    app
        The application whose routes raise library errors.
    """

    @app.exception_handler(CoopgraphError)
    async def coopgraph_error(request: Request, exc: CoopgraphError) -> Response:
        return to_response(error_reply(exc))
