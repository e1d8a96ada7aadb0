"""SPARQL 1.1 Update at ``POST /update``, for a curator's bearer token, through the gate.

The update runs on an in-memory copy of the graphs it names; the graphs it changed are
validated and, if they conform, replace those of the store in one transaction. ``LOAD`` and
``SERVICE`` are refused; an update must name the graphs it writes (``GRAPH <iri>``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coopgraph.api.deps import CuratorDep, PublicBaseDep, SettingsDep, StoreDep, WriteSideDep
from coopgraph.api.errors import documented
from coopgraph.api.routes.graph_store import _lang, committed_response, write_body
from coopgraph.errors import NotUtf8, ParameterError, UnsupportedContentType
from coopgraph.gate.change import media_type_of, update_change
from coopgraph.protocol.request import parse_form

router = APIRouter(tags=["write"])

UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"


def update_text(body: bytes, content_type: str | None) -> str:
    """The update of a request: the body (``application/sparql-update``) or its ``update=`` field.

    Raises
    ------
    UnsupportedContentType
        Another media type.
    ParameterError
        No ``update``, or more than one, or not UTF-8.
    """
    media = media_type_of(content_type)
    if media == UPDATE_TYPE:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUtf8("update", exc.start, "the body") from exc
    elif media == FORM_TYPE:
        values = [value for key, value in parse_form(body) if key == "update"]
        if len(values) != 1:
            raise ParameterError("update", "give exactly one update= field" if values else "missing")
        text = values[0]
    else:
        raise UnsupportedContentType(
            f"an update is sent as {UPDATE_TYPE} or as a form ({FORM_TYPE}), not {media or 'nothing'}"
        )
    if not text.strip():
        raise ParameterError("update", "the update is empty")
    return text


@router.post(
    "/update",
    openapi_extra={
        "requestBody": {
            "content": {
                UPDATE_TYPE: {"schema": {"type": "string"}},
                FORM_TYPE: {"schema": {"type": "object", "properties": {"update": {"type": "string"}}}},
            },
            "required": True,
        }
    },
    responses={
        200: {"description": "The update was committed."},
        **documented(400, 401, 403, 413, 415, 422, 501, 503),
    },
)
async def update(
    request: Request,
    writes: WriteSideDep,
    store: StoreDep,
    settings: SettingsDep,
    base: PublicBaseDep,
    who: CuratorDep,
) -> Response:
    """Run a SPARQL 1.1 Update (curator token), committed only if the changed graphs conform."""
    content_type = request.headers.get("content-type")
    done = await writes.write(
        who,
        "UPDATE",
        lambda: write_body(request, settings.max_write_bytes),
        lambda body: update_change(store, update_text(body, content_type), base, settings.query_timeout),
        _lang(request),
    )
    return committed_response(done)
