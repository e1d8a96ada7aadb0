"""``coopgraph ingest FILE.csv --template NAME``: a CSV template's rows, checked, as a pending submission.

The rows go through :func:`coopgraph.contrib.tabular.ingest` (header, cells, the RML mapping,
the write gate), as ``POST /contribute/csv`` and the forms do. Errors are printed
``FILE.csv:ROW:COLUMN: message`` and the command exits 1; otherwise the triples are kept as a
pending submission for a curator to review (``--check`` stops before that).
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from coopgraph.cli.common import fail, open_loaded_store, settings_from_env
from coopgraph.errors import CoopgraphError, InputError

STEPS = {"read": "reading", "check": "checking cells", "map": "mapping (RML)", "gate": "validating (gate)"}
"""The steps of :func:`coopgraph.contrib.tabular.ingest`, as the progress bar names them."""


def ingest(
    file: Annotated[Path, typer.Argument(help="The CSV file (UTF-8, with the template's header).")],
    template: Annotated[
        str,
        typer.Option("--template", "-t", help="Its template: a section of mappings/README.md (actors...)."),
    ],
    submitter: Annotated[
        str | None, typer.Option("--as", help="Who submits it (default: the user running the command).")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Only check; keep nothing.")] = False,
) -> None:
    """Check a CSV file of a template and keep its rows as a submission pending review."""
    from coopgraph.contrib.submissions import Submissions
    from coopgraph.contrib.tabular import ingest as run_ingest

    settings = settings_from_env()
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(InputError(exc.strerror or str(exc), file), 2) from exc
    try:
        store = open_loaded_store(settings)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            transient=True,
            console=None,
        ) as progress:
            task = progress.add_task(f"{file.name}: reading", total=len(STEPS))

            def step(name: str) -> None:
                progress.update(task, description=f"{file.name}: {STEPS.get(name, name)}", advance=1)

            mapped = run_ingest(data, template, settings, store, progress=step)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    finally:
        store.close()
    for warning in mapped.warnings:
        typer.echo(f"{warning.located(file.name)} (warning)", err=True)
    if mapped.errors:
        for error in mapped.errors:
            typer.echo(error.located(file.name), err=True)
        typer.echo(f"{file.name}: {len(mapped.errors)} error(s); nothing was kept", err=True)
        raise typer.Exit(1)
    if check:
        typer.echo(f"{file.name}: {len(mapped.rows)} row(s), {len(mapped.triples)} triple(s): no error")
        return
    try:
        submission = Submissions(settings).create(
            mapped.triples, submitter or getpass.getuser(), f"csv {template} ({file.name})"
        )
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    typer.echo(
        f"{file.name}: {len(mapped.rows)} row(s), {submission.triples} triple(s) kept as submission "
        f"{submission.id}, pending review"
    )
