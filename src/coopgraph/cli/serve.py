"""``coopgraph serve``: the SPARQL endpoint, named queries and linked data over HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from coopgraph.cli.common import settings_from_env


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: COOPGRAPH_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: COOPGRAPH_PORT).")] = None,
    reload_data: Annotated[
        bool, typer.Option("--reload-data", help="Reload every graph even when its files did not change.")
    ] = False,
) -> None:
    """Load the data and serve the SPARQL endpoint, named queries and linked data over HTTP."""
    import uvicorn

    from coopgraph.api.app import create_app

    settings = settings_from_env()
    if reload_data:
        settings = settings.model_copy(update={"reload_data": True})
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
        access_log=False,
    )
