"""The FastAPI application: ``create_app(settings)`` builds it, ``coopgraph serve`` runs it.

The store is opened and the knowledge folders loaded once, in the lifespan; routes get what the
lifespan opened through the dependencies of :mod:`coopgraph.api.deps`. A request meets, in
order: the request counts of ``/metrics``, the SPARQL fast path (:mod:`coopgraph.api.fastpath`),
which answers a query before any of the framework's own layers; then, for every other request,
the framework's error middleware, the language choice, CORS (``COOPGRAPH_CORS_ORIGINS``, the same
options in the fast path) and the routes.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from coopgraph import __version__
from coopgraph.api.errors import install_error_handlers
from coopgraph.api.fastpath import SparqlFastPath
from coopgraph.api.language import LanguageChoice
from coopgraph.api.metrics import RequestCounts, RequestMetrics, route_paths
from coopgraph.api.routes.apidocs import router as apidocs_router
from coopgraph.api.routes.contribute import router as contribute_router
from coopgraph.api.routes.directory import router as directory_router
from coopgraph.api.routes.explore import router as explore_router
from coopgraph.api.routes.explorer_support import router as explorer_support_router
from coopgraph.api.routes.graph_store import router as graph_store_router
from coopgraph.api.routes.indicators import router as indicators_router
from coopgraph.api.routes.linkeddata import router as linkeddata_router
from coopgraph.api.routes.matching import router as matching_router
from coopgraph.api.routes.metrics import router as metrics_router
from coopgraph.api.routes.network import router as network_router
from coopgraph.api.routes.network_explorer import router as network_explorer_router
from coopgraph.api.routes.queries import queries_router
from coopgraph.api.routes.session import router as session_router
from coopgraph.api.routes.shacl import router as shacl_router
from coopgraph.api.routes.sparql import router as sparql_router
from coopgraph.api.routes.submissions import router as submissions_router
from coopgraph.api.routes.update import router as update_router
from coopgraph.auth.tokens import TokenStore, tokens_path
from coopgraph.config import Settings
from coopgraph.gate.service import WriteSide
from coopgraph.namespaces import ANALYSIS_GRAPH
from coopgraph.network.analysis_graph import publish as publish_analysis
from coopgraph.protocol import MAX_ROWS_HEADER, TRUNCATED_HEADER, QueryRunner
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store, load_project, open_store
from coopgraph.templating import STATIC_DIR

EXPOSED_HEADERS = (
    "Link",
    "ETag",
    "Last-Modified",
    "Content-Location",
    "Vary",
    TRUNCATED_HEADER,
    MAX_ROWS_HEADER,
)
"""Response headers a browser script may read (CORS)."""


def cors_options(settings: Settings) -> dict[str, Any]:
    """The options of the CORS middleware, the same for the fast path and the routes.

    Parameters
    ----------
    settings
        The settings (``cors_origins``).

    Returns
    -------
    dict
        Keyword arguments of Starlette's ``CORSMiddleware``.

    Examples
    --------
    >>> cors_options(Settings(cors_origins=["https://example.org"]))["allow_origins"]
    ['https://example.org']
    """
    return {
        "allow_origins": settings.cors_origins,
        "allow_methods": ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
        "allow_headers": ["*"],
        "expose_headers": list(EXPOSED_HEADERS),
    }


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def one_id_per_operation(document: dict[str, Any]) -> dict[str, Any]:
    """Give each operation of an OpenAPI document its own ``operationId``, in place.

    FastAPI gives a route registered for several methods (GET and HEAD) one id, which each of
    its operations then repeats; a repeated id becomes ``{route id}_{method}``.

    Parameters
    ----------
    document
        An OpenAPI document.

    Returns
    -------
    dict
        The same document.

    Examples
    --------
    >>> paths = {"/def": {"get": {"operationId": "ontology_def_head"}, "head": {"operationId": "ontology_def_head"}}}
    >>> one_id_per_operation({"paths": paths})["paths"]["/def"]["get"]["operationId"]
    'ontology_def_get'
    """
    operations = [
        (method, operation)
        for item in document.get("paths", {}).values()
        for method, operation in item.items()
        if method in HTTP_METHODS and "operationId" in operation
    ]
    uses = Counter(operation["operationId"] for _, operation in operations)
    for method, operation in operations:
        given: str = operation["operationId"]
        if uses[given] > 1:
            stem = next((given.removesuffix("_" + m) for m in HTTP_METHODS if given.endswith("_" + m)), given)
            operation["operationId"] = f"{stem}_{method}"
    return document


class CoopgraphAPI(FastAPI):
    """The FastAPI application, whose OpenAPI document has one ``operationId`` per operation.

    A request goes to :attr:`entry` when it is set (the request counts and the SPARQL fast path,
    in front of the framework's own middleware), else to the framework.
    """

    entry: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.entry is None:
            await super().__call__(scope, receive, send)
        else:
            await self.entry(scope, receive, send)

    async def framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The framework's middleware and routes, without :attr:`entry`."""
        await super().__call__(scope, receive, send)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, built on first use (see :func:`one_id_per_operation`)."""
        with warnings.catch_warnings():
            # the ids FastAPI repeats are made unique below
            warnings.filterwarnings("ignore", message="Duplicate Operation ID", category=UserWarning)
            return one_id_per_operation(super().openapi())


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, fast_path: bool = True
) -> FastAPI:
    """Build the coopgraph service.

    Parameters
    ----------
    settings
        The settings (default: read from the ``COOPGRAPH_*`` environment).
    store
        An already opened and loaded store to serve (tests); by default the lifespan opens the
        store the settings choose and loads the knowledge folders into it.
    fast_path
        Answer SPARQL queries with :class:`~coopgraph.api.fastpath.SparqlFastPath` before
        routing (the default); ``False`` answers them with the documented ``/sparql`` routes
        alone, which give the same answers, more slowly.

    Returns
    -------
    FastAPI
        The application, to run under an ASGI server.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store
        catalogue = QueryCatalogue(settings.queries_dir)
        if opened is None:
            opened = open_store(settings)
            report = load_project(opened, settings, force=settings.reload_data)
            if (
                settings.publish_analysis
                and opened.holds_computed_graphs
                and (report.loaded or str(ANALYSIS_GRAPH) not in opened.named_graphs())
            ):
                publish_analysis(opened, catalogue)
        writable = TokenStore(tokens_path(settings)).any()
        if store is None and not writable:
            # the service does not write: reopened read-only, the store can be shared safely
            # with the query workers
            opened.make_read_only()
        app.state.settings = settings
        app.state.store = opened
        app.state.catalogue = catalogue
        # user queries run in worker processes, started once the data is loaded
        runner = QueryRunner(opened, settings)
        if writable:
            runner.renew(opened.snapshot())  # workers read a checkpoint, never the written store
        runner.start()
        app.state.query_runner = runner
        app.state.write_side = WriteSide(opened, settings, runner, writable)
        try:
            yield
        finally:
            runner.close()
            if store is None:
                opened.close()

    app = CoopgraphAPI(
        title="coopgraph",
        version=__version__,
        summary="The knowledge graph of international cultural cooperation under the UNESCO 2005 Convention.",
        lifespan=lifespan,
        # served from the vendored copies by api/routes/apidocs.py, never from a CDN
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(CORSMiddleware, **cors_options(settings))
    app.add_middleware(LanguageChoice)  # ?lang= and its cookie, for every page
    install_error_handlers(app)
    app.include_router(sparql_router)
    app.include_router(queries_router(QueryCatalogue(settings.queries_dir)))
    app.include_router(network_explorer_router)
    app.include_router(network_router)
    app.include_router(explore_router)
    app.include_router(matching_router)
    app.include_router(directory_router)
    app.include_router(indicators_router)
    app.include_router(linkeddata_router)
    app.include_router(apidocs_router)
    app.include_router(explorer_support_router)
    app.include_router(metrics_router)
    app.include_router(graph_store_router)
    app.include_router(update_router)
    app.include_router(shacl_router)
    app.include_router(session_router)
    app.include_router(submissions_router)
    app.include_router(contribute_router)
    # the browser libraries of make vendor (versions in static/vendor/VERSIONS.json)
    app.mount("/static/vendor", StaticFiles(directory=STATIC_DIR / "vendor", check_dir=False), name="vendor")
    # in front of the framework's own layers (error page, telemetry, body limit, language), which
    # cost a query as much as the engine on a small one: every response is counted, then a query
    # is answered by the fast path, with a CORS middleware of its own built from the same options
    request_counts = RequestCounts()
    app.state.request_counts = request_counts
    rest: ASGIApp = app.framework
    if fast_path:
        rest = SparqlFastPath(rest, state=app.state, cors=cors_options(settings))
    app.entry = RequestMetrics(rest, counts=request_counts, paths=lambda: route_paths(app))
    return app
