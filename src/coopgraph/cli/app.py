"""The ``coopgraph`` Typer application: every command group, assembled."""

from __future__ import annotations

import typer

from coopgraph.cli import data, ingest, matching, serve
from coopgraph.cli.network import network_app
from coopgraph.cli.tokens import token_app

app = typer.Typer(
    name="coopgraph",
    help="The knowledge graph of international cultural cooperation (UNESCO 2005 Convention, Articles 12-16).",
    no_args_is_help=True,
    add_completion=False,
)

for command in (
    data.validate,
    data.stats,
    data.load,
    data.query,
    data.export,
    serve.serve,
    matching.match,
    ingest.ingest,
):
    app.command()(command)
app.add_typer(network_app, name="network")
app.add_typer(token_app, name="token")


def main() -> None:
    """Run the ``coopgraph`` command (the console entry point)."""
    app()
