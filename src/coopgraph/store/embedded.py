"""The embedded back end: an Oxigraph store in this process, on disk or in memory.

An on-disk store is held by one writer at a time (a lock file naming the holder), and remembers
the content hash of what it loaded (a manifest beside the data) so unchanged graphs are not
loaded again.

Files are loaded in bounded memory and crash-safely: the triples stream from the parser into
Oxigraph's bulk loader, into a staging graph beside the graph they replace; the switch from the
old content to the new is written down first (a journal beside the data), so a writer that
opens the store after a crash (kill -9, power cut) finishes it or undoes it. A reader never
finds a staging graph: every open for writing removes those a crash left.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.errors import InputError, QueryError, StoreBusy
from coopgraph.queries import catalogue_for
from coopgraph.rdfinput import checked_bytes
from coopgraph.sparqltext import Bindings, with_values
from coopgraph.store.base import Progress, Row, Store, query_error
from coopgraph.store.files import input_error, iter_triples, rdf_format_for

LOCK_FILE = "coopgraph.lock"
READ_ONLY_NOTE = "serving read-only"
JOURNAL_FILE = "coopgraph-load.json"
"""The load under way, in the store folder: what a writer opening the store after a crash
finishes (the switch to a complete new content) or undoes (a half-filled graph)."""
STAGING_MARK = "#staging-"
"""What the name of a staging graph adds to the name of the graph it will replace."""
STAGING_GRAPH = re.compile(re.escape(STAGING_MARK) + "[0-9a-f]{32}$")
"""The names of staging graphs: removed at every open for writing unless a journal needs them."""
BATCH = 50_000
"""Triples removed per transaction when a graph is emptied (bounds memory)."""
BULK_CHUNK = 100_000
"""Triples per call of Oxigraph's bulk loader, which holds a call's triples in memory to sort
them (a 200 MB N-Triples file, 1.7 million triples: 1.3 GB peak in one call, 290 MB in chunks)."""
SNAPSHOTS_KEPT = 3
"""Read-only checkpoints of a written store kept for the query workers (see ``snapshot``)."""
QUAD_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG})
"""Formats whose statements may name a graph: loaded into one graph, they stream through Python."""
PROGRESS_EVERY = 10_000
"""Triples read between two calls of a load's progress callback."""


def staging_graph(graph: str) -> str:
    """A fresh name for a staging graph of ``graph``.

    >>> STAGING_GRAPH.search(staging_graph("https://w3id.org/coopgraph/graph/x")) is not None
    True
    """
    return f"{graph}{STAGING_MARK}{uuid.uuid4().hex}"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _note_lock(fd: int | None, doing: str) -> None:
    """Write who holds the lock, and what for, into the lock file."""
    if fd is None:
        return
    note = f"{os.getpid()} {doing}: {' '.join(os.path.basename(a) for a in sys.argv[:2])}\n".encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, note, 0)


def _hold_lock(path: Path) -> int:
    """Take the writer's lock of the on-disk store at ``path``; :class:`StoreBusy` if held."""
    fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
        os.close(fd)
        raise StoreBusy(
            f"the store {path} is in use by another coopgraph process (pid {holder}); stop it "
            "first, or set COOPGRAPH_STORE_DIR to another folder",
            readable=READ_ONLY_NOTE in holder,
        ) from None
    _note_lock(fd, "writing")
    return fd


class EmbeddedStore(Store):
    """An Oxigraph store in this process.

    Parameters
    ----------
    path
        Folder of the on-disk store, created if missing; ``None`` keeps it in memory.
    read_only
        Open an existing on-disk store read-only (worker processes do).

    Notes
    -----
    An on-disk store opened for writing holds ``coopgraph.lock`` in its folder until
    :meth:`close`, so a second writer gets :class:`~coopgraph.errors.StoreBusy` with the
    holder's process id. RocksDB allows read-only opens beside a writer but leaves their result
    undefined while the writer writes (compactions included), so the service loads, then
    reopens the store read-only with :meth:`make_read_only` (keeping the lock) before its
    worker processes open it.

    Examples
    --------
    >>> store = EmbeddedStore(None)
    >>> store.named_graphs()
    []
    """

    kind = "embedded"
    engine_in_process = True
    holds_computed_graphs = True

    def __init__(self, path: Path | None, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only and path is not None
        self._lock: int | None = None  # set first: __del__ reads it even when opening fails
        if path is None:
            self.oxigraph = ox.Store()
        elif read_only:
            self.oxigraph = ox.Store.read_only(str(path))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._lock = _hold_lock(path)
            try:
                self.oxigraph = ox.Store(str(path))
            except BaseException:
                self._release_lock()
                raise
        self._version = uuid.uuid4().hex if path is None else self._read_manifest().get("version", "0")
        if self._lock is not None:
            self.recover()

    # -- queries --------------------------------------------------------------------------
    def execute(
        self,
        query: str,
        bindings: Bindings | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Any:
        """Run any query and return pyoxigraph's own result object (solutions, bool, triples).

        The default graph is the union of all named graphs unless ``default_graph`` names the
        graphs to use instead (the SPARQL protocol's ``default-graph-uri``).
        """
        kwargs: dict[str, Any] = {}
        if default_graph:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self.oxigraph.query(with_values(query, bindings), **kwargs)
        except (SyntaxError, ValueError, RuntimeError) as exc:
            raise query_error(exc) from exc
        except OSError as exc:
            raise QueryError(str(exc)) from exc

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        result = self.execute(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        try:
            return [
                {n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in result
            ]
        except (SyntaxError, ValueError, OSError) as exc:
            raise query_error(exc) from exc

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self.execute(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> list[ox.Triple]:
        result = self.execute(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    # -- content --------------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        for quad in self.oxigraph.quads_for_pattern(None, None, None, g):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def version(self) -> str:
        return self._version

    def replace_graph(self, graph: str, paths: Sequence[Path], progress: Progress | None = None) -> int:
        """Replace ``graph`` with the triples of ``paths``, in bounded memory, all or nothing.

        A file of triples (Turtle, N-Triples, RDF/XML, JSON-LD, N3) goes to Oxigraph's bulk
        loader whole, which parses and writes it in Rust, in bounded memory
        (:meth:`_fill_natively`: the speed of ``oxigraph load``); an N-Quads or TriG file, whose
        triples must lose their graph, and any file when ``progress`` is asked for, streams from
        the parser through Python into the bulk loader, :data:`BULK_CHUNK` triples at a time.
        A graph the store does not have is filled in place; an existing one is filled into a
        staging graph, then emptied and given the staging graph's triples, in batches of
        :data:`BATCH`. Each step is written in the journal (:data:`JOURNAL_FILE`) before it
        starts, so that after a crash the next open for writing leaves the graph with its old
        content or its new one, whole (see :meth:`recover`).

        Parameters
        ----------
        graph
            The IRI of the named graph.
        paths
            Its files (any of :data:`~coopgraph.store.files.RDF_FORMATS`; the triples of N-Quads
            and TriG files go into ``graph`` whatever their graph).
        progress
            Called with the number of triples read since its last call, every
            :data:`PROGRESS_EVERY` triples and at the end of each file.

        Returns
        -------
        int
            The number of triples the graph holds afterwards.

        Raises
        ------
        InputError
            With the file and line, when a file is refused or does not parse; the store is then
            as it was.

        Notes
        -----
        The switch is not isolated from readers of this store while it runs: the service loads
        its store before it serves it, and ``coopgraph load`` holds the writer's lock. Emptying
        the old graph costs RocksDB memory that grows with it, more slowly (1.5 GB peak to
        replace 1.7 million triples, against 0.3 GB to load them into a new graph).

        Examples
        --------
        >>> store = EmbeddedStore(None)
        >>> store.replace_graph("https://w3id.org/coopgraph/graph/ontology", [Path("ontology/coopgraph.ttl")]) > 100
        True
        """
        for path in paths:
            rdf_format_for(path)  # unknown extensions fail before anything is written
        target = ox.NamedNode(graph)
        fresh = not self.oxigraph.contains_named_graph(target)
        into = target if fresh else ox.NamedNode(staging_graph(graph))
        self._write_journal({"step": "fill", "graph": graph, "into": into.value})
        try:
            for path in paths:
                if progress is None and rdf_format_for(path) not in QUAD_FORMATS:
                    self._fill_natively(path, into)
                else:
                    self._bulk_add(_counted(iter_triples(path), into, progress))
        except BaseException:
            self._empty(into)
            self._write_journal(None)
            raise
        if not fresh:
            self.flush()  # the staging graph is on disk before the journal says it is complete
            self._write_journal({"step": "switch", "graph": graph, "into": into.value})
            self._switch(target, into)
        self._write_journal(None)
        self._bump_version()
        return self.graph_size(graph)

    def _fill_natively(self, path: Path, into: ox.NamedNode | None) -> None:
        """Load ``path`` with Oxigraph's bulk loader: its triples into ``into``, or, for a file
        of quads with ``into`` ``None``, each quad into its own graph (not a transaction).

        The file is checked first as every load checks it (:func:`~coopgraph.rdfinput.checked_bytes`).

        Raises
        ------
        InputError
            With the file, line and column of a syntax error, or the reason a check refused it.
        """
        fmt = rdf_format_for(path)
        checked = checked_bytes(path)
        try:
            if checked is not None:
                self.oxigraph.bulk_load(checked, fmt, to_graph=into)
            else:
                self.oxigraph.bulk_load(path=str(path), format=fmt, to_graph=into)
        except SyntaxError as exc:
            raise input_error(exc, path) from exc
        except OSError as exc:
            raise InputError(str(exc), path) from exc

    def load_dataset(self, path: Path, default_graph: str) -> dict[str, int]:
        """Load an N-Quads or TriG file into an empty store, each quad into its own graph.

        Oxigraph's bulk loader reads the file (the speed of ``oxigraph load``); the triples of
        the file's default graph go into ``default_graph``. All or nothing: a file that fails,
        or a crash part way (:meth:`recover`, from the journal), leaves the store empty.

        Parameters
        ----------
        path
            An N-Quads (``.nq``) or TriG (``.trig``) file.
        default_graph
            The IRI of the graph that takes the quads without a graph.

        Returns
        -------
        dict[str, int]
            The triples of each graph loaded.

        Raises
        ------
        InputError
            The file is not N-Quads or TriG, the store is not empty, or the file does not parse
            (with its line); the store is then as it was.

        Examples
        --------
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     quads = Path(folder) / "q.nq"
        ...     _ = quads.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\\n<urn:a> <urn:b> <urn:d> .\\n")
        ...     EmbeddedStore(None).load_dataset(quads, "urn:default")
        {'urn:default': 1, 'urn:g': 1}
        """
        if rdf_format_for(path) not in QUAD_FORMATS:
            raise InputError(
                "a dataset is an N-Quads or TriG file; load a file of triples into one graph", path
            )
        if self.named_graphs() or next(iter(self.oxigraph), None) is not None:
            raise InputError("a dataset loads into an empty store only; this one holds data", path)
        self._write_journal({"step": "dataset", "graph": default_graph, "into": default_graph})
        try:
            self._fill_natively(path, ox.NamedNode(default_graph))
        except BaseException:
            self.oxigraph.clear()
            self._write_journal(None)
            raise
        self.flush()
        self._write_journal(None)
        self._bump_version()
        return {graph: self.graph_size(graph) for graph in sorted(self.named_graphs())}

    def _bulk_add(self, quads: Iterator[ox.Quad]) -> None:
        """Write ``quads`` with the bulk loader, :data:`BULK_CHUNK` at a time (not a transaction)."""
        while (first := next(quads, None)) is not None:
            self.oxigraph.bulk_extend(itertools.chain([first], itertools.islice(quads, BULK_CHUNK - 1)))

    def _empty(self, graph: ox.NamedNode, keep: bool = False) -> None:
        """Remove every triple of ``graph``, a batch per transaction, then the graph unless ``keep``."""
        # a NamedNode writes itself as <iri>, checked when it was built: nothing else is pasted
        delete = (
            f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE "
            f"{{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} LIMIT {BATCH} }} }}"
        )
        while next(iter(self.oxigraph.quads_for_pattern(None, None, None, graph)), None) is not None:
            self.oxigraph.update(delete)
        if not keep and self.oxigraph.contains_named_graph(graph):
            self.oxigraph.remove_graph(graph)  # empty by now: a small transaction

    def _switch(self, target: ox.NamedNode, staging: ox.NamedNode) -> None:
        """Give ``target`` the triples of ``staging`` and remove it; may be run again after a crash."""
        self._empty(target, keep=True)
        self._bulk_add(
            ox.Quad(q.subject, q.predicate, q.object, target)
            for q in self.oxigraph.quads_for_pattern(None, None, None, staging)
        )
        self.flush()
        self._write_journal({"step": "drop", "graph": target.value, "into": staging.value})
        self._empty(staging)

    def recover(self) -> list[str]:
        """Finish or undo what a crash interrupted, and remove every staging graph left behind.

        Run by every open for writing, so a reader (the service's workers) never finds a staging
        graph. A load that had finished filling its staging graph is finished (the graph gets the
        new content, whole); one still filling is undone (the graph keeps its old content).

        Returns
        -------
        list[str]
            The graphs that were removed or finished, for messages.

        Examples
        --------
        >>> EmbeddedStore(None).recover()
        []
        """
        changed: list[str] = []
        journal = self._read_journal()
        if journal:
            target, into = ox.NamedNode(journal["graph"]), ox.NamedNode(journal["into"])
            if journal.get("step") == "switch":
                self._switch(target, into)
            elif journal.get("step") == "dataset":  # a dataset goes into an empty store only
                self.oxigraph.clear()
            else:  # still filling (undo), or the switch done and the staging graph going
                self._empty(into)
            changed.append(target.value)
            self._write_journal(None)
        for name in self.oxigraph.named_graphs():
            if isinstance(name, ox.NamedNode) and STAGING_GRAPH.search(name.value):
                self._empty(name)
                changed.append(name.value)
        if changed:
            self.flush()
            self._bump_version()
        return changed

    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """Replace the content of ``graph`` with ``triples``, atomically.

        Examples
        --------
        >>> store = EmbeddedStore(None)
        >>> s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
        >>> store.put_graph("http://e/g", [ox.Triple(s, p, ox.Literal("1")), ox.Triple(s, p, ox.Literal("2"))])
        2
        >>> store.put_graph("http://e/g", [ox.Triple(s, p, ox.Literal("3"))])
        1
        """

        def add(into: ox.NamedNode) -> None:
            # Store.extend is one transaction: an iterable that fails part way adds nothing
            self.oxigraph.extend(ox.Quad(t.subject, t.predicate, t.object, into) for t in triples)

        return self._replace(graph, add)

    def _replace(self, graph: str, fill: Callable[[ox.NamedNode], None]) -> int:
        """Replace ``graph`` with what ``fill`` writes into the graph it is given; all or nothing."""
        target = ox.NamedNode(graph)
        # A new graph is filled in place (a failure removes it again); an existing one is
        # filled beside it and moved over it in one transaction, which costs several times the
        # load itself, so it is done only when there is something to keep.
        fresh = not self.oxigraph.contains_named_graph(target)
        into = target if fresh else ox.NamedNode(staging_graph(graph))
        done = False
        try:
            fill(into)
            if not fresh:
                self.oxigraph.update(f"MOVE SILENT GRAPH {into} TO GRAPH {target}")
            done = True
        finally:
            if not (fresh and done) and self.oxigraph.contains_named_graph(into):
                self.oxigraph.remove_graph(into)
        self._bump_version()
        return self.graph_size(graph)

    def put_graphs(self, graphs: Mapping[str, Iterable[ox.Triple] | None]) -> dict[str, int]:
        """Replace several graphs in one transaction (a ``None`` content removes the graph).

        Each new content is written into a staging graph first; one SPARQL update (one
        transaction) then moves every staging graph over its target and drops the removed
        graphs. A failure before it leaves the store as it was (staging graphs a crash leaves
        are removed by :meth:`recover`); the update itself commits whole or not at all.

        Examples
        --------
        >>> store = EmbeddedStore(None)
        >>> s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
        >>> store.put_graphs({"http://e/a": [ox.Triple(s, p, ox.Literal("1"))], "http://e/b": []})
        {'http://e/a': 1, 'http://e/b': 0}
        >>> store.put_graphs({"http://e/a": None})
        {'http://e/a': 0}
        """
        staged: list[tuple[ox.NamedNode, ox.NamedNode]] = []
        dropped: list[ox.NamedNode] = []
        try:
            for graph, triples in graphs.items():
                target = ox.NamedNode(graph)
                if triples is None:
                    dropped.append(target)
                    continue
                into = ox.NamedNode(staging_graph(graph))
                staged.append((target, into))
                self.oxigraph.add_graph(into)
                self.oxigraph.extend(ox.Quad(t.subject, t.predicate, t.object, into) for t in triples)
            # NamedNodes write themselves as <iri>, checked when built: nothing else is pasted
            operations = [f"DROP SILENT GRAPH {target}" for target in dropped]
            operations += [f"MOVE SILENT GRAPH {into} TO GRAPH {target}" for target, into in staged]
            operations += [f"CREATE SILENT GRAPH {target}" for target, _ in staged]
            if operations:
                self.oxigraph.update(" ;\n".join(operations))
        finally:
            for _, into in staged:
                if self.oxigraph.contains_named_graph(into):
                    self.oxigraph.remove_graph(into)
        self.flush()
        self._bump_version()
        self.record_loaded(self.loaded_hashes())  # the new version outlives a restart
        return {graph: self.graph_size(graph) for graph in graphs}

    def drop_graph(self, graph: str) -> None:
        target = ox.NamedNode(graph)
        if self.oxigraph.contains_named_graph(target):
            self.oxigraph.remove_graph(target)
            self._bump_version()

    def bulk_load(self, graph: str, path: Path, progress: Progress | None = None) -> int:
        """Load one large file into ``graph``: :meth:`replace_graph`, which gives a file of
        triples to Oxigraph's bulk loader and streams any other."""
        return self.replace_graph(graph, [path], progress)

    def close(self) -> None:
        """Flush and let go of the Oxigraph store, releasing the on-disk store's lock."""
        if hasattr(self, "oxigraph"):
            self.flush()
            del self.oxigraph
        self._release_lock()

    def make_read_only(self) -> None:
        """Reopen an on-disk store read-only, keeping its lock (nothing else may write it).

        Other processes can then open it read-only safely: no writer is left, background
        compactions included. An in-memory store is left as it is.
        """
        if self.path is None or self.read_only:
            return
        self.flush()
        del self.oxigraph  # closes the RocksDB writer, waiting for its background work
        self.oxigraph = ox.Store.read_only(str(self.path))
        self.read_only = True
        _note_lock(self._lock, READ_ONLY_NOTE)

    def snapshot(self) -> EmbeddedStore:
        """A read-only checkpoint of an on-disk store open for writing (RocksDB hard links: cheap).

        Query workers open the checkpoint, never the store this process writes (a read-only
        open beside a writer is undefined in RocksDB); each write makes a new one and the
        workers move to it. The last :data:`SNAPSHOTS_KEPT` are kept (a retiring worker may
        still read one), older ones are removed. In memory or read-only: the store itself.
        """
        if self.path is None or self.read_only:
            return self
        folder = self.path.with_name(self.path.name + "-snapshots")
        folder.mkdir(exist_ok=True)
        target = folder / f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        self.flush()
        self.oxigraph.backup(str(target))
        for old in sorted(p for p in folder.iterdir() if p.is_dir())[:-SNAPSHOTS_KEPT]:
            shutil.rmtree(old, ignore_errors=True)
        return EmbeddedStore(target, read_only=True)

    def __del__(self) -> None:
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock, fcntl.LOCK_UN)
                os.close(self._lock)
            self._lock = None

    def graph_size(self, graph: str) -> int:
        """Number of triples in one named graph, counted by the engine.

        ``queries/internal/graph-sizes.rq`` with its ``?graph`` bound: a count in Rust, about a
        tenth of a second per million triples, where reading them into Python took ten seconds.
        """
        text = catalogue_for(Settings().queries_dir).internal("graph-sizes").text
        rows = self.oxigraph.query(text, substitutions={ox.Variable("graph"): ox.NamedNode(graph)})
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            count = row["triples"]
            return int(count.value) if isinstance(count, ox.Literal) else 0
        return 0

    def flush(self) -> None:
        """Write what is buffered to disk (nothing to do in memory or read-only)."""
        if self.path is not None and not self.read_only:
            self.oxigraph.flush()

    def compact(self) -> None:
        """Merge the files of the on-disk store (Oxigraph's ``optimize``), at once.

        A bulk load leaves many overlapping files: at 10M triples an aggregate reads them 3-5
        times slower than once they are merged. A store opened for writing merges them in the
        background, but a reader opened read-only (a query worker) keeps the files it opened
        with, so the merge has to be done before the readers open. About 13 s after a 10M
        load, under a millisecond when there is nothing to merge.
        """
        if self.path is not None and not self.read_only:
            self.oxigraph.optimize()

    # -- journal of the load under way (crash recovery) ---------------------------------------
    def _read_journal(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            data = json.loads((self.path / JOURNAL_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        ok = (
            isinstance(data, dict)
            and isinstance(data.get("graph"), str)
            and isinstance(data.get("into"), str)
        )
        return data if ok else {}

    def _write_journal(self, entry: Mapping[str, str] | None) -> None:
        """Write (or with ``None`` remove) the journal durably, before the step it names starts."""
        if self.path is None:
            return
        path = self.path / JOURNAL_FILE
        if entry is None:
            path.unlink(missing_ok=True)
        else:
            tmp = path.with_suffix(".tmp")
            with tmp.open("w", encoding="utf-8") as f:
                json.dump(dict(entry), f)
                f.flush()
                os.fsync(f.fileno())
            tmp.replace(path)
        _fsync_dir(self.path)

    # -- manifest of loaded sources (skip reloads) ------------------------------------------
    def _manifest_path(self) -> Path | None:
        return None if self.path is None else self.path / "coopgraph-manifest.json"

    def _read_manifest(self) -> dict[str, Any]:
        path = self._manifest_path()
        if path is None or not path.exists():
            return {}
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def loaded_hashes(self) -> dict[str, str]:
        """Content hash of the sources each graph was last loaded from (none in memory)."""
        hashes = self._read_manifest().get("graphs", {})
        return hashes if isinstance(hashes, dict) else {}

    def record_loaded(self, hashes: Mapping[str, str]) -> None:
        """Remember what was loaded, after the loads succeeded (in the on-disk store's manifest)."""
        path = self._manifest_path()
        if path is None:
            return
        self.flush()
        data = {"version": self._version, "graphs": dict(hashes)}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), "utf-8")
        tmp.replace(path)

    def _bump_version(self) -> None:
        self._version = uuid.uuid4().hex


def _counted(
    triples: Iterable[ox.Triple], into: ox.NamedNode, progress: Progress | None
) -> Iterator[ox.Quad]:
    """The triples as quads of ``into``, telling ``progress`` how many went by."""
    count = 0
    for triple in triples:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, into)
        count += 1
        if progress and count == PROGRESS_EVERY:
            progress(count)
            count = 0
    if progress and count:
        progress(count)
