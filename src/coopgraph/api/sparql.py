"""The SPARQL 1.1 Protocol endpoint, ``/sparql`` (read-only).

The route reads the request itself (no body models, no dependencies) to keep the path of a
query short; the work is in :mod:`coopgraph.sparql`.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from coopgraph.api.deps import public_base
from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused
from coopgraph.negotiation import GRAPH_TYPES, HTML, RESULTS_TYPES, MediaType, choose
from coopgraph.queries import QueryCatalogue, prologue
from coopgraph.sparql import (
    MAX_ROWS_HEADER,
    READ_ONLY_MESSAGE,
    TRUNCATED_HEADER,
    Answer,
    Job,
    QueryRunner,
    check_query,
    service_description,
)
from coopgraph.store import Store

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
EXAMPLE_QUERY = """SELECT ?activity ?label (COUNT(DISTINCT ?agent) AS ?participants)
WHERE {
  ?activity a/rdfs:subClassOf* cg:CooperationActivity ;
            ?role ?agent .
  ?role rdfs:subPropertyOf* cg:hasParticipant .
  OPTIONAL { ?activity rdfs:label ?label FILTER(lang(?label) = "en") }
}
GROUP BY ?activity ?label
ORDER BY DESC(?participants)
LIMIT 20
"""

templates = Environment(
    loader=PackageLoader("coopgraph", "templates"), autoescape=select_autoescape(["html"])
)


def not_acceptable(offered: Iterable[MediaType]) -> JSONResponse:
    """406 listing the media types the client may ask for."""
    supported = [m.media_type for m in offered]
    return JSONResponse(
        {
            "error": "NotAcceptable",
            "message": "none of the media types in Accept can be served; supported: " + ", ".join(supported),
            "supported": supported,
        },
        status_code=406,
    )


def bad_request(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": "BadRequest", "message": message}, status_code=status)


def answer_response(answer: Answer, settings: Settings, extra: dict[str, str] | None = None) -> Response:
    """The HTTP response of a serialised answer, saying when rows were cut."""
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[MAX_ROWS_HEADER] = str(settings.max_rows)
    if extra:
        headers.update(extra)
    return Response(answer.body, headers=headers, media_type=answer.content_type)


def choose_media(accept: str | None, graph_answer: bool) -> MediaType | None:
    return choose(accept, GRAPH_TYPES if graph_answer else RESULTS_TYPES)


async def _params(request: Request) -> list[tuple[str, str]] | Response:
    """The protocol parameters of a GET or POST request, in order, repeats kept."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type == FORM:
        return params + parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if content_type == SPARQL_QUERY:
        if any(k == "query" for k, _ in params):
            return bad_request("the query is given both in the body and as a `query` parameter")
        return [*params, ("query", body.decode("utf-8", "replace"))]
    if content_type == SPARQL_UPDATE:
        raise QueryRefused(READ_ONLY_MESSAGE)
    return bad_request(
        f"unsupported Content-Type {content_type or '(none)'!r} for POST: use {FORM} or {SPARQL_QUERY}",
        415,
    )


@router.api_route("/sparql", methods=["GET", "POST"], response_class=Response)
async def sparql(request: Request) -> Response:
    """SPARQL 1.1 Protocol query endpoint (read-only); without a query, the service description."""
    state = request.app.state
    settings: Settings = state.settings
    params = await _params(request)
    if isinstance(params, Response):
        return params
    if any(k == "update" for k, _ in params):
        raise QueryRefused(READ_ONLY_MESSAGE)
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        return bad_request(f"`query` is given {len(queries)} times; give exactly one query")
    accept = request.headers.get("accept")
    if not queries:
        if request.method == "POST":
            return bad_request("missing `query`: give a SPARQL query in the `query` parameter")
        return describe(request, settings, accept)
    text = queries[0]
    if not text.strip():
        return bad_request("`query` is empty")
    info = check_query(text, settings)
    media = choose_media(accept, info.is_graph)
    if media is None:
        return not_acceptable(GRAPH_TYPES if info.is_graph else RESULTS_TYPES)
    job = Job(
        text,
        media.name,
        info.is_graph,
        settings.max_rows,
        default_graph=tuple(v for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
    )
    runner: QueryRunner = state.query_runner
    return answer_response(await runner.run(job), settings)


def describe(request: Request, settings: Settings, accept: str | None) -> Response:
    """The service description (RDF) or, for a browser, the query page."""
    media = choose(accept, (*GRAPH_TYPES, HTML))
    if media is None:
        return not_acceptable((*GRAPH_TYPES, HTML))
    endpoint = public_base(request, settings) + "sparql"
    if media is HTML:
        catalogue: QueryCatalogue = request.app.state.catalogue
        page = templates.get_template("sparql.html").render(
            title="SPARQL query",
            endpoint=endpoint,
            query=prologue() + "\n" + EXAMPLE_QUERY,
            queries=catalogue.public(),
            base=public_base(request, settings),
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    graph = service_description(endpoint, graph_sizes(request.app.state.store, request), settings)
    body = graph.serialize(format=_RDFLIB_FORMATS[media.name], encoding="utf-8")
    return Response(body, media_type=media.content_type, headers={"Vary": "Accept"})


def graph_sizes(store: Store, request: Request) -> list[tuple[str, int]]:
    """Triples per named graph (the internal ``graph-sizes`` query), cached per store version."""
    state = request.app.state
    version = store.version()
    cached = getattr(state, "graph_sizes_cache", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    catalogue: QueryCatalogue = state.catalogue
    try:
        rows = store.run(catalogue.internal("graph-sizes"))
    except QueryError:
        rows = []
    sizes = [(r["graph"].value, int(r["triples"].value)) for r in rows if "graph" in r]
    state.graph_sizes_cache = (version, sizes)
    return sizes
