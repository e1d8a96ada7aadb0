"""Contributions: ``POST /contribute/csv`` (a CSV file of a template) and the forms of ``/contribute``.

A CSV file goes through :func:`coopgraph.contrib.tabular.ingest` (header, cells, the RML mapping,
the write gate), as ``coopgraph ingest`` does; errors come back as 422 with each one's row and
column, and nothing is kept. A form (``GET/POST /contribute/{form}``, HTML without JavaScript,
:mod:`coopgraph.contrib.forms`) becomes rows of the same templates and the same checks; a clean
one is kept as a pending submission and the browser goes (303) to its page, a form with errors
is shown again with every value kept and each error beside its field (422).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from coopgraph.api.deps import (
    CatalogueDep,
    Contributor,
    PublicBaseDep,
    SessionsDep,
    SettingsDep,
    StoreDep,
    SubmissionsDep,
    WriteSideDep,
    wants_html,
)
from coopgraph.api.errors import documented
from coopgraph.api.routes.session import current_session, page_language
from coopgraph.auth.session import CSRF_FIELD, Sessions
from coopgraph.auth.tokens import Role, TokenInfo, allows
from coopgraph.config import Settings
from coopgraph.contrib import forms
from coopgraph.contrib.tabular import CsvTooLarge, ingest
from coopgraph.errors import NotFound, ParameterError, UnsupportedContentType
from coopgraph.explore.common import fetch_labels
from coopgraph.gate.service import WriteSide
from coopgraph.linkeddata.pages import render
from coopgraph.protocol.request import read_body
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

router = APIRouter(tags=["contribute"])


async def audit(writes: WriteSide, who: TokenInfo, operation: str, **fields: object) -> None:
    """One line of the audit log for a contribution, kept or refused."""
    await asyncio.to_thread(
        writes.audit.append, who=who.name, role=who.role.value, operation=operation, **fields
    )


_UPLOAD = {
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["template", "file"],
                "properties": {
                    "template": {"type": "string", "description": "A template of mappings/ (actors...)."},
                    "file": {"type": "string", "format": "binary", "description": "The CSV file, UTF-8."},
                    "csrf": {"type": "string", "description": "The session's CSRF token (with the cookie)."},
                },
            }
        }
    },
    "required": True,
}
FORM_TYPE = "application/x-www-form-urlencoded"
_SLACK = 64 * 1024
"""Bytes of a multipart body beyond the file itself (boundaries, the other fields)."""


@router.post(
    "/contribute/csv",
    status_code=201,
    openapi_extra={"requestBody": _UPLOAD},
    responses=documented(400, 401, 403, 404, 413, 422),
)
async def contribute_csv(
    request: Request,
    who: Contributor,
    settings: SettingsDep,
    store: StoreDep,
    submissions: SubmissionsDep,
    writes: WriteSideDep,
) -> JSONResponse:
    """Check a CSV file of a template and keep its rows as a submission pending review."""
    limit = settings.max_csv_bytes
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + _SLACK:
        raise CsvTooLarge(limit)
    form = await request.form(max_files=1, max_fields=8, max_part_size=_SLACK)
    template = form.get("template")
    upload = form.get("file")
    if not isinstance(template, str) or not template.strip():
        raise ParameterError("template", "name the template the file follows (actors, activities...)")
    if not isinstance(upload, UploadFile):
        raise ParameterError("file", "send the CSV file as the multipart field file")
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise CsvTooLarge(limit)
    name = (upload.filename or "upload.csv").rsplit("/", 1)[-1][:100]
    mapped = await asyncio.to_thread(ingest, data, template.strip(), settings, store, page_language(request))
    warnings = [{"row": w.row, "column": w.column, "message": w.message} for w in mapped.warnings]
    operation = f"CONTRIBUTE csv {template.strip()[:40]} ({name})"
    if mapped.errors:
        await audit(writes, who, operation, bytes=len(data), result="refused", errors=len(mapped.errors))
        return JSONResponse(
            {
                "error": f"{name}: {len(mapped.errors)} error(s); nothing was kept",
                "errors": [
                    {"row": e.row, "column": e.column, "message": e.message, "where": e.located(name)}
                    for e in mapped.errors
                ],
                "warnings": warnings,
            },
            status_code=422,
        )
    submission = await asyncio.to_thread(
        submissions.create, mapped.triples, who.name, f"csv {template.strip()} ({name})"
    )
    await audit(writes, who, operation, bytes=len(data), result="pending", submission=submission.id)
    return JSONResponse(
        {**submission.as_dict(), "rows": len(mapped.rows), "warnings": warnings}, status_code=201
    )


# ---------------------------------------------------------------------------------------------
# The forms: GET/POST /contribute/{form}, a page per pending submission
# ---------------------------------------------------------------------------------------------


def _form_view(
    request: Request,
    base: str,
    sessions: Sessions,
    settings: Settings,
    store: Store,
    catalogue: QueryCatalogue,
    who: TokenInfo,
    spec: forms.Form,
    values: forms.Values,
    errors: dict[str, list[str]],
    status: int,
    focus: str | None = None,
) -> HTMLResponse:
    lang = page_language(request)
    session = current_session(request, sessions)
    labels = fetch_labels(store, catalogue).preferred
    html = render(
        "contribute-form.html",
        base,
        title=forms.TEXTS[lang][spec.name],
        lang=lang,
        t=forms.TEXTS[lang],
        form=spec,
        values=values,
        errors=errors,
        focus=focus,
        options=forms.choices(store, catalogue),
        label=lambda item: forms.field_label(item, lang, settings, labels),
        choice_label=lambda choice, group: forms.choice_label(choice, group, lang),
        who=who,
        csrf=sessions.csrf(session) if session else "",
        csrf_field=CSRF_FIELD,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


async def form_body(request: Request, settings: SettingsDep) -> None:
    """Read a form's body within ``COOPGRAPH_MAX_REQUEST_BYTES`` (413 past it), before anything else reads it."""
    length = request.headers.get("content-length", "")
    body = await read_body(
        request.stream(), int(length) if length.isdigit() else None, settings.max_request_bytes
    )
    # kept where Starlette looks for a body already read
    request._body = body


FormBody = Annotated[None, Depends(form_body)]


@router.get("/contribute", response_class=HTMLResponse)
def contribute_page(request: Request, base: PublicBaseDep, sessions: SessionsDep) -> HTMLResponse:
    """The contribution forms, listed (with the submissions to review, for a curator's session)."""
    lang = page_language(request)
    session = current_session(request, sessions)
    html = render(
        "contribute.html",
        base,
        title=forms.TEXTS[lang]["list_title"],
        lang=lang,
        t=forms.TEXTS[lang],
        forms=forms.FORMS,
        reviewer=session is not None and allows(session.holder.role, Role.curator),
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"} if session else None)


@router.get("/contribute/pending/{id}", response_class=HTMLResponse, responses=documented(401, 403, 404))
def pending_page(
    id: str, request: Request, who: Contributor, base: PublicBaseDep, submissions: SubmissionsDep
) -> Response:
    """The page a form leads to: its submission, pending review."""
    submission = submissions.get(id)
    if submission.submitter != who.name and not allows(who.role, Role.curator):
        raise NotFound(f"there is no submission {id!r}")
    if not wants_html(request):
        return JSONResponse(submission.as_dict())
    lang = page_language(request)
    html = render(
        "contribute-pending.html",
        base,
        title=forms.TEXTS[lang]["pending_title"],
        lang=lang,
        t=forms.TEXTS[lang],
        submission=submission,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/contribute/{form}", response_class=HTMLResponse, responses=documented(401, 403, 404))
async def form_page(
    form: str,
    request: Request,
    who: Contributor,
    base: PublicBaseDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    store: StoreDep,
    catalogue: CatalogueDep,
) -> Response:
    """A contribution form (a contributor's session or token)."""
    spec = forms.form(form)
    values, _ = forms.read_values(spec, [])
    return await asyncio.to_thread(
        _form_view, request, base, sessions, settings, store, catalogue, who, spec, values, {}, 200
    )


@router.post(
    "/contribute/{form}",
    responses={
        303: {"description": "Kept as a pending submission; `Location` is its page."},
        **documented(400, 401, 403, 404, 413, 415, 422),
    },
)
async def send_form(
    form: str,
    request: Request,
    _body: FormBody,
    who: Contributor,
    base: PublicBaseDep,
    sessions: SessionsDep,
    settings: SettingsDep,
    store: StoreDep,
    catalogue: CatalogueDep,
    submissions: SubmissionsDep,
    writes: WriteSideDep,
) -> Response:
    """Check a form and keep it as a submission pending review (303), or show it again with its errors (422)."""
    spec = forms.form(form)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != FORM_TYPE:
        raise UnsupportedContentType(f"send the form as {FORM_TYPE}, not {media[:60] or 'no content type'}")
    pairs = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    values, added = forms.read_values(spec, pairs)
    if added is not None:
        focus = f"{added}-{len(values.rows[added]) - 1}-{spec_first(spec, added)}"
        return await asyncio.to_thread(
            _form_view, request, base, sessions, settings, store, catalogue, who, spec, values, {}, 200, focus
        )
    lang = page_language(request)
    outcome = await asyncio.to_thread(forms.submit, spec, values, store, catalogue, settings, lang)
    operation = f"CONTRIBUTE form {spec.name}"
    if not outcome.ok:
        await audit(writes, who, operation, result="refused", errors=len(outcome.errors))
        errors = outcome.by_field()
        if not wants_html(request):
            return JSONResponse(
                {
                    "error": f"{len(outcome.errors)} error(s); nothing was kept",
                    "errors": [{"field": e.field, "message": e.message} for e in outcome.errors],
                },
                status_code=422,
            )
        return await asyncio.to_thread(
            _form_view, request, base, sessions, settings, store, catalogue, who, spec, values, errors, 422
        )
    submission = await asyncio.to_thread(
        submissions.create, outcome.triples, who.name, forms.origin(spec.name)
    )
    await audit(writes, who, operation, result="pending", submission=submission.id)
    if not wants_html(request):
        return JSONResponse(submission.as_dict(), status_code=201)
    return RedirectResponse(f"{base}contribute/pending/{submission.id}", status_code=303)


def spec_first(spec: forms.Form, group: str) -> str:
    """The first field of a repeatable group (where the new row's focus goes)."""
    return next(g.fields[0].name for g in spec.groups() if g.name == group)
