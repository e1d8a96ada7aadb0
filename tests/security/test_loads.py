"""Loads are crash-safe and bounded: ``coopgraph load`` killed with SIGKILL at several points of a
load into an existing graph leaves the graph with its old content or its new one, whole, and no
staging graph, for the next writer and for the service; a large file loads in memory that does
not grow with it; validation refuses what it cannot hold and says how to load it instead."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore
from coopgraph.store.embedded import JOURNAL_FILE, STAGING_GRAPH
from support.services import Running, serve, service_env

GRAPH = "https://w3id.org/coopgraph/graph/crash-test"
TRIPLES = 40_000
"""Triples of the old and of the new content (enough for each step of a load to take a while)."""
FIXED_KILLS = (0.2, 0.5, 1.0, 2.0)
FRACTIONS = (0.3, 0.5, 0.65, 0.8, 0.9, 0.97)
"""Kill points as fractions of the time a whole load takes on this machine (the steps after
the fill: emptying the old graph, copying the new one in, dropping the staging graph)."""


def generate(path: Path, triples: int, tag: str) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for n in range(triples):
            f.write(
                f'<https://w3id.org/coopgraph/id/test/{tag}/s{n // 5}> <https://w3id.org/coopgraph/def#p{n % 5}> "{tag} {n}" .\n'
            )
    return path


@dataclass(frozen=True)
class Content:
    """The named graphs of a store, and the size and hash of the crash-test graph."""

    graphs: tuple[str, ...]
    triples: int
    digest: str


def content_of(store: ox.Store) -> Content:
    lines = sorted(str(q.triple) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH)))
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return Content(tuple(sorted(g.value for g in store.named_graphs())), len(lines), digest)


def raw_content(folder: Path) -> Content:
    """What is on disk, read without any recovery."""
    store = ox.Store.read_only(str(folder))
    try:
        return content_of(store)
    finally:
        del store


def cli_env(store_dir: Path) -> dict[str, str]:
    return service_env(Settings().project_dir, store_dir=str(store_dir))


def load_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "coopgraph.cli", "load", "--no-validate", "--graph", GRAPH, str(path)]


@dataclass
class Crashes:
    """A base store holding the old content, the new file, and the stores of the killed loads."""

    old: Content
    new: Content
    killed: dict[str, Path]
    before_recovery: dict[str, Content]
    journal_left: dict[str, bool]


@pytest.fixture(scope="module")
def crashes(tmp_path_factory: pytest.TempPathFactory) -> Crashes:
    root = tmp_path_factory.mktemp("crashes")
    old_file = generate(root / "old.nt", TRIPLES, "old")
    new_file = generate(root / "new.nt", TRIPLES, "new")
    base = root / "base"
    store = EmbeddedStore(base)
    store.replace_graph(GRAPH, [old_file])
    store.close()
    old = raw_content(base)
    whole = root / "whole"
    shutil.copytree(base, whole)
    start = time.monotonic()
    done = subprocess.run(
        load_command(new_file), env=cli_env(whole), capture_output=True, text=True, timeout=600
    )
    duration = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    new = raw_content(whole)
    assert new.triples == old.triples == TRIPLES and new.digest != old.digest
    delays = [*FIXED_KILLS, *(f * duration for f in FRACTIONS)]
    killed, seen, journals = {}, {}, {}
    for delay in delays:
        folder = root / f"killed-{delay:.2f}"
        shutil.copytree(base, folder)
        process = subprocess.Popen(
            load_command(new_file), env=cli_env(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        key = f"{delay:.2f}s"
        killed[key] = folder
        seen[key] = raw_content(folder)
        journals[key] = (folder / JOURNAL_FILE).exists()
    return Crashes(old, new, killed, seen, journals)


def test_some_kills_land_in_the_middle_of_a_load(crashes: Crashes) -> None:
    # the probe means something only if some kills left the store half-way
    torn = [
        key
        for key, content in crashes.before_recovery.items()
        if crashes.journal_left[key] or content not in (crashes.old, crashes.new)
    ]
    assert len(torn) >= 2, crashes.before_recovery


def test_after_a_kill_the_next_writer_finds_the_old_or_the_new_graph_whole(crashes: Crashes) -> None:
    for key, folder in crashes.killed.items():
        if key == sorted(crashes.killed)[-1]:
            continue  # left for the service to open (below)
        store = EmbeddedStore(folder)
        content = content_of(store.oxigraph)
        store.close()
        assert content in (crashes.old, crashes.new), (key, content, crashes.before_recovery[key])
        assert not any(STAGING_GRAPH.search(g) for g in content.graphs)
        assert not (folder / JOURNAL_FILE).exists()


def test_a_later_load_leaves_the_new_content_and_no_staging_graph(crashes: Crashes) -> None:
    torn = next(
        k
        for k in crashes.killed
        if crashes.journal_left[k] or crashes.before_recovery[k].graphs != crashes.old.graphs
    )
    folder = crashes.killed[torn]
    source = folder.parent / "new.nt"
    result = subprocess.run(
        load_command(source), env=cli_env(folder), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert raw_content(folder) == crashes.new


@pytest.fixture(scope="module")
def service(crashes: Crashes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, str]]:
    """The service over the store of the last kill, opened as the kill left it."""
    key = sorted(crashes.killed)[-1]
    project = tmp_path_factory.mktemp("project")
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(Settings().project_dir / name, project / name)
    (project / "data").mkdir()
    env = service_env(
        project, store_dir=str(crashes.killed[key]), publish_analysis="false", query_workers="1"
    )
    with serve(env, tmp_path_factory.mktemp("log") / "service.log") as running:
        yield running, key


def test_the_service_never_serves_a_staging_graph(service: tuple[Running, str], crashes: Crashes) -> None:
    running, key = service
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = httpx.get(
        running.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    sizes = {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}
    assert not [g for g in sizes if STAGING_GRAPH.search(g)], sizes
    assert sizes[GRAPH] == TRIPLES, (key, crashes.before_recovery[key])
    lines = httpx.get(
        running.sparql,
        params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/n-triples"},
    )
    assert lines.status_code == 200
    served = sorted(str(quad.triple) for quad in ox.parse(lines.content, format=ox.RdfFormat.N_TRIPLES))
    digest = hashlib.sha256("\n".join(served).encode()).hexdigest()
    assert digest in (crashes.old.digest, crashes.new.digest)


# -- large files ------------------------------------------------------------------------------


def peak_rss(command: list[str], env: dict[str, str], timeout: float = 600) -> tuple[int, int, str]:
    """Exit status, peak resident bytes (from ``wait4``) and stderr of ``command``."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    err = process.stderr.read().decode() if process.stderr else ""
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, err


def test_a_file_over_the_validation_limit_is_refused_and_loads_without_validation(tmp_path: Path) -> None:
    big = generate(tmp_path / "big.nt", 20_000, "big")
    env = {**cli_env(tmp_path / "store"), "COOPGRAPH_MAX_VALIDATE_BYTES": str(big.stat().st_size // 2)}
    for args in (["validate"], ["load"]):
        status, _, err = peak_rss([sys.executable, "-m", "coopgraph.cli", *args, str(big)], env)
        assert status == 2, err
        assert f"error: {big}: " in err and "coopgraph load --no-validate" in err
    status, _, err = peak_rss(load_command(big), env)
    assert status == 0, err
    assert f"{big}: 20000 triples in <{GRAPH}>" in err


def test_load_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small = generate(tmp_path / "small.nt", 20_000, "small")
    large = generate(tmp_path / "large.nt", 400_000, "large")
    peaks = {}
    for path in (small, large):
        status, peaks[path.name], err = peak_rss(load_command(path), cli_env(tmp_path / f"store-{path.stem}"))
        assert status == 0, err
    grown = peaks["large.nt"] - peaks["small.nt"]
    # twenty times the triples: the in-memory load of old grew by about 14 bytes per byte of file
    assert grown < 3 * large.stat().st_size, peaks
