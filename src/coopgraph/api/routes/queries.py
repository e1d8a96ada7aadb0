"""Named queries over HTTP: ``/queries`` lists the catalogue, ``/queries/{name}`` runs one.

One route per public query is registered when the app is built, with the query's parameters as
documented query parameters, so each appears in the OpenAPI docs. Values are bound as RDF terms
by :meth:`coopgraph.queries.NamedQuery.bind`; a bad value is a 400 naming the parameter before
any query runs.
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from coopgraph.api.deps import CatalogueDep, PublicBaseDep, QueryRunnerDep, SettingsDep
from coopgraph.api.errors import documented, to_response
from coopgraph.config import Settings
from coopgraph.errors import NotAcceptable, ParameterError, QueryError
from coopgraph.negotiation import GRAPH_TYPES, HTML, RESULTS_TYPES, MediaType, choose
from coopgraph.protocol import Answer, Job, QueryRunner
from coopgraph.protocol.request import answer_media, parse_form, served_reply
from coopgraph.queries import NamedQuery, QueryCatalogue
from coopgraph.templating import TEMPLATES

JSON = MediaType("application/json", "json", "json")
PAGE = "page"


def describe_query(query: NamedQuery, base: str) -> dict[str, Any]:
    """A named query as JSON: name, summary, description, tags, parameters, link to run it."""
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "form": query.form,
        "pagination": query.pagination,
        "parameters": [
            {
                "name": p.name,
                "type": p.type_label,
                "required": p.required,
                "default": p.default,
                "enumerate": list(p.enumerate),
            }
            for p in query.parameters
        ],
        "url": f"{base}queries/{query.name}",
    }


MAX_OFFSET = 2**63 - 1
"""The largest ``OFFSET`` a page may reach: a 64-bit integer, what engines read."""


def page_number(raw: str | None, size: int) -> int:
    """The ``page`` parameter as a positive integer (1 when absent).

    Parameters
    ----------
    raw
        The parameter as given, if given.
    size
        Rows a page: the page must start at an offset an engine can read.

    Returns
    -------
    int
        The page number.

    Raises
    ------
    ParameterError
        Not a page number (ASCII digits, 1 or more), or a page past :data:`MAX_OFFSET`.

    Examples
    --------
    >>> page_number("2", 50)
    2
    >>> page_number("9" * 25, 50)
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'page': '9999999999999999999999999' is past the last page there can be (184467440737095517)
    """
    if raw is None or raw == "":
        return 1
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit()) or not digits:
        raise ParameterError(PAGE, f"{raw[:30]!r} is not a page number (1, 2, ...)")
    last = MAX_OFFSET // size + 1
    # the length first: int() refuses text past 4,300 digits
    if len(digits) > len(str(last)) or int(digits) > last:
        raise ParameterError(PAGE, f"{raw[:30]!r} is past the last page there can be ({last})")
    return int(digits)


def request_values(request: Request) -> dict[str, str]:
    """The query-string parameters, refusing one given twice or not UTF-8."""
    values: dict[str, str] = {}
    for key, value in parse_form(request.scope["query_string"]):
        if key in values:
            raise ParameterError(key, "given more than once")
        values[key] = value
    return values


async def run_named(request: Request, query: NamedQuery, settings: Settings, runner: QueryRunner) -> Response:
    """Bind the request's parameters, run the query under the time limit, negotiate the format."""
    values = request_values(request)
    size = min(query.pagination or 1, settings.max_rows)
    page = page_number(values.pop(PAGE, None), size) if query.pagination else None
    bindings = query.bind(values)
    graph_answer = query.form in ("CONSTRUCT", "DESCRIBE")
    media = answer_media(request.headers.get("accept"), graph_answer)
    text, max_rows = query.text, settings.max_rows
    if query.pagination and page is not None:
        # numbers computed here, never text from the request
        text = f"{text.rstrip()}\nLIMIT {size + 1} OFFSET {(page - 1) * size}"
        max_rows = size
    try:
        client = request.client.host if request.client else None
        job = Job(text, query.form, media, max_rows, bindings=bindings)
        served = await runner.serve(job, client, request.headers.get("if-none-match"))
    except QueryError as exc:
        exc.query_name = query.name
        raise
    answer = served.answer
    if page is None or answer is None:  # no page, or a 304: the client's copy has the links
        return to_response(served_reply(served, settings))
    links = [f'<{request.url.include_query_params(page=1)}>; rel="first"']
    if page > 1:
        links.append(f'<{request.url.include_query_params(page=page - 1)}>; rel="prev"')
    if answer.truncated:
        links.append(f'<{request.url.include_query_params(page=page + 1)}>; rel="next"')
    reply = served_reply(replace(served, answer=Answer(answer.body, answer.content_type)), settings)
    reply.headers["Link"] = ", ".join(links)
    return to_response(reply)


def _endpoint(query: NamedQuery) -> Any:
    async def endpoint(request: Request, settings: Settings, runner: QueryRunner, **_: Any) -> Response:
        return await run_named(request, query, settings, runner)

    # the signature only documents the parameters; run_named reads and checks them itself
    params = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)
        for name, annotation in (("request", Request), ("settings", SettingsDep), ("runner", QueryRunnerDep))
    ]
    for index, p in enumerate(query.parameters):
        text = f"{p.type_label}, {'required' if p.required else 'optional'}"
        if p.enumerate:
            text += f"; one of {', '.join(p.enumerate)}"
        params.append(
            inspect.Parameter(
                f"p{index}",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=str | None,
                default=Query(
                    None,
                    alias=p.name,
                    description=text,
                    examples=[p.default] if p.default else None,
                ),
            )
        )
    if query.pagination:
        params.append(
            inspect.Parameter(
                PAGE,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=str | None,
                default=Query(None, description=f"Page number, {query.pagination} rows a page."),
            )
        )
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = "query_" + query.name.replace("-", "_")
    return endpoint


def queries_router(catalogue: QueryCatalogue) -> APIRouter:
    """The router of ``/queries``, with one documented route per public named query."""
    router = APIRouter(tags=["Named queries"])

    @router.get(
        "/queries",
        response_class=Response,
        responses={
            200: {"content": {JSON.media_type: {}, HTML.media_type: {}}},
            **documented(406),
        },
    )
    async def list_queries(request: Request, current: CatalogueDep, base: PublicBaseDep) -> Response:
        """List the public named queries with their parameters (JSON, or HTML for browsers)."""
        media = choose(request.headers.get("accept"), (JSON, HTML))
        if media is None:
            raise NotAcceptable([JSON.media_type, HTML.media_type])
        items = [describe_query(q, base) for q in current.public()]
        if media is HTML:
            page = TEMPLATES.get_template("queries.html").render(
                title="Named queries", base=base, queries=items
            )
            return HTMLResponse(page, headers={"Vary": "Accept"})
        return JSONResponse(items, headers={"Vary": "Accept"})

    for query in catalogue.public():
        description = query.description
        if query.pagination:
            description += (
                f"\n\nPaginated: {query.pagination} rows a page; `Link` headers give first, prev and next."
            )
        router.add_api_route(
            f"/queries/{query.name}",
            _endpoint(query),
            methods=["GET"],
            summary=query.summary,
            description=description or query.summary,
            response_class=Response,
            responses={
                200: {"content": {m.media_type: {} for m in (*RESULTS_TYPES, *GRAPH_TYPES)}},
                **documented(400, 406, 429, 500, 503),
            },
        )
    return router
