"""``POST /contribute/csv``: a CSV file of a template, checked and kept as a pending submission.

The rows go through :func:`coopgraph.contrib.tabular.ingest` (header, cells, the RML mapping,
the write gate), as ``coopgraph ingest`` does; errors come back as 422 with each one's row and
column, and nothing is kept.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from coopgraph.api.deps import Contributor, SettingsDep, StoreDep, SubmissionsDep
from coopgraph.api.errors import documented
from coopgraph.api.routes.session import page_language
from coopgraph.contrib.tabular import CsvTooLarge, ingest
from coopgraph.errors import ParameterError

router = APIRouter(tags=["contribute"])

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
    if mapped.errors:
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
    return JSONResponse(
        {**submission.as_dict(), "rows": len(mapped.rows), "warnings": warnings}, status_code=201
    )
