"""Screenshots of the directory, a source profile, the indicators and matching, for the docs.

Usage::

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

Starts the service over the project's knowledge folders (in memory, on a free loopback port),
opens each page in Chromium at 1280x900 and saves the visible part as PNG (a modest size: the
top of the page, what a reader sees first). Nothing is fetched from another host.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import uvicorn
from playwright.sync_api import sync_playwright

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.namespaces import resource_iri
from coopgraph.store import EmbeddedStore, load_project

PAGES = {
    "sources": "/sources",
    "source-profile": "/sources/fund/global-alliance-special-fund",
    "indicators": "/indicators",
    "match": "/match?"
    + urlencode(
        [
            ("kind", "organisation"),
            ("sector", str(resource_iri("cultural-sector", "audiovisual"))),
            ("article", str(resource_iri("article", "14"))),
        ]
    ),
}
"""File name (without ``.png``) and the page it shows."""
SCROLL_TO = {"match": "#matches-title"}
"""Pages shown from an element down rather than from the top."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    load_project(store, settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium)
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, base_url=f"http://127.0.0.1:{port}"
            )
            page = context.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(f"http://127.0.0.1:{port}")
                    else route.abort()
                ),
            )
            for name, path in PAGES.items():
                page.goto(path)
                page.wait_for_load_state("networkidle")
                if name in SCROLL_TO:  # the matches, below the form
                    page.locator(SCROLL_TO[name]).evaluate("e => e.scrollIntoView()")
                target = args.out / f"{name}.png"
                page.screenshot(path=str(target))
                print(f"{target}: {target.stat().st_size:,} bytes")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
