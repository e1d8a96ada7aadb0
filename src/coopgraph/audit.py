"""The audit log: one JSON line per write, appended and fsync'd before the answer goes out.

Every write the service is asked to make (a Graph Store PUT, POST or DELETE, a SPARQL Update)
adds one line, whether it was committed or refused: who (the token's name and role), what (the
operation, the graphs, the size of the body and a hash of it), when (UTC) and the result
(``committed`` with the triple counts, or ``refused`` with the status and reason). The file is
opened with ``O_APPEND`` for each line, so lines of concurrent writers never interleave, and is
never rewritten.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coopgraph.config import Settings

AUDIT_FILE = "audit.jsonl"
"""The log's name in the store folder (``COOPGRAPH_AUDIT_LOG`` overrides the path)."""


def audit_path(settings: Settings) -> Path:
    """Where the settings keep the audit log.

    >>> audit_path(Settings(store_dir="/tmp/s")).as_posix()
    '/tmp/s/audit.jsonl'
    """
    return settings.audit_log or settings.store_path / AUDIT_FILE


class AuditLog:
    """An append-only JSON-lines file of writes.

    Parameters
    ----------
    path
        The file (created with mode 0600 on the first entry).

    Examples
    --------
    >>> import tempfile
    >>> log = AuditLog(Path(tempfile.mkdtemp()) / "audit.jsonl")
    >>> entry = log.append(who="alice", role="curator", operation="PUT", graphs=["http://e/g"], result="committed")
    >>> [e["who"] for e in log.entries()]
    ['alice']
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, **fields: Any) -> dict[str, Any]:
        """Write one entry (``when`` is added) and fsync it; return the entry."""
        entry = {"when": datetime.now(UTC).isoformat(timespec="milliseconds"), **fields}
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first (a line that does not parse, cut by a crash, is skipped)."""
        try:
            with self.path.open("r", encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(entry, Mapping):
                        yield dict(entry)
        except FileNotFoundError:
            return
