"""Worker processes that run user queries on an embedded store, each in its own box.

A query gets a worker within ``COOPGRAPH_QUERY_QUEUE_WAIT`` or is refused (:class:`QueueTimeout`,
503); its time limit, ``COOPGRAPH_QUERY_TIMEOUT``, starts when a worker takes it. The pool grows
from ``query_workers`` up to ``query_workers_max`` while queries wait, and stops the extra workers
once they have been idle a while. A worker that exceeds the time limit is killed and replaced while
the others go on answering. A job crosses to a worker as a frame of plain values
(:func:`~coopgraph.protocol.jobs.encode_job`); the answer comes back as a small header and the
body's bytes written as they are, off the pickle path (:func:`reply_parts`, :func:`read_reply`).

Each worker also limits itself, so that it holds even when its parent cannot:

- memory: ``RLIMIT_AS`` at its size at start plus ``COOPGRAPH_QUERY_MEMORY`` (a forked worker's
  size at start includes the in-memory store it shares); a query that needs more ends in
  :class:`QueryMemoryExceeded` and the worker is replaced;
- time: ``RLIMIT_CPU`` a little past the time limit for each job;
- its parent: ``PR_SET_PDEATHSIG``, so it dies with the service, even on ``kill -9``;
- the network: :func:`coopgraph.sandbox.forbid_network` when SERVICE is not allowed.

A worker that dies mid-query is replaced and the query gets an error that says how it died.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import gc
import logging
import marshal
import math
import multiprocessing
import os
import pickle
import platform
import resource
import signal
import struct
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from coopgraph.errors import (
    CoopgraphError,
    QueryAborted,
    QueryError,
    QueryMemoryExceeded,
    QueryRefused,
    QueryTimeout,
    QueueTimeout,
)
from coopgraph.protocol.jobs import Job, decode_job, encode_job, run_job
from coopgraph.protocol.results import Answer
from coopgraph.sandbox import forbid_network, network_filter_supported
from coopgraph.store import EmbeddedStore

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
START_SECONDS = 60.0
"""Longest a new worker may take to open the store and say it is ready."""
IDLE_SECONDS = 60.0
"""Workers above ``query_workers`` idle this long are stopped."""
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class WorkerLimits:
    """What a worker process may do, set in the worker itself when it starts.

    Attributes
    ----------
    parent
        Process id of the service; the worker dies with it.
    memory
        Bytes the worker may add to its address space at start (``None``: no limit).
    cpu_seconds
        CPU seconds one job may use before the kernel stops the worker (``None``: no limit).
    forbid_network
        Refuse every non-Unix socket (:func:`coopgraph.sandbox.forbid_network`).
    """

    parent: int
    memory: int | None = None
    cpu_seconds: int | None = None
    forbid_network: bool = False


_ANSWER = b"A"
_ERROR = b"E"
_REPLY_HEAD = struct.Struct("!cBHQ")
"""A reply's header: its kind, whether rows were cut, the length of the content type, of the body."""


def reply_parts(answer: Answer) -> list[bytes]:
    """The frame of an answer, in parts written as they are: header, content type, body.

    Examples
    --------
    >>> reply_parts(Answer(b"{}", "application/json"))[1:]
    [b'application/json', b'{}']
    """
    content_type = answer.content_type.encode()
    head = _REPLY_HEAD.pack(_ANSWER, answer.truncated, len(content_type), len(answer.body))
    return [head, content_type, answer.body]


def error_parts(kind: str, message: str, line: int | None = None, column: int | None = None) -> list[bytes]:
    """The frame of a failed query: the error's kind (a class name), its message and position."""
    body = marshal.dumps((kind, message, line, column))
    return [_REPLY_HEAD.pack(_ERROR, 0, 0, len(body)), body]


def _error_parts(exc: CoopgraphError) -> list[bytes]:
    return error_parts(
        type(exc).__name__,
        getattr(exc, "message", str(exc)),
        getattr(exc, "line", None),
        getattr(exc, "column", None),
    )


def write_frame(fd: int, parts: list[bytes]) -> None:
    """Write ``parts`` whole to the blocking descriptor ``fd``, without joining them."""
    views = [memoryview(part) for part in parts if part]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if written:
            views[0] = views[0][written:]


def _read_exactly(fd: int, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = os.readv(fd, [view[got:]])
        if count == 0:
            raise EOFError("the query worker closed its pipe mid-answer")
        got += count
    return buffer


def read_reply(fd: int, memory: int | None) -> Answer:
    """Read one reply from the blocking descriptor ``fd``: the answer, or the error it reports.

    The body is read into one buffer of its announced size and copied once into the answer.

    Parameters
    ----------
    fd
        The parent's end of a worker's pipe.
    memory
        The workers' memory limit, reported by :class:`QueryMemoryExceeded`.

    Raises
    ------
    EOFError
        The worker went away before the reply was whole.
    QueryRefused, QueryMemoryExceeded, QueryError
        The error the worker reported.
    QueryAborted
        The reply is of no known kind.

    Examples
    --------
    >>> read, write = os.pipe()
    >>> write_frame(write, reply_parts(Answer(b"{}", "application/json", truncated=True)))
    >>> read_reply(read, None)
    Answer(body=b'{}', content_type='application/json', truncated=True)
    >>> os.close(read), os.close(write)
    (None, None)
    """
    kind, truncated, type_length, body_length = _REPLY_HEAD.unpack(_read_exactly(fd, _REPLY_HEAD.size))
    if kind == _ANSWER:
        content_type = _read_exactly(fd, type_length).decode() if type_length else ""
        return Answer(bytes(_read_exactly(fd, body_length)), content_type, bool(truncated))
    if kind != _ERROR:
        raise QueryAborted(f"a query worker sent a reply of unknown kind {kind!r}")
    error, text, line, column = marshal.loads(_read_exactly(fd, body_length))
    if error == "QueryRefused":
        raise QueryRefused(text)
    if error == "MemoryError":
        raise QueryMemoryExceeded(memory or 0)
    raise QueryError(text, line=line, column=column)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), or exit if it already has."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # the parent may have died between fork and prctl: then no signal will ever come
    if os.getppid() != parent:
        os._exit(1)


def _address_space() -> int:
    """This process's virtual memory size in bytes (what ``RLIMIT_AS`` counts)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * _PAGE


def _limit_memory(extra: int) -> int:
    """Cap the address space at its current size plus ``extra`` bytes; return the size at start."""
    size = _address_space()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return size


def _limit_cpu(seconds: int) -> None:
    """Let the kernel stop this process after ``seconds`` more CPU seconds (``SIGXCPU``)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds if hard == resource.RLIM_INFINITY else min(used + seconds, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _worker_main(
    conn: Connection, store_path: str | None, inherited: EmbeddedStore | None, limits: WorkerLimits
) -> None:
    """The loop of a worker process: receive a job's frame, send back the answer's frame."""
    # the death signal follows the thread that started the worker: the pool starts workers from
    # the thread that runs its event loop, which lives as long as the pool
    _die_with_parent(limits.parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # a worker ended by a signal must not write a core file of its (store-sized) memory
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
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
    if limits.forbid_network:
        forbid_network()
    size = _limit_memory(limits.memory) if limits.memory is not None else _address_space()
    conn.send_bytes(pickle.dumps(("ready", size)))
    fd = conn.fileno()
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            os._exit(0)
        if limits.cpu_seconds is not None:
            _limit_cpu(limits.cpu_seconds)
        try:
            reply = reply_parts(run_job(store, decode_job(data)))
        except CoopgraphError as exc:
            reply = _error_parts(exc)
        except MemoryError:
            reply = error_parts("MemoryError", "")
        except Exception as exc:  # the worker must survive any query
            reply = error_parts("QueryError", f"the query failed: {exc}")
        try:
            write_frame(fd, reply)
        except OSError:
            os._exit(0)


def _expire(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.ready = False
        self.idle_since = 0.0
        self.generation = 0
        self.watched_by: asyncio.AbstractEventLoop | None = None
        """The event loop that watches the pipe for answers, from the worker's first query on."""
        self.pending: asyncio.Future[Answer] | None = None
        """The answer of the query the worker runs, when it runs one."""

    def unwatch(self) -> None:
        """Stop watching the pipe (before it is closed: the loop must not watch a closed descriptor)."""
        loop, self.watched_by = self.watched_by, None
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(OSError, ValueError, RuntimeError):
                loop.remove_reader(self.conn.fileno())

    def kill(self) -> None:
        """Kill the process and wait for it (shutting down)."""
        self.stop()
        self.process.join(1.0)

    def stop(self) -> None:
        """Kill the process without waiting: freeing gigabytes of a runaway takes the kernel a while."""
        self.unwatch()
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.exitcode is None:
            self.process.kill()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


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
        Number of workers kept running.
    timeout
        Seconds a query may run, from when a worker takes it.
    max_processes
        Most workers; the pool grows up to it while queries wait (default: ``processes``).
    queue_wait
        Seconds a query may wait for a worker (default: ``timeout``).
    memory
        Bytes a worker may add to its size at start (default: no limit).
    forbid_network
        Keep the workers off the network (:func:`coopgraph.sandbox.forbid_network`).

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

    def __init__(
        self,
        store: EmbeddedStore,
        processes: int = 2,
        timeout: float = 10.0,
        *,
        max_processes: int | None = None,
        queue_wait: float | None = None,
        memory: int | None = None,
        forbid_network: bool = False,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.store = store
        self.processes = max(1, processes)
        self.max_processes = max(self.processes, max_processes or 0)
        self.timeout = timeout
        self.queue_wait = timeout if queue_wait is None else queue_wait
        self.memory = memory
        self.forbid_network = forbid_network
        self.idle_seconds = idle_seconds
        self._limits = WorkerLimits(
            os.getpid(), memory, math.ceil(timeout) + 2 if timeout else None, forbid_network
        )
        self._forked = store.path is None
        self._context = multiprocessing.get_context("fork" if self._forked else "spawn")
        self._workers: list[_Worker] = []
        # idle workers, the most recently used last: a sequence of queries keeps going to the
        # same worker, whose caches are warm (about 5% of a 10 ms query when workers alternate)
        self._idle: list[_Worker] = []
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shrinking: asyncio.TimerHandle | None = None
        self._starting = 0
        self._generation = 0
        self.restarts = 0
        """Workers replaced because they did not answer a query: killed at the time limit, dead
        (a crash, the memory limit, or ended while idle), or killed when the request went away
        mid-query. Workers replaced after a write (:meth:`renew`) are not counted."""

    def renew(self, store: EmbeddedStore) -> None:
        """Serve from ``store`` from now on (after a write): idle workers are replaced at once,
        busy ones when their query ends, so no query starts on the old content."""
        self.store = store
        self._generation += 1
        if not self._workers:
            return  # not started: the workers will open the new store
        if self._loop is None or self._loop.is_closed():
            # no query has run yet: every worker is idle, replaced here and now
            for worker in self._workers:
                worker.kill()
            self._workers, self._idle = [], []
        stale, self._idle = self._idle, []
        for worker in stale:
            self._workers.remove(worker)
            if self._loop is not None and not self._loop.is_closed():
                self._retire(worker, self._loop)
            else:
                worker.kill()
        while len(self._workers) < self.processes:
            if self._loop is not None and not self._loop.is_closed():
                self._grow(self._loop)
            else:
                worker = self._spawn()
                self._workers.append(worker)
                self._wait_ready(worker)

    def start(self) -> None:
        """Start the workers and wait until they are ready (call after the store is loaded)."""
        self.store.flush()
        if self.forbid_network and not network_filter_supported():
            log.warning(
                "query workers cannot be kept off the network on this platform (no seccomp filter "
                "for %s %s); SERVICE is still refused before a query runs",
                sys.platform,
                platform.machine(),
            )
        self._workers = [self._spawn() for _ in range(self.processes)]
        for worker in self._workers:
            self._wait_ready(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        inherited = self.store if self._forked else None
        path = None if self.store.path is None else str(self.store.path)
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child, path, inherited, self._limits),
            daemon=True,
            name="coopgraph-query",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        worker.generation = self._generation
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        """Block until ``worker`` says it is ready (start-up, or a pool moving to a new loop)."""
        try:
            if not worker.conn.poll(START_SECONDS):
                raise QueryAborted(f"a query worker did not start within {START_SECONDS:g} s")
            self._ready(worker, worker.conn.recv_bytes())
        except (EOFError, OSError) as exc:
            raise QueryAborted(f"a query worker stopped while starting: {self._how_it_died(worker)}") from exc

    def _ready(self, worker: _Worker, data: bytes) -> None:
        kind, _size = pickle.loads(data)
        if kind != "ready":
            raise QueryAborted(f"a query worker sent {kind!r} instead of saying it is ready")
        worker.ready = True

    def _on_loop(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # a new event loop (tests run several): what the old one held is lost with it
            self._loop = loop
            self._waiting.clear()
            self._shrinking = None
            self._starting = 0
            for worker in self._workers:
                if not worker.ready:
                    self._wait_ready(worker)
                worker.idle_since = loop.time()
            self._idle = list(self._workers)
        return loop

    def free(self) -> int:
        """Workers a query could take now or by growing the pool (idle, or not yet started)."""
        return self.max_processes - len(self._workers) + len(self._idle)

    def _release(self, worker: _Worker) -> None:
        if worker.generation != self._generation and self._loop is not None:
            self._replace(worker, self._loop)  # it serves content a write has replaced
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        assert self._loop is not None
        worker.idle_since = self._loop.time()
        self._idle.append(worker)
        if len(self._workers) > self.processes and self._shrinking is None:
            self._shrinking = self._loop.call_later(self.idle_seconds / 2, self._shrink)

    def _shrink(self) -> None:
        """Stop workers above ``processes`` that have been idle ``idle_seconds``."""
        assert self._loop is not None
        self._shrinking = None
        now = self._loop.time()
        while len(self._workers) > self.processes and self._idle:
            oldest = self._idle[0]  # the least recently used
            if now - oldest.idle_since < self.idle_seconds:
                break
            self._idle.pop(0)
            self._workers.remove(oldest)
            self._retire(oldest, self._loop)
        if len(self._workers) > self.processes:
            self._shrinking = self._loop.call_later(self.idle_seconds / 2, self._shrink)

    def _grow(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start one more worker; it goes to the first waiting query once it is ready."""
        worker = self._spawn()
        self._workers.append(worker)
        self._starting += 1
        fd = worker.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            self._starting -= 1
            try:
                os.set_blocking(fd, True)
                self._ready(worker, worker.conn.recv_bytes())
            except (EOFError, OSError, QueryAborted) as exc:
                log.warning("a query worker stopped while starting (%s): %s", exc, self._how_it_died(worker))
                if worker in self._workers:
                    self._workers.remove(worker)
                worker.kill()
                return
            self._release(worker)

        loop.add_reader(fd, readable)

    async def _acquire(self, loop: asyncio.AbstractEventLoop) -> _Worker:
        if self._idle:
            return self._idle.pop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiting.append(waiter)
        if len(self._workers) < self.max_processes and self._starting < len(self._waiting):
            self._grow(loop)
        timer = loop.call_later(self.queue_wait, _expire, waiter)
        try:
            return await waiter
        except TimeoutError:
            raise QueueTimeout(self.queue_wait, retry_after=max(1, math.ceil(self.queue_wait))) from None
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # handed over just as the caller went away
            raise
        finally:
            timer.cancel()

    async def run(self, job: Job) -> Answer:
        """Run ``job`` in a free worker.

        Parameters
        ----------
        job
            The query.

        Returns
        -------
        Answer
            The serialised answer.

        Raises
        ------
        QueueTimeout
            No worker became free within ``queue_wait``.
        QueryTimeout
            The query ran past the time limit.
        QueryMemoryExceeded
            The query needed more than ``memory``.
        QueryAborted
            The worker died running the query.
        """
        loop = self._on_loop()
        worker = await self._acquire(loop)
        self._watch(worker, loop)
        future: asyncio.Future[Answer] = loop.create_future()
        worker.pending = future
        timer = loop.call_later(self.timeout, _expire, future)
        healthy = False
        try:
            worker.conn.send_bytes(encode_job(job))
            try:
                answer = await future
            except (QueryError, QueryRefused, QueryMemoryExceeded):
                healthy = True  # the worker answered: it reported the query's error
                raise
            healthy = True
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None
        except (EOFError, OSError) as exc:
            raise self._death(worker) from exc
        finally:
            timer.cancel()
            worker.pending = None
            if healthy:
                self._release(worker)
            else:
                self.restarts += 1
                self._replace(worker, loop)
        return answer

    def _watch(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Have ``loop`` watch the worker's pipe for answers, once for the worker's life.

        Watching for each query cost more than a small query's parsing (adding and removing a
        reader: about 15 µs on uvloop).
        """
        if worker.watched_by is loop:
            return
        worker.unwatch()
        loop.add_reader(worker.conn.fileno(), self._answered, worker)
        # uvloop makes a watched descriptor non-blocking; an answer is read whole, and a job of
        # any size is written whole
        os.set_blocking(worker.conn.fileno(), True)
        worker.watched_by = loop

    def _answered(self, worker: _Worker) -> None:
        """The worker's pipe is readable: its answer to the pending query, or its end."""
        future, worker.pending = worker.pending, None
        if future is not None and future.done():
            worker.unwatch()  # the query was given up: the worker is being replaced
            return
        if future is None:
            # nothing was asked of it: it ended while idle (killed, out of memory...), and is
            # replaced now rather than failing the next query
            worker.unwatch()
            if worker in self._idle and self._loop is not None:
                log.warning("an idle query worker ended: %s; it is replaced", self._how_it_died(worker))
                self._idle.remove(worker)
                self.restarts += 1
                self._replace(worker, self._loop)
            return
        try:
            future.set_result(read_reply(worker.conn.fileno(), self.memory))
        except (EOFError, OSError, CoopgraphError) as exc:
            future.set_exception(exc)

    def _how_it_died(self, worker: _Worker) -> str:
        worker.process.join(1.0)
        code = worker.process.exitcode
        if code is None:
            return "still running"
        return f"ended by {_signal_name(-code)}" if code < 0 else f"exited with status {code}"

    def _death(self, worker: _Worker) -> CoopgraphError:
        """The error of a query whose worker died before answering."""
        # the pipe closes when the process ends: it has exited or is about to
        worker.process.join(1.0)
        code = worker.process.exitcode
        if code is None or code >= 0:
            status = "still running" if code is None else f"status {code}"
            return QueryAborted(
                f"the query worker stopped before answering ({status}); the worker was replaced"
            )
        number = -code
        name = _signal_name(number)
        log.warning("a query worker was ended by %s while running a query", name)
        if number == signal.SIGABRT and self.memory is not None:
            # the engine aborts when an allocation fails, which its address-space limit causes
            return QueryMemoryExceeded(self.memory, name)
        if number == signal.SIGXCPU:
            return QueryTimeout(self.timeout)
        if number == signal.SIGKILL:
            return QueryAborted(
                "the query worker was killed (SIGKILL) before answering, e.g. by the system running "
                "out of memory; the worker was replaced",
                name,
            )
        return QueryAborted(
            f"the query engine crashed ({name}) running this query; the worker was replaced. "
            "A very deeply nested query can do this: simplify it",
            name,
        )

    def _retire(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Stop ``worker`` and reap it once it has ended, without holding up the event loop."""
        worker.stop()
        if worker.process.exitcode is None:  # polls, and reaps an ended process
            loop.call_later(0.1, self._retire, worker, loop)

    def _replace(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        self._retire(worker, loop)
        self._workers.remove(worker)
        if len(self._workers) < self.processes or self._waiting:
            self._grow(loop)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers]

    def close(self) -> None:
        """Stop every worker."""
        if self._shrinking is not None:
            self._shrinking.cancel()
            self._shrinking = None
        for worker in self._workers:
            if not worker.ready and self._loop is not None and not self._loop.is_closed():
                with contextlib.suppress(OSError, RuntimeError):
                    self._loop.remove_reader(worker.conn.fileno())
            worker.kill()
        self._workers = []
        self._idle = []
        self._waiting.clear()
