"""SHACL validation over HTTP: ``POST /shacl`` answers the validation report, stores nothing.

The body is RDF in any syntax of :data:`~coopgraph.gate.change.RDF_BODY_TYPES` (or a form with
``data`` and ``format``, which the page at ``GET /shacl`` sends). It is validated as the gate
validates a write (the shapes, declared terms, datatypes), with what the store says of the nodes
it links to, and answered as a SHACL report in Turtle or JSON-LD, as JSON grouped by node, or as
HTML, by ``Accept``; messages in English or Spanish by ``Accept-Language``. Open to anyone,
within the size limit of ``/sparql`` (``COOPGRAPH_MAX_REQUEST_BYTES``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from coopgraph.api.deps import PublicBaseDep, SettingsDep, StoreDep
from coopgraph.api.errors import documented
from coopgraph.errors import NotAcceptable, ParameterError, QueueTimeout, UnsupportedContentType
from coopgraph.gate.change import RDF_BODY_TYPES, Change, check_change, media_type_of, read_rdf, report_dict
from coopgraph.linkeddata.labels import parse_accept_language
from coopgraph.linkeddata.pages import render
from coopgraph.negotiation import HTML, MediaType, choose
from coopgraph.protocol.request import parse_form, read_body

router = APIRouter(tags=["validation"])

SHACL_INPUT_GRAPH = "urn:coopgraph:shacl-input"
"""The name the posted data is validated under (it is never written)."""

JSON = MediaType("application/json", "json", "json")
TURTLE = MediaType("text/turtle", "ttl", "turtle")
JSONLD = MediaType("application/ld+json", "jsonld", "jsonld")
REPORT_TYPES = (TURTLE, JSONLD, JSON, HTML)
"""What the report is answered in, the default first."""
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_RUNNING = 2
"""Validations run at once (each holds a core for about a second); more get 503 with ``Retry-After``."""
_running = [0]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Validate RDF",
        "intro": "Paste RDF to check it against the shapes, the ontology's terms and the datatypes of dates and amounts, as a contribution is checked. Nothing is stored.",
        "format": "Syntax",
        "data": "Data",
        "validate": "Validate",
        "conforms": "The data conforms",
        "not_conforms": "The data does not conform",
        "counts": "{} violation(s), {} warning(s)",
        "line": "line",
        "path": "property",
        "value": "value",
    },
    "es": {
        "title": "Validar RDF",
        "intro": "Pegue RDF para comprobarlo con las formas, los términos de la ontología y los tipos de fechas y montos, como se comprueba una contribución. No se guarda nada.",
        "format": "Sintaxis",
        "data": "Datos",
        "validate": "Validar",
        "conforms": "Los datos son conformes",
        "not_conforms": "Los datos no son conformes",
        "counts": "{} infracción(es), {} advertencia(s)",
        "line": "línea",
        "path": "propiedad",
        "value": "valor",
    },
    "fr": {
        "title": "Valider du RDF",
        "intro": "Collez du RDF pour le vérifier selon les formes, les termes de l'ontologie et les types des dates et montants, comme une contribution est vérifiée. Rien n'est enregistré.",
        "format": "Syntaxe",
        "data": "Données",
        "validate": "Valider",
        "conforms": "Les données sont conformes",
        "not_conforms": "Les données ne sont pas conformes",
        "counts": "{} violation(s), {} avertissement(s)",
        "line": "ligne",
        "path": "propriété",
        "value": "valeur",
    },
}
"""The page's words per language."""


def _languages(request: Request) -> tuple[str, str]:
    """The page's language (en, es, fr) and the messages' (en, es), from ``?lang=`` or ``Accept-Language``."""
    wanted = [
        request.query_params.get("lang", ""),
        *parse_accept_language(request.headers.get("accept-language")),
    ]
    page = next((lang for lang in wanted if lang in TEXTS), "en")
    return page, page if page in ("en", "es") else "en"


def _page(
    base: str, page_lang: str, data: str = "", chosen: str = "text/turtle", report: Any = None
) -> HTMLResponse:
    html = render(
        "shacl.html",
        base,
        title=TEXTS[page_lang]["title"],
        lang=page_lang,
        t=TEXTS[page_lang],
        formats=list(RDF_BODY_TYPES),
        chosen=chosen,
        data=data,
        report=report,
    )
    return HTMLResponse(html)


@router.get("/shacl", response_class=HTMLResponse)
def shacl_page(request: Request, base: PublicBaseDep) -> Response:
    """The validation page: a form that posts RDF to ``/shacl``."""
    if choose(request.headers.get("accept"), [HTML, JSON]) == JSON:
        return JSONResponse(
            {
                "post": f"{base}shacl",
                "accepts": list(RDF_BODY_TYPES),
                "answers": [m.media_type for m in REPORT_TYPES],
            }
        )
    return _page(base, _languages(request)[0])


@router.post(
    "/shacl",
    openapi_extra={
        "requestBody": {
            "content": {m: {"schema": {"type": "string"}} for m in [*RDF_BODY_TYPES, FORM_TYPE]},
            "required": True,
        }
    },
    responses={
        200: {
            "description": "The validation report (conforming or not).",
            "content": {m.media_type: {} for m in REPORT_TYPES},
        },
        **documented(400, 406, 413, 415),
    },
)
async def shacl_validate(
    request: Request, settings: SettingsDep, store: StoreDep, base: PublicBaseDep
) -> Response:
    """Validate RDF against the shapes and answer the report (nothing is stored)."""
    media = choose(request.headers.get("accept"), REPORT_TYPES)
    if media is None:
        raise NotAcceptable([m.media_type for m in REPORT_TYPES])
    length = request.headers.get("content-length", "")
    body = await read_body(
        request.stream(), int(length) if length.isdigit() else None, settings.max_request_bytes
    )
    content_type = request.headers.get("content-type")
    text_form = None
    if media_type_of(content_type) == FORM_TYPE:
        fields = dict(parse_form(body))
        if "data" not in fields:
            raise ParameterError("data", "missing: the RDF to validate")
        text_form = fields["data"]
        content_type = fields.get("format", "text/turtle")
        if media_type_of(content_type) not in RDF_BODY_TYPES:
            raise UnsupportedContentType(f"format {content_type!r} is not one of {', '.join(RDF_BODY_TYPES)}")
        body = text_form.encode()
    page_lang, lang = _languages(request)
    triples, lines = read_rdf(body, content_type)
    change = Change("SHACL", {SHACL_INPUT_GRAPH: triples}, lines)
    if _running[0] >= MAX_RUNNING:
        raise QueueTimeout(0.0)
    _running[0] += 1
    try:
        report = await asyncio.to_thread(check_change, store, change, settings, lang)
    finally:
        _running[0] -= 1
    as_data = report_dict(report)
    if media == HTML:
        return _page(
            base,
            page_lang,
            text_form if text_form is not None else body.decode("utf-8", "replace"),
            media_type_of(content_type),
            as_data,
        )
    if media == JSON:
        return JSONResponse(as_data, headers={"Vary": "Accept, Accept-Language"})
    fmt = "turtle" if media == TURTLE else "json-ld"
    serialised = report.report_graph.serialize(format=fmt)
    return Response(serialised, media_type=media.content_type, headers={"Vary": "Accept, Accept-Language"})
