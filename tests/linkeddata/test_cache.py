"""Tests of coopgraph.linkeddata.cache: values and Last-Modified per store version, ETags."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from coopgraph.linkeddata.cache import VersionedCache, etag_for


class Versions:
    """A store version that the test moves on by hand."""

    def __init__(self) -> None:
        self.current = "v1"

    def __call__(self) -> str:
        return self.current


def test_values_are_built_once_per_version() -> None:
    versions = Versions()
    cache = VersionedCache(versions)
    builds: list[str] = []

    def build() -> str:
        builds.append(versions.current)
        return f"value at {versions.current}"

    assert cache.get(("k",), build) == "value at v1"
    assert cache.get(("k",), build) == "value at v1"
    versions.current = "v2"
    assert cache.get(("k",), build) == "value at v2"
    assert builds == ["v1", "v2"]


def test_a_full_cache_starts_afresh() -> None:
    cache = VersionedCache(lambda: "v", limit=2)
    for key in "abcd":  # the fourth value finds three kept, more than the limit
        cache.get((key,), lambda key=key: key)
    assert cache.get(("d",), lambda: "d again") == "d"
    calls: list[str] = []
    assert cache.get(("a",), lambda: calls.append("a") or "a again") == "a again"
    assert calls == ["a"]


def test_last_modified_is_kept_per_version() -> None:
    versions = Versions()
    cache = VersionedCache(versions)
    first = cache.last_modified()
    assert cache.last_modified() == first
    versions.current = "v2"
    assert cache.last_modified() >= first
    versions.current = "v1"
    assert cache.last_modified() == first


def test_etags_are_quoted_and_depend_on_every_part() -> None:
    tag = etag_for("v1", "party/x", "text/turtle")
    assert tag.startswith('"') and tag.endswith('"')
    assert tag != etag_for("v1", "party/x", "application/ld+json")
    assert etag_for("v2", "party/x", "text/turtle") != tag


def test_concurrent_callers_share_one_build() -> None:
    asked = threading.Semaphore(0)

    def version() -> str:
        asked.release()  # a caller has entered get()
        return "v"

    cache = VersionedCache(version)
    release = threading.Event()
    builds: list[int] = []

    def build() -> str:
        builds.append(1)
        release.wait(5)
        return "index"

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(cache.get, ("index",), build) for _ in range(4)]
        for _ in futures:
            assert asked.acquire(timeout=5)
        release.set()
        values = [f.result(5) for f in futures]
    assert values == ["index"] * 4
    assert builds == [1]


def test_values_keep_refuses_are_returned_but_not_stored() -> None:
    cache = VersionedCache(lambda: "v")
    for n in range(100):
        assert cache.get(("describe", f"made-up-{n}"), list, keep=bool) == []
    assert len(cache) == 0
    assert cache.get(("describe", "real"), lambda: [1], keep=bool) == [1]
    assert len(cache) == 1


def test_a_failed_build_is_not_stored_and_can_be_retried() -> None:
    cache = VersionedCache(lambda: "v")

    def fail() -> str:
        raise RuntimeError("store unavailable")

    with pytest.raises(RuntimeError):
        cache.get(("k",), fail)
    assert cache.get(("k",), lambda: "built") == "built"
