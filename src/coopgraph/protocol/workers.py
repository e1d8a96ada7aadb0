"""Worker processes that run user queries on an embedded store, under a time limit.

A worker that exceeds ``COOPGRAPH_QUERY_TIMEOUT`` is killed and replaced while the other
workers go on answering. A job crosses to a worker pickled, whole (:class:`~coopgraph.protocol.jobs.Job`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from coopgraph.errors import CoopgraphError, QueryError, QueryRefused, QueryTimeout
from coopgraph.protocol.jobs import Job, run_job
from coopgraph.protocol.results import Answer
from coopgraph.store import EmbeddedStore


def _encode_error(exc: CoopgraphError) -> tuple[Any, ...]:
    return (
        "error",
        type(exc).__name__,
        getattr(exc, "message", str(exc)),
        getattr(exc, "line", None),
        getattr(exc, "column", None),
    )


def _decode(message: tuple[Any, ...]) -> Answer:
    if message[0] == "ok":
        return Answer(message[1], message[2], message[3])
    _, kind, text, line, column = message
    if kind == "QueryRefused":
        raise QueryRefused(text)
    raise QueryError(text, line=line, column=column)


def _worker_main(conn: Connection, store_path: str | None, inherited: EmbeddedStore | None) -> None:
    """The loop of a worker process: receive a pickled job, send back the pickled answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if inherited is not None:
        # forked: drop the parent's sockets (clients, listener) so they close when it does
        gc.freeze()
        keep = {0, 1, 2, conn.fileno()}
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd not in keep:
                with contextlib.suppress(OSError):
                    os.close(fd)
        store = inherited
    else:
        store = EmbeddedStore(Path(store_path) if store_path else None, read_only=True)
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            os._exit(0)
        try:
            answer = run_job(store, pickle.loads(data))
            reply: tuple[Any, ...] = ("ok", answer.body, answer.content_type, answer.truncated)
        except CoopgraphError as exc:
            reply = _encode_error(exc)
        except Exception as exc:  # the worker must survive any query
            reply = ("error", "QueryError", f"the query failed: {exc}", None, None)
        try:
            conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, OSError):
            os._exit(0)


def _expire(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1.0)


class QueryPool:
    """Worker processes that run user queries on an embedded store, each one at a time.

    A worker that exceeds the time limit is killed and replaced; the others go on. An in-memory
    store is inherited by forking after the load; an on-disk store is opened read-only by each
    worker (a fresh ``spawn`` process, so no RocksDB state is shared across a fork).

    Parameters
    ----------
    store
        The loaded embedded store.
    processes
        Number of workers.
    timeout
        Seconds a query may run (waiting for a free worker included).

    Examples
    --------
    >>> import asyncio
    >>> from coopgraph.negotiation import RESULTS_TYPES
    >>> pool = QueryPool(EmbeddedStore(None), processes=1, timeout=5)
    >>> pool.start()
    >>> asyncio.run(pool.run(Job("ASK {}", "ASK", RESULTS_TYPES[0], 10))).body
    b'{"head":{},"boolean":true}'
    >>> pool.close()
    """

    def __init__(self, store: EmbeddedStore, processes: int = 2, timeout: float = 10.0) -> None:
        self.store = store
        self.processes = max(1, processes)
        self.timeout = timeout
        self._forked = store.path is None
        self._context = multiprocessing.get_context("fork" if self._forked else "spawn")
        self._workers: list[_Worker] = []
        # idle workers, the most recently used last: a sequence of queries keeps going to the
        # same worker, whose caches are warm (about 5% of a 10 ms query when workers alternate)
        self._idle: list[_Worker] = []
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Start the workers (call after the store is loaded and flushed)."""
        self.store.flush()
        self._workers = [self._spawn() for _ in range(self.processes)]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        inherited = self.store if self._forked else None
        path = None if self.store.path is None else str(self.store.path)
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, path, inherited), daemon=True, name="coopgraph-query"
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _on_loop(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # a new event loop (tests run several): what the old one held is lost with it
            self._loop = loop
            self._idle = list(self._workers)
            self._waiting.clear()
        return loop

    def _release(self, worker: _Worker) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self, loop: asyncio.AbstractEventLoop, deadline: float) -> _Worker:
        if self._idle:
            return self._idle.pop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiting.append(waiter)
        timer = loop.call_at(deadline, _expire, waiter)
        try:
            return await waiter
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # handed over just as the caller went away
            raise
        finally:
            timer.cancel()

    async def run(self, job: Job) -> Answer:
        """Run ``job`` in a free worker; :class:`QueryTimeout` when it takes too long."""
        loop = self._on_loop()
        deadline = loop.time() + self.timeout
        worker = await self._acquire(loop, deadline)
        future: asyncio.Future[bytes] = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            if future.done():
                return
            try:
                # uvloop makes watched descriptors non-blocking; a large answer needs blocking reads
                os.set_blocking(fd, True)
                future.set_result(worker.conn.recv_bytes())
            except (EOFError, OSError) as exc:
                future.set_exception(exc)

        timer = loop.call_at(deadline, _expire, future)
        healthy = False
        try:
            os.set_blocking(fd, True)
            worker.conn.send_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            loop.add_reader(fd, readable)
            data = await future
            healthy = True
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None
        except (EOFError, OSError) as exc:
            raise QueryError(f"the query worker stopped: {exc}") from exc
        finally:
            timer.cancel()
            if healthy:
                self._release(worker)
            else:
                loop.remove_reader(fd)
                self._replace(worker)
        return _decode(pickle.loads(data))

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        fresh = self._spawn()
        self._workers = [fresh if w is worker else w for w in self._workers]
        self._release(fresh)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers]

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.kill()
        self._workers = []
        self._idle = []
        self._waiting.clear()
