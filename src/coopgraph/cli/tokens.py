"""The token commands: ``coopgraph token create``, ``revoke`` and ``list``.

Tokens are kept hashed in the token file (``COOPGRAPH_TOKENS_FILE``, default ``tokens.json`` in
the store folder); a new token is printed once and cannot be shown again. With no token the
service does not write; a service started without tokens must be restarted to write.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from coopgraph.auth.tokens import Role, TokenStore, token_info_dict, tokens_path
from coopgraph.cli.common import TableFormat, fail, print_rows, settings_from_env
from coopgraph.errors import CoopgraphError

token_app = typer.Typer(help="Create, revoke and list the bearer tokens of writers.", no_args_is_help=True)


def _tokens() -> TokenStore:
    return TokenStore(tokens_path(settings_from_env()))


@token_app.command()
def create(
    role: Annotated[
        Role, typer.Option(help="contributor (submit), curator (review, write), admin (tokens).")
    ],
    name: Annotated[str, typer.Option(help="Who holds the token (letters, digits, - and _).")],
) -> None:
    """Create a token and print it (once: only its hash is kept)."""
    try:
        token = _tokens().create(name, role)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    typer.echo(token)
    typer.echo(f"token {name!r} ({role.value}) created; it is shown only now", err=True)


@token_app.command()
def revoke(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke the token named NAME (a running service refuses it from its next request)."""
    try:
        removed = _tokens().revoke(name)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if not removed:
        typer.echo(f"no token named {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"token {name!r} revoked", err=True)


@token_app.command("list")
def list_tokens(
    format: Annotated[
        TableFormat, typer.Option("--format", help="How to print the tokens.")
    ] = TableFormat.table,
) -> None:
    """List the tokens: name, role, creation time (never the tokens themselves)."""
    try:
        rows = [token_info_dict(info) for info in _tokens().list()]
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if format == TableFormat.json:
        typer.echo(json.dumps(rows, indent=1))
        return
    print_rows(rows, ["name", "role", "created"], format)
