"""What is computed once per store version: a cache keyed by the version, and its HTTP validators.

The ETag of a response hashes the store's version, the resource and the format, so a client
revalidates for free until the data change; Last-Modified is the moment this process first saw
the current store version.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import TypeVar

T = TypeVar("T")


def etag_for(*parts: str) -> str:
    """A strong ETag over the given parts (store version, resource, format...).

    Examples
    --------
    >>> etag_for("v1", "a") == etag_for("v1", "a") != etag_for("v2", "a")
    True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
    return f'"{digest}"'


class VersionedCache:
    """Values built once per store version; thread-safe, cleared when it grows past ``limit``.

    Concurrent callers asking for the same missing value wait for one build instead of each
    building it (an index built at first use is built once, in the thread that first asks).

    Parameters
    ----------
    version
        Returns the store's current version token.
    limit
        How many values are kept before the cache starts afresh.

    Examples
    --------
    >>> versions = iter(["v1", "v1", "v2"])
    >>> cache = VersionedCache(lambda: next(versions))
    >>> cache.get(("k",), lambda: 1), cache.get(("k",), lambda: 2), cache.get(("k",), lambda: 3)
    (1, 1, 3)
    """

    def __init__(self, version: Callable[[], str], limit: int = 4096) -> None:
        self.version = version
        self.limit = limit
        self._lock = threading.Lock()
        self._seen: dict[str, datetime] = {}
        self._values: dict[tuple[Hashable, ...], object] = {}
        self._building: dict[tuple[Hashable, ...], threading.Lock] = {}

    def last_modified(self) -> datetime:
        """When this process first saw the store's current version (whole seconds, UTC)."""
        version = self.version()
        with self._lock:
            if version not in self._seen:
                self._seen[version] = datetime.now(UTC).replace(microsecond=0)
            return self._seen[version]

    def get(
        self, key: tuple[Hashable, ...], build: Callable[[], T], keep: Callable[[T], bool] | None = None
    ) -> T:
        """The value of ``key`` for the current version, built (outside the cache's lock) if missing.

        Parameters
        ----------
        key
            What the value is, within one store version.
        build
            Makes the value; run once even when several threads ask at the same time.
        keep
            Whether a built value is worth keeping; values it refuses (say, the empty
            description of an IRI nobody publishes) are returned but not stored, so requests
            for made-up keys cannot fill the cache.

        Examples
        --------
        >>> cache = VersionedCache(lambda: "v1")
        >>> cache.get(("empty",), list, keep=bool), len(cache)
        ([], 0)
        """
        full = (self.version(), *key)
        with self._lock:
            if full in self._values:
                return self._values[full]  # type: ignore[return-value]
            building = self._building.setdefault(full, threading.Lock())
        with building:
            with self._lock:
                if full in self._values:
                    return self._values[full]  # type: ignore[return-value]
            try:
                value = build()
                kept = keep is None or keep(value)
                with self._lock:
                    if kept:
                        if len(self._values) > self.limit:
                            self._values.clear()
                        self._values[full] = value
            finally:
                with self._lock:
                    self._building.pop(full, None)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)
