"""The HTML pages in headless Chromium: they render with no console errors; screenshots are kept.

How: Chromium (Debian's ``chromium``; ``make test`` installs it as root) is started headless with
``--remote-debugging-port=0`` and a fresh ``--user-data-dir``; the port it picked is read from
``DevToolsActivePort`` and a small DevTools-protocol client (the ``websockets`` package) opens
each page, collects ``Runtime.consoleAPICalled`` errors, ``Runtime.exceptionThrown`` and
``Log.entryAdded`` errors (failed loads, blocked resources), and captures screenshots with
``Page.captureScreenshot`` into ``build/screenshots/`` (git-ignored). Without Chromium the tests
skip, except under ``CI=true`` where a missing browser fails the run.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coopgraph.store import EmbeddedStore

websockets_sync = pytest.importorskip("websockets.sync.client")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
    "--window-size=1280,1600",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DevTools:
    """A minimal DevTools-protocol client over one page target."""

    def __init__(self, ws_url: str) -> None:
        self.ws = websockets_sync.connect(ws_url, max_size=64 * 1024 * 1024)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        self.ws.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=30))
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        if any(e.get("method") == event for e in self.events):
            return
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv(timeout=deadline - time.monotonic()))
            self.events.append(message)
            if message.get("method") == event:
                return
        raise TimeoutError(event)

    def errors(self) -> list[str]:
        found = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                found.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", []))
                )
            elif method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(f"{params['entry'].get('text')} {params['entry'].get('url', '')}")
        return found


@pytest.fixture(scope="module")
def browser() -> Iterator[str]:
    """A headless Chromium; yields its DevTools HTTP base URL."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing and CI=true: run `make browser` (as root) to install it")
        pytest.skip("Chromium is not installed (`make browser` installs it as root)")
    profile = tempfile.mkdtemp(prefix="coopgraph-chromium-")
    process = subprocess.Popen(
        [path, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port_file = Path(profile) / "DevToolsActivePort"
    try:
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().split()[0]}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def visit(browser: str, url: str, screenshot: Path | None = None) -> tuple[list[str], str]:
    """Open ``url`` in a new tab; return its console errors and its title."""
    target = httpx.put(f"{browser}/json/new?about:blank").json()
    tools = DevTools(target["webSocketDebuggerUrl"])
    try:
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            tools.call(domain)
        tools.call("Page.navigate", url=url)
        tools.wait_for("Page.loadEventFired")
        title = tools.call("Runtime.evaluate", expression="document.title")["result"]["value"]
        if screenshot is not None:
            data = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(data))
        return tools.errors(), title
    finally:
        tools.ws.close()
        httpx.get(f"{browser}/json/close/{target['id']}")


def a_programme(store: EmbeddedStore) -> str:
    paths = sorted(
        q.subject.value.split("/id/", 1)[1]
        for q in store.quads()
        if q.subject.value.startswith("https://w3id.org/coopgraph/id/programme/")
    )
    return "programme/ibermedia" if "programme/ibermedia" in paths else paths[0]


@pytest.mark.slow
def test_pages_render_without_console_errors(browser: str, server: str, project_store: EmbeddedStore) -> None:
    pages = [
        "",
        "id/party/colombia",
        f"id/{a_programme(project_store)}",
        "def",
        "shapes",
        "id/party/colombiia",
    ]
    for page in pages:
        errors, title = visit(browser, server + page)
        expected = [e for e in errors if "404" in e and page.endswith("colombiia")]
        assert [e for e in errors if e not in expected] == [], page
        assert title, page


@pytest.mark.slow
def test_screenshots_of_a_country_and_a_programme(
    browser: str, server: str, project_store: EmbeddedStore
) -> None:
    programme = a_programme(project_store)
    for page, name in [
        ("id/party/colombia", "country-colombia.png"),
        (f"id/{programme}", f"programme-{programme.split('/')[1]}.png"),
    ]:
        target = SCREENSHOTS / name
        target.unlink(missing_ok=True)
        errors, title = visit(browser, server + page, target)
        assert errors == []
        assert target.stat().st_size > 10_000
        assert "coopgraph" in title
