"""``coopgraph ingest FILE.csv --template NAME``: a CSV template's rows, checked, as a pending submission.

The rows go through :func:`coopgraph.contrib.tabular.ingest` (header, cells, the RML mapping,
the write gate), as ``POST /contribute/csv`` and the forms do. Errors are printed
``FILE.csv:ROW:COLUMN: message`` and the command exits 1; otherwise the triples are kept as a
pending submission for a curator to review (``--check`` stops before that).

The gate checks links against the on-disk store of the settings (``COOPGRAPH_STORE_DIR``, the one
``coopgraph serve`` serves) when it exists, opened read-only, so nothing is loaded; without one,
against the knowledge folders loaded in memory (:func:`gate_store`).
"""

from __future__ import annotations

import fcntl
import getpass
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from coopgraph.cli.common import fail, open_loaded_store, settings_from_env
from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, InputError
from coopgraph.store import LOCK_FILE, READ_ONLY_NOTE, EmbeddedStore, Store, load_project, open_store

STEPS = {"read": "reading", "check": "checking cells", "map": "mapping (RML)", "gate": "validating (gate)"}
"""The steps of :func:`coopgraph.contrib.tabular.ingest`, as the progress bar names them."""


def gate_store(settings: Settings) -> Store:
    """The store the gate reads: the settings' on-disk store read-only if it exists, else the project in memory.

    The on-disk store is opened read-only, never written: free, or held by a service that only
    reads it, it is what ``coopgraph serve`` serves. Held by a service that writes (RocksDB
    leaves a read-only open beside a writer undefined), or missing, the knowledge folders are
    loaded into a store in memory, and no store is created on disk. A remote endpoint is used
    as the other commands use it.

    Parameters
    ----------
    settings
        ``store_dir``, ``in_memory`` and the knowledge folders.

    Returns
    -------
    Store
        The caller closes it.
    """
    if settings.sparql_endpoint:
        return open_loaded_store(settings)
    if not settings.in_memory and settings.store_path.is_dir():
        found = _on_disk(settings)
        if found is not None:
            return found
    store = EmbeddedStore(None)
    load_project(store, settings)
    return store


def _writer_holds(folder: Path) -> bool:
    """Whether a process holds the writer's lock of the on-disk store in ``folder`` to write it
    (a service that loaded it and only reads it says so in the lock file)."""
    lock = folder / LOCK_FILE
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return READ_ONLY_NOTE not in os.pread(fd, 200, 0).decode("utf-8", "replace")
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _on_disk(settings: Settings) -> Store | None:
    """The settings' on-disk store, read-only, if it was loaded and no process writes it."""
    if _writer_holds(settings.store_path):
        return None
    store = open_store(settings, read_only=True)
    if not store.loaded_hashes():
        store.close()
        return None
    typer.echo(
        f"note: checking against the store in {settings.store_dir} (read-only); changes to the "
        "knowledge folders since it was last loaded are not seen",
        err=True,
    )
    return store


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
    from coopgraph.audit import AuditLog, audit_path
    from coopgraph.contrib.submissions import Submissions
    from coopgraph.contrib.tabular import ingest as run_ingest

    settings = settings_from_env()
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(InputError(exc.strerror or str(exc), file), 2) from exc
    try:
        store = gate_store(settings)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
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
    who = submitter or getpass.getuser()
    try:
        submission = Submissions(settings).create(mapped.triples, who, f"csv {template} ({file.name})")
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    AuditLog(audit_path(settings)).append(
        who=who,
        role="shell",
        operation=f"CONTRIBUTE csv {template} ({file.name})",
        result="pending",
        submission=submission.id,
    )
    typer.echo(
        f"{file.name}: {len(mapped.rows)} row(s), {submission.triples} triple(s) kept as submission "
        f"{submission.id}, pending review"
    )
