"""The embedded back end: an Oxigraph store in this process, on disk or in memory.

An on-disk store is held by one writer at a time (a lock file naming the holder), and remembers
the content hash of what it loaded (a manifest beside the data) so unchanged graphs are not
loaded again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph.errors import InputError, QueryError, StoreBusy
from coopgraph.sparqltext import Bindings, with_values
from coopgraph.store.base import Progress, Row, Store, query_error
from coopgraph.store.files import input_error, rdf_format_for

LOCK_FILE = "coopgraph.lock"
READ_ONLY_NOTE = "serving read-only"


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
        for path in paths:
            rdf_format_for(path)  # unknown extensions fail before anything is written

        def load(into: ox.NamedNode) -> None:
            for path in paths:
                try:
                    # Store.load is itself transactional: a file that fails adds nothing
                    self.oxigraph.load(path=str(path), format=rdf_format_for(path), to_graph=into)
                except SyntaxError as exc:
                    raise input_error(exc, path) from exc
                except OSError as exc:
                    raise InputError(str(exc), path) from exc
                if progress:
                    progress(path.stat().st_size)

        return self._replace(graph, load)

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
        into = target if fresh else ox.NamedNode(f"{graph}#staging-{uuid.uuid4().hex}")
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

    def drop_graph(self, graph: str) -> None:
        target = ox.NamedNode(graph)
        if self.oxigraph.contains_named_graph(target):
            self.oxigraph.remove_graph(target)
            self._bump_version()

    def bulk_load(self, graph: str, path: Path, progress: Progress | None = None) -> int:
        """Load a large file into a graph that does not exist yet, as fast as Oxigraph can.

        Uses Oxigraph's bulk loader, which is not transactional; on failure the partly
        written graph is removed, so the store is left as it was.
        """
        target = ox.NamedNode(graph)
        if self.oxigraph.contains_named_graph(target):
            return self.replace_graph(graph, [path], progress)
        try:
            self.oxigraph.bulk_load(path=str(path), format=rdf_format_for(path), to_graph=target)
        except SyntaxError as exc:
            self.oxigraph.remove_graph(target)
            raise input_error(exc, path) from exc
        except OSError as exc:
            self.oxigraph.remove_graph(target)
            raise InputError(str(exc), path) from exc
        if progress:
            progress(path.stat().st_size)
        self._bump_version()
        return self.graph_size(graph)

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

    def __del__(self) -> None:
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock, fcntl.LOCK_UN)
                os.close(self._lock)
            self._lock = None

    def graph_size(self, graph: str) -> int:
        """Number of triples in one named graph."""
        return sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def flush(self) -> None:
        """Write what is buffered to disk (nothing to do in memory or read-only)."""
        if self.path is not None and not self.read_only:
            self.oxigraph.flush()

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
