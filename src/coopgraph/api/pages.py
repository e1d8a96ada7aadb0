"""What the explorer's routes share (``/search``, ``/explore``, ``/sources``, ``/indicators``,
``/match``): the languages of a page, the format it is answered in, and the answer.

The languages come from ``?lang=``, then the ``lang`` cookie, then ``Accept-Language``; the
format from ``_format=``, then ``Accept``. Every answer varies on those three headers.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from coopgraph.errors import NotAcceptable, ParameterError
from coopgraph.explore import choose_languages
from coopgraph.negotiation import HTML, MediaType, choose

JSON = MediaType("application/json", "json", "json")
CSV = MediaType("text/csv", "csv", "csv")
PAGE_TYPES = (HTML, JSON)
LIST_TYPES = (HTML, JSON, CSV)
MAX_QUERY_STRING = 8192
"""The longest query string these pages read, in bytes."""
VARY = "Accept, Accept-Language, Cookie"

Lang = Annotated[str | None, Query(description="Language of the page and labels: en, es or fr.")]
Format = Annotated[str | None, Query(alias="_format", description="html, json or csv (else Accept).")]
PageFormat = Annotated[str | None, Query(alias="_format", description="html or json (else Accept).")]
FacetValues = Annotated[
    list[str] | None,
    Query(
        description="Facet value: its short key (colombia, 14, USD), its path under /id/ or its IRI; repeatable."
    ),
]


def languages_of(request: Request, lang: str | None) -> list[str]:
    """The languages of the page, best first; a ``lang`` other than en, es, fr is a 400."""
    if len(request.url.query) > MAX_QUERY_STRING:
        raise ParameterError("query string", f"at most {MAX_QUERY_STRING} bytes")
    return choose_languages(lang, request.cookies.get("lang"), request.headers.get("accept-language"))


def negotiate(request: Request, fmt: str | None, offered: tuple[MediaType, ...]) -> MediaType:
    """The format to answer in: ``_format`` when given, else the best of ``Accept``."""
    if fmt is not None:
        chosen = next((m for m in offered if m.name == fmt), None)
        if chosen is None:
            raise ParameterError("_format", f"one of {', '.join(m.name for m in offered)}")
        return chosen
    media = choose(request.headers.get("accept"), offered)
    if media is None:
        raise NotAcceptable([m.media_type for m in offered])
    return media


def json_bytes(data: Any) -> bytes:
    """``data`` as compact UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def reply(
    data: Any,
    media: MediaType,
    html: str | None = None,
    csv_table: list[list[str]] | None = None,
    name: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """The answer in the negotiated format: the JSON of ``data``, the page, or the CSV download."""
    # the lang cookie itself is set by coopgraph.api.language.LanguageChoice
    headers = {**(headers or {}), "Vary": VARY}
    if media is CSV and csv_table is not None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(csv_table)
        headers["Content-Disposition"] = f'attachment; filename="coopgraph-{name}.csv"'
        return Response(out.getvalue(), media_type=CSV.content_type, headers=headers)
    if media is JSON or html is None:
        return Response(json_bytes(data), media_type=JSON.content_type, headers=headers)
    return Response(html, media_type=HTML.content_type, headers=headers)
