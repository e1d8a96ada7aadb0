"""Parsers never fetch and never explode: hostile RDF files through ``coopgraph validate``,
``coopgraph load`` (with and without validation) and the service's start-up load.

JSON-LD naming a context by IRI (``http:``, ``file:``, nested, scoped, ``@import``) makes no
request to the canary and opens no file; RDF/XML that declares entities ("billion laughs", one
large entity referenced 50,000 times, the same in UTF-16) or names an external DTD is refused
with its file and line before any parser runs, well within a second and a memory cap.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from coopgraph.config import Settings
from support.canary import Canary, canary_server
from support.processes import free_port
from support.services import Running, serve, service_env

MEMORY_CAP = 3 << 30
"""Address space a command may take (RocksDB reserves some): an entity expansion hits it in seconds."""
COMMANDS = {
    "validate": ["validate"],
    "load": ["load"],
    "load --no-validate": ["load", "--no-validate"],
}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EX = "https://w3id.org/coopgraph/id/test/"
PROJECT_CONTEXT = "https://w3id.org/coopgraph/context.jsonld"


@dataclass
class Watched:
    """A FIFO standing for a local context file, and whether anything opened it."""

    path: Path
    opened: threading.Event


@contextlib.contextmanager
def watched_fifo(folder: Path) -> Iterator[Watched]:
    """A FIFO whose opening by a reader is recorded (the reader blocks until it is seen)."""
    path = folder / "context-fifo.jsonld"
    os.mkfifo(path)
    opened, stop = threading.Event(), threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO while no reader has it open
            except OSError:
                time.sleep(0.005)
                continue
            opened.set()
            os.write(fd, b'{"@context": {}}')
            os.close(fd)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield Watched(path, opened)
    finally:
        stop.set()
        thread.join(5)


def jsonld_documents(url: str, fifo: Path) -> dict[str, object]:
    """Documents whose contexts a JSON-LD processor would fetch from the canary or open."""
    node = {"@id": EX + "s", EX + "p": "o"}
    return {
        "http-context": {"@context": url + "context.jsonld", **node},
        "file-context": {"@context": fifo.as_uri(), **node},
        "context-array": {"@context": [{"ex": EX}, url + "array.jsonld"], **node},
        "nested-node-context": {**node, EX + "q": {"@context": url + "nested.jsonld", "@id": EX + "o"}},
        "property-scoped": {
            "@context": {"@version": 1.1, "p": {"@id": EX + "p", "@context": url + "scoped.jsonld"}},
            "@id": EX + "s",
            "p": {"@id": EX + "o"},
        },
        "type-scoped": {
            "@context": {"@version": 1.1, "T": {"@id": EX + "T", "@context": url + "typed.jsonld"}},
            "@id": EX + "s",
            "@type": "T",
        },
        "import": {"@context": {"@version": 1.1, "@import": url + "import.jsonld"}, **node},
        "graph-in-graph": {"@graph": [{"@context": url + "graph.jsonld", **node}]},
    }


ESCAPED_IMPORT = '{"@context": {"@version": 1.1, "\\u0040import": "%simport-escaped.jsonld"}, "@id": "%ss"}'


def run_capped(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``coopgraph *args`` under :data:`MEMORY_CAP`; the result and its wall time."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "coopgraph.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
    )
    return result, time.monotonic() - start


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with canary_server() as running:
        yield running


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, canary: Canary) -> Iterator[tuple[Path, Watched]]:
    """A folder of hostile JSON-LD files, and the FIFO their ``file:`` context names."""
    folder = tmp_path_factory.mktemp("hostile")
    with watched_fifo(folder) as fifo:
        for name, doc in jsonld_documents(canary.url, fifo.path).items():
            (folder / f"{name}.jsonld").write_text(json.dumps(doc), "utf-8")
        (folder / "import-escaped.jsonld").write_text(ESCAPED_IMPORT % (canary.url, EX), "utf-8")
        yield folder, fifo


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return service_env(Settings().project_dir, store_dir=str(tmp_path_factory.mktemp("store")))


JSONLD_NAMES = [*jsonld_documents("http://x/", Path("/x")), "import-escaped"]


@pytest.mark.parametrize("name", JSONLD_NAMES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_context_given_by_iri_is_refused_without_a_request(
    command: str, name: str, hostile: tuple[Path, Watched], canary: Canary, cli_env: dict[str, str]
) -> None:
    folder, fifo = hostile
    path = folder / f"{name}.jsonld"
    result, _ = run_capped([*COMMANDS[command], str(path)], cli_env)
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"error: {path}" in result.stderr
    assert "context" in result.stderr and "Traceback" not in result.stderr
    assert canary.requests == []
    assert not fifo.opened.is_set()


def billion_laughs() -> str:
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="{EX}">\n'
        '<rdf:Description rdf:about="https://w3id.org/coopgraph/id/test/s"><ex:p>&lol9;</ex:p>'
        "</rdf:Description>\n</rdf:RDF>\n"
    )


def one_entity_many_times() -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "{"x" * 100_000}">\n]>\n'
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="{EX}">\n'
        f'<rdf:Description rdf:about="{EX}s"><ex:p>{"&a;" * 50_000}</ex:p></rdf:Description>\n</rdf:RDF>\n'
    )


@pytest.fixture(scope="module")
def xml_files(tmp_path_factory: pytest.TempPathFactory, canary: Canary) -> dict[str, tuple[Path, int]]:
    """Hostile RDF/XML files and the line a refusal must name."""
    folder = tmp_path_factory.mktemp("xml")
    laughs = billion_laughs()
    files = {
        "billion-laughs": (laughs.encode(), 3),
        "one-entity-50000-times": (one_entity_many_times().encode(), 3),
        "billion-laughs-utf16": (laughs.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16"), 1),
        "external-dtd": (
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{canary.url}dtd">\n'
            f'<rdf:RDF xmlns:rdf="{RDF}"/>\n'.encode(),
            2,
        ),
    }
    out = {}
    for name, (data, line) in files.items():
        path = folder / f"{name}.rdf"
        path.write_bytes(data)
        out[name] = (path, line)
    return out


@pytest.fixture(scope="module")
def startup_seconds(cli_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """How long each command takes to refuse a file that does not exist (its start-up)."""
    missing = tmp_path_factory.mktemp("missing") / "missing.ttl"
    seconds = {}
    for command, args in COMMANDS.items():
        result, took = run_capped([*args, str(missing)], cli_env)
        assert result.returncode == 2, result.stderr
        seconds[command] = took
    return seconds


@pytest.mark.parametrize(
    "name", ["billion-laughs", "one-entity-50000-times", "billion-laughs-utf16", "external-dtd"]
)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_rdfxml_entities_are_refused_with_file_and_line_at_once(
    command: str,
    name: str,
    xml_files: dict[str, tuple[Path, int]],
    startup_seconds: dict[str, float],
    canary: Canary,
    cli_env: dict[str, str],
) -> None:
    path, line = xml_files[name]
    result, took = run_capped([*COMMANDS[command], str(path)], cli_env)
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"error: {path}:{line}: RDF/XML" in result.stderr
    assert "Traceback" not in result.stderr
    assert took - startup_seconds[command] < 1.0, (took, startup_seconds[command])
    assert canary.requests == []


# -- the service's start-up load goes through the same checks ---------------------------------


def project_with(folder: Path, files: dict[str, bytes]) -> Path:
    """A project of the real ontology, shapes and queries, whose ``data/`` holds ``files``."""
    settings = Settings()
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(settings.project_dir / name, folder / name)
    (folder / "data").mkdir()
    for name, data in files.items():
        (folder / "data" / name).write_bytes(data)
    return folder


GOOD_JSONLD = {
    "@context": [PROJECT_CONTEXT, {"ex": EX}],
    "@id": "ex:from-jsonld",
    "rdfs:label": {"@value": "From JSON-LD", "@language": "en"},
}
GOOD_RDFXML = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF xmlns:rdf="{RDF}" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    f'<rdf:Description rdf:about="{EX}from-rdfxml"><rdfs:label xml:lang="en">From RDF/XML</rdfs:label>'
    "</rdf:Description>\n</rdf:RDF>\n"
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The service over a project whose data is JSON-LD naming the project's context, and RDF/XML."""
    root = tmp_path_factory.mktemp("served")
    project = project_with(
        root / "project",
        {"from-jsonld.jsonld": json.dumps(GOOD_JSONLD).encode(), "from-rdfxml.rdf": GOOD_RDFXML.encode()},
    )
    env = service_env(project, store_dir=str(root / "store"), publish_analysis="false", query_workers="1")
    with serve(env, root / "service.log") as running:
        yield running


def test_the_service_loads_jsonld_naming_the_project_context_without_fetching_it(service: Running) -> None:
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s"
    response = httpx.get(
        service.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    found = {
        (b["s"]["value"], b["label"]["value"])
        for b in response.json()["results"]["bindings"]
        if b["s"]["value"].startswith(EX)
    }
    assert found == {(EX + "from-jsonld", "From JSON-LD"), (EX + "from-rdfxml", "From RDF/XML")}


@pytest.mark.parametrize("name", ["billion-laughs", "http-context"])
def test_the_service_refuses_to_start_on_a_hostile_data_file(
    name: str,
    tmp_path: Path,
    xml_files: dict[str, tuple[Path, int]],
    hostile: tuple[Path, Watched],
    canary: Canary,
) -> None:
    source = xml_files[name][0] if name in xml_files else hostile[0] / f"{name}.jsonld"
    project = project_with(tmp_path / "project", {source.name: source.read_bytes()})
    env = service_env(project, store_dir=str(tmp_path / "store"), publish_analysis="false")
    port = str(free_port())
    result, _ = run_capped(["serve", "--host", "127.0.0.1", "--port", port], env, timeout=120)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"{project / 'data' / source.name}" in output, output[-3000:]
    assert "MemoryError" not in output and "memory allocation" not in output
    assert canary.requests == []
