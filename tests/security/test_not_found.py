"""An unknown ``/id/...`` IRI costs the service nothing, however long (a small ``bench/not_found.py``).

The "did you mean" suggestions of a 404 come from an index built once per store version; a path
longer than ``suggest_max_chars`` gets a plain 404. Probed against the real service on loopback:
the time and service CPU of a 20 KB path, the home page's latency while eight clients send long
paths, and that a real typo still gets its suggestion.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from coopgraph.config import Settings
from coopgraph.namespaces import ID_BASE
from support.services import Running, serve, service_env

COLOMBIA = ID_BASE + "party/colombia"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def slug(size: int) -> str:
    """A slug of ``size`` characters that resource IRIs may have and no resource has."""
    return ("colombia-chile-" * (size // 15 + 1))[:size].strip("-") + "x"


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    env = service_env(settings.project_dir, in_memory="true", publish_analysis="false")
    with serve(env, tmp_path_factory.mktemp("log") / "serve.log") as running:
        with httpx.Client(base_url=running.url, timeout=30) as http:
            # what is built once per store version: the home page's facts, the suggestion index
            assert http.get("/").status_code == 200
            assert http.get("/id/party/colombiia").status_code == 404
        yield running


@pytest.mark.parametrize("path", [f"party/{slug(20_000)}", f"party/{slug(20_000)}!", f"{slug(20_000)}"])
def test_a_20_kb_path_is_a_quick_plain_not_found(service: Running, path: str) -> None:
    before = cpu_seconds(service.process.pid)
    with httpx.Client(base_url=service.url, timeout=30) as http:
        started = time.monotonic()
        answer = http.get("/id/" + path)
        took = time.monotonic() - started
    assert answer.status_code == 404
    assert answer.json()["suggestions"] == []
    assert took < 1.0
    assert cpu_seconds(service.process.pid) - before < 1.0


def test_the_home_page_is_not_delayed_by_eight_clients_sending_long_paths(service: Running) -> None:
    stop = threading.Event()
    statuses: list[int] = []
    # long paths (a plain 404) and paths just within the limit (an index lookup each)
    paths = [f"/id/party/{slug(5_000)}", f"/id/organisation/{slug(90)}"]

    def attack(n: int) -> None:
        with httpx.Client(base_url=service.url, timeout=30) as http:
            for _ in range(200):  # bounded, and stopped as soon as the measurement is done
                if stop.is_set():
                    return
                statuses.append(http.get(paths[n % 2]).status_code)

    attackers = [threading.Thread(target=attack, args=(n,)) for n in range(8)]
    for thread in attackers:
        thread.start()
    latencies: list[float] = []
    try:
        with httpx.Client(base_url=service.url, timeout=30) as http:
            for _ in range(5):
                started = time.monotonic()
                assert http.get("/").status_code == 200
                latencies.append(time.monotonic() - started)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(60)
    assert statuses and set(statuses) == {404}
    assert max(latencies) < 1.0, latencies


@pytest.mark.parametrize(
    "path", ["party/colombiia", "partyy/colombia", "party/Colombia", "party/col%C3%B3mbia"]
)
def test_a_typo_still_gets_its_suggestion(service: Running, path: str) -> None:
    with httpx.Client(base_url=service.url, timeout=30) as http:
        data = http.get("/id/" + path)
        page = http.get("/id/" + path, headers={"Accept": "text/html"})
    assert data.status_code == 404
    assert data.json()["suggestions"][0]["iri"] == COLOMBIA
    assert page.status_code == 404
    assert "Did you mean" in page.text and "/id/party/colombia" in page.text
