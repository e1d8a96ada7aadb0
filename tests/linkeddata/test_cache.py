"""Tests of coopgraph.linkeddata.cache: values and Last-Modified per store version, ETags."""

from __future__ import annotations

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
