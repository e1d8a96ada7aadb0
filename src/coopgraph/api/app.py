"""The FastAPI application: ``create_app(settings)`` builds it, ``coopgraph serve`` runs it.

The store is opened and the knowledge folders loaded once, in the lifespan; routers in this
package are thin and call the library.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import Receive, Scope, Send

from coopgraph import __version__
from coopgraph.api.errors import install_error_handlers
from coopgraph.api.linkeddata import router as linkeddata_router
from coopgraph.api.network import router as network_router
from coopgraph.api.queries import queries_router
from coopgraph.api.sparql import SparqlFastPath
from coopgraph.api.sparql import router as sparql_router
from coopgraph.config import Settings
from coopgraph.namespaces import ANALYSIS_GRAPH
from coopgraph.network.analysis_graph import publish as publish_analysis
from coopgraph.queries import QueryCatalogue
from coopgraph.sparql import MAX_ROWS_HEADER, TRUNCATED_HEADER, QueryRunner
from coopgraph.store import EmbeddedStore, Store, load_project, open_store


class CoopgraphAPI(FastAPI):
    """The FastAPI application with :class:`SparqlFastPath` in front of the framework's stack."""

    def __init__(self, *, expose_headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sparql_fast_path = SparqlFastPath(super().__call__, self.state, expose_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.sparql_fast_path(scope, receive, send)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the coopgraph service.

    Parameters
    ----------
    settings
        The settings (default: read from the ``COOPGRAPH_*`` environment).
    store
        An already opened and loaded store to serve (tests); by default the lifespan opens the
        store the settings choose and loads the knowledge folders into it.
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
                and isinstance(opened, EmbeddedStore)
                and (report.loaded or str(ANALYSIS_GRAPH) not in opened.named_graphs())
            ):
                publish_analysis(opened, catalogue)
            if isinstance(opened, EmbeddedStore):
                # the service does not write: reopened read-only, the store can be shared safely
                # with the query workers
                opened.make_read_only()
        app.state.settings = settings
        app.state.store = opened
        app.state.catalogue = catalogue
        # user queries run in worker processes, started once the data is loaded
        runner = QueryRunner(opened, settings)
        runner.start()
        app.state.query_runner = runner
        try:
            yield
        finally:
            runner.close()
            if store is None:
                opened.close()

    expose = ["Link", "ETag", "Last-Modified", "Content-Location", "Vary", TRUNCATED_HEADER, MAX_ROWS_HEADER]
    app = CoopgraphAPI(
        title="coopgraph",
        version=__version__,
        summary="The knowledge graph of international cultural cooperation under the UNESCO 2005 Convention.",
        lifespan=lifespan,
        expose_headers=expose,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=expose,
    )
    install_error_handlers(app)
    app.include_router(sparql_router)
    app.include_router(queries_router(QueryCatalogue(settings.queries_dir)))
    app.include_router(network_router)
    app.include_router(linkeddata_router)
    return app
