"""The write side of the service: one writer at a time, the gate, the commit, the audit line.

:class:`WriteSide` is opened by the service when tokens are configured. A write is prepared
(parsed, applied to a copy, validated) in a thread while the event loop goes on answering
queries; it is committed on the event loop, and the query workers are renewed there at once
(:meth:`QueryRunner.renew`), so that no query that starts after the store's version changed runs
on the old content and no stale answer is cached under the new version. Writes are serialised
by one lock: a POST or an update is prepared on the content the previous write left.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from coopgraph.audit import AuditLog, audit_path
from coopgraph.auth.tokens import TokenInfo, TokenStore, tokens_path
from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, Forbidden
from coopgraph.gate.change import Change, check_change, commit_change, refuse_unless_conforms
from coopgraph.protocol.runner import QueryRunner
from coopgraph.store import Store
from coopgraph.validation import ValidationReport


@dataclass(frozen=True)
class Committed:
    """What a committed write did: the graphs and their sizes afterwards, the new store version,
    the seconds spent validating and committing."""

    graphs: dict[str, int]
    version: str
    added: int
    removed: int
    validate_seconds: float
    commit_seconds: float


class WriteSide:
    """The service's writer.

    Parameters
    ----------
    store
        The service's store (open for writing).
    settings
        Where the shapes, the tokens and the audit log are.
    runner
        The query runner whose workers are renewed after each write.
    writable
        Whether the store was left open for writing at start-up (tokens were configured then).
    """

    def __init__(self, store: Store, settings: Settings, runner: QueryRunner | None, writable: bool) -> None:
        self.store = store
        self.settings = settings
        self.runner = runner
        self.writable = writable
        self.tokens = TokenStore(tokens_path(settings))
        self.audit = AuditLog(audit_path(settings))
        self.lock = asyncio.Lock()

    def refuse_if_off(self) -> None:
        """:class:`Forbidden` when the service was started without tokens (it does not write)."""
        if not self.writable:
            raise Forbidden(
                "writes are off: the service was started with no token configured "
                "(coopgraph token create, then restart the service)"
            )

    async def write(
        self,
        who: TokenInfo,
        operation: str,
        read: Callable[[], Awaitable[bytes]],
        prepare: Callable[[bytes], Change],
        lang: str = "en",
        after: Callable[[Change], object] | None = None,
    ) -> Committed:
        """Read the body, prepare the change (in a thread), validate, commit, and log it, whatever the outcome.

        Parameters
        ----------
        who
            The token holder asking.
        operation
            What is asked (``PUT <graph>``...), for the audit log until the change says.
        read
            Reads the request body (refusing it past the size limit).
        prepare
            Builds the change from the body and the store's current content (run under the
            write lock, in a thread).
        lang
            Language of the validation messages.
        after
            Run once the change is committed, still under the write lock (in a thread): what
            must change with the store and before the next write (a submission's status).

        Raises
        ------
        ValidationFailed
            The change does not conform (422, with the report); nothing was written.
        CoopgraphError
            Any refusal of the request; nothing was written.
        """
        entry: dict[str, Any] = {"who": who.name, "role": who.role.value, "operation": operation}
        try:
            self.refuse_if_off()
            body = await read()
            entry.update(bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
            async with self.lock:
                start = time.perf_counter()
                change, report = await asyncio.to_thread(self._prepare_and_check, prepare, body, lang)
                entry.update(operation=change.operation, graphs=sorted(change.graphs))
                refuse_unless_conforms(report)
                validated = time.perf_counter()
                # on the event loop: the version changes and the workers are renewed with no
                # query dispatched in between
                sizes = commit_change(self.store, change)
                if self.runner is not None:
                    self.runner.renew(self.store.snapshot())
                done = time.perf_counter()
                if after is not None:
                    await asyncio.to_thread(after, change)
        except CoopgraphError as exc:
            entry.update(result="refused", error=type(exc).__name__, reason=str(exc)[:500])
            await asyncio.to_thread(self.audit.append, **entry)
            raise
        committed = Committed(
            sizes, self.store.version(), change.added, change.removed, validated - start, done - validated
        )
        entry.update(result="committed", sizes=sizes, added=change.added, removed=change.removed)
        await asyncio.to_thread(self.audit.append, **entry)
        return committed

    def _prepare_and_check(
        self, prepare: Callable[[bytes], Change], body: bytes, lang: str
    ) -> tuple[Change, ValidationReport]:
        change = prepare(body)
        if not any(triples for triples in change.graphs.values()):
            return change, ValidationReport(True, [], [], Graph())  # only removals: nothing to validate
        return change, check_change(self.store, change, self.settings, lang)
