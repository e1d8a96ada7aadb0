"""Run a SPARQL Update on a copy of some graphs in a process of its own, stopped at a time limit.

The engine cannot be interrupted from Python: an update that joins large graphs with each other
(``DELETE { ... } INSERT { ... } WHERE { ?a ?b ?c . ?d ?e ?f }``) would hold the write lock for
as long as it runs. The copy and the update go to a fresh ``spawn`` process (this module imports
only pyoxigraph, so it starts in a fraction of a second) which is killed at the time limit; the
writer gets the copy back as N-Quads, or the engine's error with its position.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection

import pyoxigraph as ox


class UpdateFailed(Exception):
    """The engine refused or failed the update: its message, and its position when it has one."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class UpdateTimedOut(Exception):
    """The update ran past its time limit; its process was killed."""


Outcome = tuple[bytes, list[str]]
"""The dataset after an update: its quads as N-Quads, and the names of its graphs (empty ones too)."""


def apply_update(quads: bytes, graphs: list[str], text: str, base: str | None) -> Outcome:
    """The dataset ``quads`` (with the possibly empty named ``graphs``) after the update ``text``.

    >>> before = b'<http://e/s> <http://e/p> "1" <http://e/g> .\\n'
    >>> after, names = apply_update(before, ["http://e/g"], "CLEAR GRAPH <http://e/g>", None)
    >>> after, names
    (b'', ['http://e/g'])

    Raises
    ------
    UpdateFailed
        The update does not parse or fails.
    """
    copy = ox.Store()
    for graph in graphs:
        copy.add_graph(ox.NamedNode(graph))
    if quads:  # parsed, not loaded: a load would give the blank nodes new labels
        copy.extend(ox.parse(quads, format=ox.RdfFormat.N_QUADS))
    try:
        copy.update(text, base_iri=base)
    except SyntaxError as exc:
        raise UpdateFailed(exc.msg or str(exc), exc.lineno, exc.offset) from exc
    except (ValueError, OSError, RuntimeError) as exc:
        raise UpdateFailed(str(exc)) from exc
    names = sorted(g.value for g in copy.named_graphs() if isinstance(g, ox.NamedNode))
    return ox.serialize(copy, format=ox.RdfFormat.N_QUADS) or b"", names


def _child(connection: Connection, quads: bytes, graphs: list[str], text: str, base: str | None) -> None:
    try:
        connection.send(("done", apply_update(quads, graphs, text, base)))
    except UpdateFailed as exc:
        connection.send(("failed", (exc.message, exc.line, exc.column)))
    finally:
        connection.close()


def run_update(quads: bytes, graphs: list[str], text: str, base: str | None, seconds: float) -> Outcome:
    """:func:`apply_update` in a ``spawn`` process that is killed after ``seconds``.

    Raises
    ------
    UpdateFailed
        The update does not parse or fails.
    UpdateTimedOut
        It ran longer than ``seconds``.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, quads, graphs, text, base), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise UpdateTimedOut(seconds)
        try:
            outcome, value = receiver.recv()
        except EOFError as exc:  # the process died without an answer (out of memory...)
            raise UpdateFailed("the update's process ended without an answer") from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if outcome == "failed":
        message, line, column = value
        raise UpdateFailed(message, line, column)
    after, names = value
    return bytes(after), list(names)
