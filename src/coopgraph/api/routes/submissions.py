"""Contributions and their review: ``/submissions`` and ``/submissions/{id}`` (see ``docs/writing.md``).

API clients send RDF with ``POST /submissions`` (contributor token); it is validated by the gate
and kept, outside the store, until a curator approves it (``POST /submissions/{id}/approve``,
with a choice for each node it mints), rejects it (``.../reject``, a reason required) or, once
approved, withdraws it (``.../withdraw``). Pages and forms work with the session of ``/login``
and without JavaScript; every answer is JSON too, by ``Accept``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from coopgraph.api.deps import (
    CatalogueDep,
    Contributor,
    Curator,
    PublicBaseDep,
    SessionsDep,
    SettingsDep,
    StoreDep,
    SubmissionsDep,
    WriteSideDep,
    wants_html,
)
from coopgraph.api.errors import documented
from coopgraph.api.routes.graph_store import write_body
from coopgraph.api.routes.session import current_session, page_language
from coopgraph.auth.session import CSRF_FIELD, Sessions
from coopgraph.auth.tokens import Role, TokenInfo, allows
from coopgraph.contrib import review
from coopgraph.contrib.pages import TEXTS, submission_view
from coopgraph.contrib.submissions import STATUSES, Submission, Submissions, submit
from coopgraph.errors import (
    Forbidden,
    InputError,
    NotAcceptable,
    ParameterError,
    UnsupportedContentType,
    ValidationFailed,
)
from coopgraph.gate.change import RDF_BODY_TYPES, media_type_of, read_rdf
from coopgraph.gate.service import Committed
from coopgraph.linkeddata.pages import render
from coopgraph.negotiation import HTML, MediaType, choose
from coopgraph.protocol.request import parse_form

router = APIRouter(tags=["submissions"])

JSON = MediaType("application/json", "json", "json")
PAGE_TYPES = (HTML, JSON)
FORM_TYPE = "application/x-www-form-urlencoded"
CHOICE_PREFIX = "choice:"
"""Form fields ``choice:<node IRI>`` hold ``new`` or the IRI of the existing node it is."""
_RDF_BODY = {"content": {m: {"schema": {"type": "string"}} for m in RDF_BODY_TYPES}, "required": True}
_DECISION_BODY = {
    "content": {
        FORM_TYPE: {"schema": {"type": "object", "additionalProperties": {"type": "string"}}},
        "application/json": {"schema": {"type": "object"}},
    },
    "required": False,
}
_SUBMISSION = {"content": {"application/json": {"schema": {"type": "object"}}}}


def _media(request: Request) -> MediaType:
    media = choose(request.headers.get("accept"), PAGE_TYPES)
    if media is None:
        raise NotAcceptable([m.media_type for m in PAGE_TYPES])
    return media


def _languages(request: Request) -> list[str]:
    lang = page_language(request)
    return [lang, *(code for code in TEXTS if code != lang)]


def _visible(submission: Submission, who: TokenInfo) -> Submission:
    if not allows(who.role, Role.curator) and submission.submitter != who.name:
        raise Forbidden(f"submission {submission.id} was sent by another contributor; a curator may see it")
    return submission


def _csrf(request: Request, sessions: Sessions) -> str:
    session = current_session(request, sessions)
    return sessions.csrf(session) if session else ""


async def _decision_fields(request: Request, limit: int) -> dict[str, Any]:
    """The fields of a decision: a form (repeated names: the last) or a JSON object."""
    body = await write_body(request, limit)
    media = media_type_of(request.headers.get("content-type"))
    if not body.strip():
        return {}
    if media == FORM_TYPE:
        return dict(parse_form(body))
    if media == "application/json":
        try:
            fields = json.loads(body)
        except ValueError as exc:
            raise InputError(f"the body is not JSON: {exc}", "<body>") from exc
        if not isinstance(fields, dict):
            raise ParameterError("body", "send a JSON object")
        return fields
    raise UnsupportedContentType(f"send the decision as a form ({FORM_TYPE}) or as application/json")


def _choices(fields: dict[str, Any]) -> dict[str, str]:
    given = fields.get("choices", {})
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        raise ParameterError("choices", 'an object {"node IRI": "new" or "existing IRI"}')
    choices = {str(k): v for k, v in given.items()}
    for name, value in fields.items():
        if name.startswith(CHOICE_PREFIX) and isinstance(value, str):
            choices[name[len(CHOICE_PREFIX) :]] = value
    return choices


def _committed(done: Committed) -> dict[str, Any]:
    """What the commit did: the graphs and their sizes, the store's new version, the time spent."""
    return {
        "graphs": done.graphs,
        "added": done.added,
        "removed": done.removed,
        "version": done.version,
        "validate_seconds": round(done.validate_seconds, 3),
        "commit_seconds": round(done.commit_seconds, 3),
    }


def _done(
    request: Request, base: str, submission: Submission, extra: dict[str, Any] | None = None
) -> Response:
    """The answer of a decision: 303 to the submission's page for a browser, JSON otherwise
    (``Accept: */*``, curl's, is not a browser's)."""
    if wants_html(request):
        return RedirectResponse(f"{base}submissions/{submission.id}", status_code=303)
    return JSONResponse({"submission": submission.as_dict(), **(extra or {})})


def _detail_page(
    request: Request,
    base: str,
    store: StoreDep,
    catalogue: CatalogueDep,
    submissions: Submissions,
    sessions: Sessions,
    submission: Submission,
    who: TokenInfo,
    report: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    languages = _languages(request)
    view = submission_view(store, catalogue, submission, submissions.content(submission.id), base, languages)
    if _media(request) == JSON:
        return JSONResponse({**view, **({"report": report} if report else {})}, status_code=status)
    lang = languages[0]
    html = render(
        "submission.html",
        base,
        title=TEXTS[lang]["title"].format(id=submission.id),
        lang=lang,
        t=TEXTS[lang],
        view=view,
        curator=allows(who.role, Role.curator),
        csrf=_csrf(request, sessions),
        csrf_field=CSRF_FIELD,
        choice_prefix=CHOICE_PREFIX,
        report=report,
    )
    return HTMLResponse(
        html, status_code=status, headers={"Cache-Control": "no-store", "Vary": "Accept, Cookie"}
    )


@router.get(
    "/submissions",
    response_class=HTMLResponse,
    responses={200: {"content": {"application/json": {}}}, **documented(400, 401, 403, 406)},
)
def list_submissions(
    request: Request,
    who: Contributor,
    submissions: SubmissionsDep,
    base: PublicBaseDep,
    status: str | None = Query(
        None, description="Only submissions with this status: " + ", ".join(STATUSES) + ".", max_length=20
    ),
) -> Response:
    """The submissions (a curator sees all, a contributor their own), newest first; HTML or JSON by Accept."""
    media = _media(request)
    found = [
        s
        for s in submissions.list(status or None)
        if allows(who.role, Role.curator) or s.submitter == who.name
    ]
    if media == JSON:
        return JSONResponse({"submissions": [s.as_dict() for s in found]}, headers={"Vary": "Accept, Cookie"})
    lang = page_language(request)
    html = render(
        "submissions.html",
        base,
        title=TEXTS[lang]["list_title"],
        lang=lang,
        t=TEXTS[lang],
        submissions=found,
        statuses=STATUSES,
        status=status,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store", "Vary": "Accept, Cookie"})


@router.post(
    "/submissions",
    status_code=201,
    openapi_extra={"requestBody": _RDF_BODY},
    responses={
        201: {"description": "Kept for review; the body is the submission.", **_SUBMISSION},
        **documented(400, 401, 403, 413, 415, 422),
    },
)
async def create_submission(
    request: Request,
    who: Contributor,
    store: StoreDep,
    settings: SettingsDep,
    submissions: SubmissionsDep,
    writes: WriteSideDep,
    base: PublicBaseDep,
) -> Response:
    """Send RDF for review (contributor token): validated by the gate, kept outside the store until approved."""
    writes.refuse_if_off()
    body = await write_body(request, settings.max_write_bytes)
    content_type = request.headers.get("content-type")
    lang = "es" if page_language(request) == "es" else "en"
    entry: dict[str, Any] = {
        "who": who.name,
        "role": who.role.value,
        "operation": "SUBMIT",
        "bytes": len(body),
    }
    try:
        triples, lines = read_rdf(body, content_type)
        origin = f"rdf ({media_type_of(content_type)})"
        submission = await asyncio.to_thread(
            submit, store, submissions, settings, triples, lines, who.name, origin, lang
        )
    except Exception as exc:
        await asyncio.to_thread(
            writes.audit.append, **entry, result="refused", error=type(exc).__name__, reason=str(exc)[:500]
        )
        raise
    await asyncio.to_thread(writes.audit.append, **entry, result="pending", submission=submission.id)
    return JSONResponse(
        submission.as_dict(), status_code=201, headers={"Location": f"{base}submissions/{submission.id}"}
    )


@router.get(
    "/submissions/{id}",
    response_class=HTMLResponse,
    responses={200: {"content": {"application/json": {}}}, **documented(401, 403, 404, 406)},
)
def submission_page(
    id: str,
    request: Request,
    who: Contributor,
    store: StoreDep,
    catalogue: CatalogueDep,
    submissions: SubmissionsDep,
    sessions: SessionsDep,
    base: PublicBaseDep,
) -> Response:
    """A submission: what it would add, by subject, and for each node it mints the existing nodes it may be."""
    submission = _visible(submissions.get(id), who)
    return _detail_page(request, base, store, catalogue, submissions, sessions, submission, who)


@router.post(
    "/submissions/{id}/approve",
    openapi_extra={"requestBody": _DECISION_BODY},
    responses={
        200: {"description": "Approved and committed as the submission's graph.", **_SUBMISSION},
        303: {"description": "Approved (a browser is sent back to the submission's page)."},
        **documented(400, 401, 403, 404, 409, 413, 415, 422, 501),
    },
)
async def approve_submission(
    id: str,
    request: Request,
    who: Curator,
    store: StoreDep,
    catalogue: CatalogueDep,
    settings: SettingsDep,
    submissions: SubmissionsDep,
    sessions: SessionsDep,
    writes: WriteSideDep,
    base: PublicBaseDep,
) -> Response:
    """Approve a pending submission (curator): apply the choice for each minted node, gate, commit with PROV."""
    submission = submissions.get(id)
    choices = _choices(await _decision_fields(request, settings.max_request_bytes))
    lang = "es" if page_language(request) == "es" else "en"
    try:
        approved, done = await review.approve(writes, submissions, catalogue, id, choices, who, lang)
    except ValidationFailed as exc:
        if not wants_html(request) or not isinstance(exc.report, dict):
            raise
        return _detail_page(
            request, base, store, catalogue, submissions, sessions, submission, who, exc.report, status=422
        )
    return _done(request, base, approved, {"committed": _committed(done)})


@router.post(
    "/submissions/{id}/reject",
    openapi_extra={"requestBody": _DECISION_BODY},
    responses={
        200: {"description": "Rejected; nothing was written to the store.", **_SUBMISSION},
        303: {"description": "Rejected (a browser is sent back to the submission's page)."},
        **documented(400, 401, 403, 404, 409, 413, 415),
    },
)
async def reject_submission(
    id: str,
    request: Request,
    who: Curator,
    settings: SettingsDep,
    submissions: SubmissionsDep,
    writes: WriteSideDep,
    base: PublicBaseDep,
) -> Response:
    """Reject a pending submission (curator), with a reason (required); the store is not touched."""
    submissions.get(id)
    reason = (await _decision_fields(request, settings.max_request_bytes)).get("reason")
    rejected = await review.reject(writes, submissions, id, reason if isinstance(reason, str) else "", who)
    return _done(request, base, rejected)


@router.post(
    "/submissions/{id}/withdraw",
    openapi_extra={"requestBody": _DECISION_BODY},
    responses={
        200: {"description": "Withdrawn: the submission's graph was dropped.", **_SUBMISSION},
        303: {"description": "Withdrawn (a browser is sent back to the submission's page)."},
        **documented(400, 401, 403, 404, 409, 413, 415, 501),
    },
)
async def withdraw_submission(
    id: str,
    request: Request,
    who: Curator,
    settings: SettingsDep,
    submissions: SubmissionsDep,
    writes: WriteSideDep,
    base: PublicBaseDep,
) -> Response:
    """Withdraw an approved submission (curator): its graph, data and PROV, is dropped from the store."""
    submissions.get(id)
    reason = (await _decision_fields(request, settings.max_request_bytes)).get("reason")
    withdrawn, done = await review.withdraw(
        writes, submissions, id, who, reason.strip() or None if isinstance(reason, str) else None
    )
    return _done(request, base, withdrawn, {"committed": _committed(done)})
