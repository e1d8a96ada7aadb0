"""Loads are crash-safe and bounded: ``coopgraph load`` killed with SIGKILL at several points of a
load into an existing graph leaves the graph with its old content or its new one, whole, and no
staging graph, for the next writer and for the service; a large file loads in memory that does
not grow with it; validation refuses what it cannot hold and says how to load it instead."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
TRIPLES = 20_000
"""Triples of the old and of the new content (enough for each step of a load to take a while)."""
POLL_SECONDS = 0.002
"""How often a killer reads the journal of the load it watches."""


@dataclass(frozen=True)
class KillPoint:
    """Kill a load ``fraction`` of the way through ``step``, as long as it took in a whole load.

    The steps are ``start`` (from the command's start until it writes the journal) and those its
    journal names as it goes: ``fill`` (the staging graph), ``switch`` (emptying the old graph,
    copying the new one in) and ``drop`` (the staging graph).
    """

    step: str
    fraction: float

    @property
    def key(self) -> str:
        return f"{self.step}+{self.fraction:.0%}"


KILL_POINTS = (
    KillPoint("start", 0.1),
    KillPoint("fill", 0.5),
    KillPoint("switch", 0.0),
    KillPoint("switch", 0.5),
    KillPoint("drop", 0.5),
)
"""One kill before the load writes anything, then one in each step of a load into an existing
graph. A kill waits until the journal names its step, so it lands in that step however fast
the machine is, and the loads can run side by side."""
SERVED = KillPoint("switch", 0.5).key
"""The kill whose store the service opens as the kill left it."""


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


def journal_step(folder: Path) -> str | None:
    """The step the journal of the store in ``folder`` names, ``None`` when there is no journal."""
    try:
        return str(json.loads((folder / JOURNAL_FILE).read_text("utf-8"))["step"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def timed_load(folder: Path, source: Path) -> dict[str, float]:
    """Load ``source`` into the store in ``folder`` whole; how long each step took, in seconds."""
    began = {"start": time.monotonic()}
    process = subprocess.Popen(
        load_command(source), env=cli_env(folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    while process.poll() is None:
        step = journal_step(folder)
        if step is not None and step not in began:
            began[step] = time.monotonic()
        time.sleep(POLL_SECONDS)
    began["end"] = time.monotonic()
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    assert list(began) == ["start", "fill", "switch", "drop", "end"], began
    return {step: began[after] - began[step] for step, after in itertools.pairwise(began)}


def killed_load(folder: Path, source: Path, point: KillPoint, seconds: dict[str, float]) -> None:
    """Load ``source`` into the store in ``folder`` and SIGKILL it at ``point``.

    ``seconds`` is how long each step took in a whole load.
    """
    process = subprocess.Popen(
        load_command(source), env=cli_env(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 600
        while point.step != "start" and journal_step(folder) != point.step:
            assert process.poll() is None, f"{point.key}: the load ended before its step"
            assert time.monotonic() < deadline, f"{point.key}: the load never reached its step"
            time.sleep(POLL_SECONDS)
        time.sleep(point.fraction * seconds[point.step])
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(30)


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
    seconds = timed_load(whole, new_file)
    new = raw_content(whole)
    assert new.triples == old.triples == TRIPLES and new.digest != old.digest
    killed = {point.key: root / f"killed-{point.key}" for point in KILL_POINTS}
    for folder in killed.values():
        shutil.copytree(base, folder)
    # each kill waits for its own step, so the loads may run side by side
    with ThreadPoolExecutor(len(KILL_POINTS)) as pool:
        for done in [
            pool.submit(killed_load, killed[point.key], new_file, point, seconds) for point in KILL_POINTS
        ]:
            done.result()
    seen = {key: raw_content(folder) for key, folder in killed.items()}
    journals = {key: (folder / JOURNAL_FILE).exists() for key, folder in killed.items()}
    return Crashes(old, new, killed, seen, journals)


def test_some_kills_land_in_the_middle_of_a_load(crashes: Crashes) -> None:
    # the probe means something only if some kills left the store half-way
    torn = [
        key
        for key, content in crashes.before_recovery.items()
        if crashes.journal_left[key] or content not in (crashes.old, crashes.new)
    ]
    assert len(torn) >= 3, (crashes.before_recovery, crashes.journal_left)


def test_after_a_kill_the_next_writer_finds_the_old_or_the_new_graph_whole(crashes: Crashes) -> None:
    for key, folder in crashes.killed.items():
        if key == SERVED:
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
    """The service over the store killed half-way through the switch, opened as the kill left it."""
    key = SERVED
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
