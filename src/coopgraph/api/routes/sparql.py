"""The SPARQL 1.1 Protocol endpoint, ``/sparql`` (read-only), as OpenAPI documents it.

In the running service :class:`coopgraph.api.fastpath.SparqlFastPath` answers every request that
carries a query before routing; these routes answer the rest (the service description, the query
page) and, built with ``create_app(fast_path=False)``, every request. Both read and answer a
request with :mod:`coopgraph.protocol.request`, so they share every check and limit.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from coopgraph.api.deps import LinkedDataDep, PublicBaseDep, QueryRunnerDep, SettingsDep
from coopgraph.api.errors import documented, to_response
from coopgraph.errors import NotAcceptable, QueryError
from coopgraph.linkeddata import LinkedData
from coopgraph.linkeddata.editor import editor_config
from coopgraph.linkeddata.facts import graph_sizes
from coopgraph.negotiation import GRAPH_TYPES, HTML, RESULTS_TYPES, MediaType, choose
from coopgraph.protocol import service_description
from coopgraph.protocol.request import (
    DEFAULT_GRAPH_URI,
    FORM,
    NAMED_GRAPH_URI,
    QUERY,
    SPARQL_QUERY,
    answer_raw_request,
    read_body,
)
from coopgraph.queries import QueryCatalogue, prologue
from coopgraph.templating import TEMPLATES

router = APIRouter(tags=["SPARQL"])

EDITOR_JSON = MediaType("application/json", "json", "json")
"""The query page's data (``Accept: application/json`` without a query)."""
_RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
_EXAMPLE = (
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 10"
)
_IRIS = {"type": "array", "items": {"type": "string", "format": "uri"}}
_DATASET_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": DEFAULT_GRAPH_URI,
        "in": "query",
        "required": False,
        "description": "A named graph whose triples make up the default graph (repeatable); "
        "by default the default graph is the union of all named graphs.",
        "schema": _IRIS,
        "explode": True,
    },
    {
        "name": NAMED_GRAPH_URI,
        "in": "query",
        "required": False,
        "description": "A named graph that `GRAPH ?g` may match (repeatable); by default all of them.",
        "schema": _IRIS,
        "explode": True,
    },
]
_QUERY_PARAMETER: dict[str, Any] = {
    "name": QUERY,
    "in": "query",
    "required": False,
    "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). Without it, the "
    "service description (RDF) or, for a browser, the query page.",
    "schema": {"type": "string"},
    "example": _EXAMPLE,
}
_FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        QUERY: {"type": "string", "description": "A SPARQL 1.1 query.", "example": _EXAMPLE},
        DEFAULT_GRAPH_URI: {**_IRIS, "description": "Named graphs making up the default graph."},
        NAMED_GRAPH_URI: {**_IRIS, "description": "Named graphs that `GRAPH ?g` may match."},
    },
    "required": [QUERY],
}
_ANSWER_TYPES: dict[str, dict[str, Any]] = {m.media_type: {} for m in (*RESULTS_TYPES, *GRAPH_TYPES)}
_ERRORS = documented(400, 403, 406, 429, 500, 503)


@router.api_route(
    "/sparql",
    methods=["GET", "HEAD"],
    operation_id="sparql_query_get",
    response_class=Response,
    openapi_extra={"parameters": [_QUERY_PARAMETER, *_DATASET_PARAMETERS]},
    responses={
        200: {
            "description": "Query results (SELECT, ASK) or an RDF graph (CONSTRUCT, DESCRIBE); "
            "without a query, the service description or the query page.",
            "content": {**_ANSWER_TYPES, HTML.media_type: {}},
        },
        **_ERRORS,
    },
)
async def sparql_get(
    request: Request,
    settings: SettingsDep,
    runner: QueryRunnerDep,
    model: LinkedDataDep,
    base: PublicBaseDep,
) -> Response:
    """SPARQL 1.1 Protocol query by GET (read-only); without a query, the service description."""
    accept = request.headers.get("accept")
    client = request.client.host if request.client else None
    # HEAD is answered as GET; the server sends the headers only
    reply = await answer_raw_request(
        "GET",
        request.scope["query_string"],
        "",
        b"",
        accept,
        settings,
        runner,
        client,
        request.headers.get("if-none-match"),
    )
    if reply is None:
        return describe(accept, base, model)
    return to_response(reply)


@router.post(
    "/sparql",
    operation_id="sparql_query_post",
    response_class=Response,
    openapi_extra={
        "parameters": _DATASET_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                FORM: {"schema": _FORM_SCHEMA},
                SPARQL_QUERY: {"schema": {"type": "string", "example": _EXAMPLE}},
            },
        },
    },
    responses={
        200: {
            "description": "Query results (SELECT, ASK) or an RDF graph (CONSTRUCT, DESCRIBE).",
            "content": _ANSWER_TYPES,
        },
        **_ERRORS,
        **documented(413, 415),
    },
)
async def sparql_post(request: Request, settings: SettingsDep, runner: QueryRunnerDep) -> Response:
    """SPARQL 1.1 Protocol query by POST: a form, or the query itself as the body (read-only)."""
    length = request.headers.get("content-length", "")
    body = await read_body(
        request.stream(), int(length) if length.isdigit() else None, settings.max_request_bytes
    )
    client = request.client.host if request.client else None
    reply = await answer_raw_request(
        "POST",
        request.scope["query_string"],
        request.headers.get("content-type", ""),
        body,
        request.headers.get("accept"),
        settings,
        runner,
        client,
    )
    assert reply is not None, "read_request refuses a POST without a query"
    return to_response(reply)


def describe(accept: str | None, base: str, model: LinkedData) -> Response:
    """The service description (RDF) or, for a browser, the query page.

    Parameters
    ----------
    accept
        The ``Accept`` header, if any.
    base
        The public base URL of the service.
    model
        The linked-data model: its store, settings and named queries, and its cache per store
        version (which keeps the triple counts of the description).

    Returns
    -------
    Response
        Turtle, JSON-LD, RDF/XML or N-Triples; or the HTML query page.

    Raises
    ------
    NotAcceptable
        The client accepts none of those.
    """
    offered = (*GRAPH_TYPES, HTML, EDITOR_JSON)
    media = choose(accept, offered)
    if media is None:
        raise NotAcceptable([m.media_type for m in offered])
    endpoint = base + "sparql"
    if media is EDITOR_JSON:
        # the data the query page is built from: prefixes, examples, completion URL
        return JSONResponse(editor_config(model.catalogue, base), headers={"Vary": "Accept"})
    if media is HTML:
        page = TEMPLATES.get_template("sparql.html").render(
            title="SPARQL query",
            endpoint=endpoint,
            query=example_query(model.catalogue),
            queries=model.catalogue.public(),
            editor=editor_config(model.catalogue, base),
            base=base,
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    sizes = model.cache.get(("service-description-graph-sizes",), lambda: counted_graphs(model))
    graph = service_description(endpoint, sizes, model.settings)
    body = graph.serialize(format=_RDFLIB_FORMATS[media.name], encoding="utf-8")
    return Response(body, media_type=media.content_type, headers={"Vary": "Accept"})


def example_query(catalogue: QueryCatalogue) -> str:
    """The query page's example: every project prefix, then the body of ``query-page-example``.

    Parameters
    ----------
    catalogue
        The catalogue holding the internal ``query-page-example`` query.

    Returns
    -------
    str
        The query text.
    """
    text = catalogue.internal("query-page-example").text
    body = [line for line in text.splitlines() if not line.startswith(("#", "PREFIX"))]
    return prologue() + "\n" + "\n".join(body).strip() + "\n"


def counted_graphs(model: LinkedData) -> list[tuple[str, int]]:
    """Triples per named graph, for the service description; none when the store cannot count.

    Parameters
    ----------
    model
        The linked-data model (its store and catalogue).

    Returns
    -------
    list of (str, int)
        Graph IRI and triple count, in IRI order.
    """
    try:
        return list(graph_sizes(model.store, model.catalogue).items())
    except QueryError:
        return []
