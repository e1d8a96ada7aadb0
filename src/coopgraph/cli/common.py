"""What every ``coopgraph`` command shares: settings, the loaded store, tables, exit statuses."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, StoreBusy

if TYPE_CHECKING:  # the store module loads pyoxigraph; commands import it when they run
    from coopgraph.store import Store


class TableFormat(StrEnum):
    """How a command prints rows."""

    table = "table"
    json = "json"
    csv = "csv"


def settings_from_env() -> Settings:
    """The settings of this run, from the ``COOPGRAPH_*`` environment variables.

    Returns
    -------
    Settings
        Read when a command runs, never at import time.
    """
    return Settings()


def fail(exc: CoopgraphError, code: int) -> typer.Exit:
    """Print ``exc`` as an error on stderr; the exit to raise, with status ``code``.

    Parameters
    ----------
    exc
        What went wrong (its text names the file, query or parameter).
    code
        The exit status: 1 for a failed check or query, 2 for unusable input.

    Returns
    -------
    typer.Exit
        To be raised by the command: ``raise fail(exc, 2) from exc``.
    """
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code)


def print_rows(rows: list[dict[str, str]], columns: list[str], fmt: TableFormat) -> None:
    """Print ``rows`` as an aligned table, JSON or CSV.

    Parameters
    ----------
    rows
        Text values by column name; a missing value prints as empty.
    columns
        The columns to print (table, CSV), in order.
    fmt
        The output format.

    Examples
    --------
    >>> print_rows([{"a": "1", "b": "xyz"}], ["a", "b"], TableFormat.table)
    a  b
    -  ---
    1  xyz
    """
    if fmt is TableFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt is TableFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    widths = {c: max([len(c), *(len(r.get(c, "")) for r in rows)]) for c in columns}
    typer.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    typer.echo("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        typer.echo("  ".join(row.get(c, "").ljust(widths[c]) for c in columns).rstrip())


def open_loaded_store(settings: Settings, write: bool = False) -> Store:
    """The store, loaded with the knowledge folders; beside a running service, read-only.

    The service holds the store while it runs, and only reads it: a command that only reads
    opens it read-only and answers from what the service serves, without reloading.

    Parameters
    ----------
    settings
        Where the store and the knowledge folders are.
    write
        The command writes: refuse (raise :class:`~coopgraph.errors.StoreBusy`) rather than
        open the store read-only beside a service.

    Returns
    -------
    Store
        The caller closes it.
    """
    from coopgraph.store import load_project, open_store

    try:
        store = open_store(settings)
    except StoreBusy as exc:
        if write or not exc.readable:
            raise
        typer.echo(
            "note: a running service holds the store; answering from what it serves "
            "(changes to the knowledge folders since it started are not loaded)",
            err=True,
        )
        return open_store(settings, read_only=True)
    load_project(store, settings)
    return store
