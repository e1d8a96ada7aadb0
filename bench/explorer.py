"""Speed of the explorer: search keystrokes and facet changes, on the project data and at 100k triples.

Usage::

    .venv/bin/python bench/explorer.py [--sizes 100k] [--repeat 5]
    .venv/bin/python bench/explorer.py network [--sizes 100k] [--actors 10000] [--no-browser]

For each data set (the project's own data, then the benchmark generator's data of each size,
``bench/generate.py``, loaded into an in-memory store):

* search: the index is built once (timed), then every prefix of a set of words is searched as a
  keystroke would be, by the library (``SearchIndex.search``) and through the service
  (``GET /search/suggest``, in process);
* facets: the facts are read once (timed), then a walk of facet changes (kind, country,
  article, article and country, period, a page further) is answered by the library
  (``parse_selection`` and ``browse``) and through the service (``GET /explore``, JSON and HTML).

Each figure is the median, 95th percentile and maximum over every keystroke or change, repeated
``--repeat`` times. The tables are printed and written as the ``search`` and ``facets`` sections
of ``bench/RESULTS-explorer.md`` (other sections of that file are kept).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.explore import browse, explore_facts, parse_selection, search_index
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, load_project

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS-explorer.md"
WORK = HERE / "output"
SEARCH_BUDGET_MS = {"project data": 50.0}
SEARCH_BUDGET_LARGE_MS = 200.0
FACET_BUDGET_MS = 300.0
WORDS = [
    "bogota",
    "ibermusicas",
    "aeci",
    "ministry of culture",
    "colombia",
    "instituto de musica",
    "fondation",
]


@dataclass
class Timing:
    """Milliseconds of many runs of one operation."""

    samples: list[float]

    def row(self) -> tuple[str, str, str, str]:
        ordered = sorted(self.samples)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return (
            str(len(ordered)),
            f"{statistics.median(ordered):.2f}",
            f"{p95:.2f}",
            f"{ordered[-1]:.2f}",
        )


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def project_store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    load_project(store, Settings(in_memory=True))
    return store


def generated_store(size: int) -> EmbeddedStore:
    sys.path.insert(0, str(HERE))
    import generate

    out = WORK / f"cg-{size // 1000}k.nq"
    if not out.exists():
        generate.write(size, out)
    store = EmbeddedStore(None)
    store.oxigraph.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    return store


def keystrokes() -> list[str]:
    return [word[:n] for word in WORDS for n in range(1, len(word) + 1)]


def facet_walk(facts_keys: dict[str, dict[str, str]]) -> list[dict[str, list[str]]]:
    """A walk of facet changes with values that exist in these data (the most used first)."""

    def first(facet: str, preferred: str) -> str:
        keys = facts_keys[facet]
        return preferred if preferred in keys.values() else sorted(keys.values())[0]

    country = first("country", "colombia")
    article = first("article", "14")
    return [
        {},
        {"kind": ["actor"]},
        {"kind": ["activity"]},
        {"country": [country]},
        {"article": [article]},
        {"article": [article], "country": [country]},
        {"article": [article], "kind": ["activity"]},
        {"from": ["2010"], "to": ["2015"]},
        {"kind": ["actor"], "page": ["3"]},
        {"cultural": [sorted(facts_keys["cultural"].values())[0]]} if facts_keys["cultural"] else {},
    ]


def measure(name: str, store: EmbeddedStore, repeat: int) -> dict[str, list[tuple[str, ...]]]:
    settings = Settings(in_memory=True)
    catalogue = QueryCatalogue(settings.queries_dir)
    triples = sum(1 for _ in store.quads())
    rows: dict[str, list[tuple[str, ...]]] = {"search": [], "facets": []}
    build = timed(lambda: search_index(store, catalogue))
    index = search_index(store, catalogue)
    facts_ms = timed(lambda: explore_facts(store, catalogue))
    facts = explore_facts(store, catalogue)
    typed = keystrokes()
    library = Timing(
        [timed(lambda p=p: index.search(p, ["en"], limit=8)) for _ in range(repeat) for p in typed]
    )
    walk = facet_walk(facts.keys)
    browse_times = Timing(
        [
            timed(lambda s=s: browse(facts, parse_selection(s, facts), ["en"], "http://h/"))
            for _ in range(repeat)
            for s in walk
        ]
    )
    with TestClient(create_app(settings, store)) as client:
        client.get("/search/suggest?q=a")
        client.get("/explore?_format=json")
        http_search = Timing(
            [
                timed(lambda p=p: client.get("/search/suggest", params={"q": p}).raise_for_status())
                for _ in range(repeat)
                for p in typed
            ]
        )
        http_json = Timing(
            [
                timed(lambda s=s: client.get("/explore", params={**s, "_format": "json"}).raise_for_status())
                for _ in range(repeat)
                for s in walk
            ]
        )
        http_html = Timing(
            [
                timed(
                    lambda s=s: client.get(
                        "/explore", params=s, headers={"Accept": "text/html"}
                    ).raise_for_status()
                )
                for _ in range(repeat)
                for s in walk
            ]
        )
    label = f"{name} ({triples:,} quads)"
    rows["search"].append((label, "index built once", "1", f"{build:.1f}", "", ""))
    rows["search"].append((label, "keystroke, library", *library.row()))
    rows["search"].append((label, "keystroke, GET /search/suggest", *http_search.row()))
    rows["facets"].append((label, "facts read once", "1", f"{facts_ms:.1f}", "", ""))
    rows["facets"].append((label, "facet change, library", *browse_times.row()))
    rows["facets"].append((label, "facet change, GET /explore JSON", *http_json.row()))
    rows["facets"].append((label, "facet change, GET /explore HTML", *http_html.row()))
    print(f"{label}: {len(index)} labels, {len(facts.items)} items", file=sys.stderr)
    return rows


HEADER = ("data", "operation", "runs", "median ms", "p95 ms", "max ms")


def table(rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def write_sections(sections: dict[str, list[str]]) -> None:
    """Replace (or add) the named sections of RESULTS-explorer.md, keeping the others."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Explorer benchmarks\n"
    for name, lines in sections.items():
        start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
        block = "\n".join([start, *lines, end])
        if start in text and end in text:
            before, _, rest = text.partition(start)
            _, _, after = rest.partition(end)
            text = before + block + after
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["network"]:
        return network_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", default=["100k"], help="generated data sizes (100k, 1M)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from generate import parse_size

    results = [measure("project data", project_store(), args.repeat)]
    for size in args.sizes:
        n = parse_size(size)
        results.append(measure(f"generated {size}", generated_store(n), args.repeat))
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, {platform.system()}"
    stamp = time.strftime("%Y-%m-%d")
    search_rows = [r for res in results for r in res["search"]]
    facet_rows = [r for res in results for r in res["facets"]]
    sections = {
        "search": [
            "## Search: keystrokes",
            "",
            f"`.venv/bin/python bench/explorer.py` ({stamp}, {machine}). Every prefix of {len(WORDS)} words "
            f"({', '.join(WORDS)}), {args.repeat} times. Budget: under 50 ms a keystroke on the project "
            f"data, under {SEARCH_BUDGET_LARGE_MS:.0f} ms at 100k triples.",
            "",
            *table(search_rows),
        ],
        "facets": [
            "## Facets: changes of selection",
            "",
            f"`.venv/bin/python bench/explorer.py` ({stamp}, {machine}). A walk of 10 selections (none, "
            f"kind, country, article, article and country, period, page 3...), {args.repeat} times. "
            f"Budget: under {FACET_BUDGET_MS:.0f} ms a change at 100k triples.",
            "",
            *table(facet_rows),
        ],
    }
    for lines in sections.values():
        print("\n".join(lines) + "\n")
    write_sections(sections)
    return 0


# -- the network explorer ----------------------------------------------------------------------
NETWORK_ACTORS = 10_000


def network_store(n_actors: int) -> EmbeddedStore:
    """The synthetic co-participation network of ``bench/network_bench.py`` with ``n_actors`` actors."""
    sys.path.insert(0, str(HERE))
    import network_bench

    WORK.mkdir(parents=True, exist_ok=True)
    store, _, _ = network_bench.load(n_actors, WORK)
    return store


def _serve(store: EmbeddedStore) -> tuple[str, Callable[[], None]]:
    """The service over ``store`` on a free loopback port, in a thread; returns its URL and a stop."""
    import socket
    import threading

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(in_memory=True), store), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)

    return f"http://127.0.0.1:{port}", stop


def network_rows(
    name: str, store: EmbeddedStore, repeat: int, browser: object | None
) -> list[tuple[str, ...]]:
    """Server and browser figures of ``/network`` on ``store`` (see :func:`network_main`)."""
    import json

    from coopgraph.network import layout
    from coopgraph.network.projections import project

    catalogue = QueryCatalogue(Settings(in_memory=True).queries_dir)
    start = time.perf_counter()
    g = project(store, "co-participation", catalogue)
    projected = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    layout.positions(g)
    laid_out = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    data = layout.view(store, catalogue, "co-participation", {})
    body = json.dumps(data, separators=(",", ":")).encode()
    built = (time.perf_counter() - start) * 1000
    cached = Timing(
        [
            timed(lambda: json.dumps(layout.view(store, catalogue, "co-participation", {})))
            for _ in range(repeat)
        ]
    )
    label = f"{name} ({g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges)"
    rows: list[tuple[str, ...]] = [
        (label, "projection (SPARQL + build), once", "1", f"{projected:.0f}", "", ""),
        (label, "layout (igraph FR), once per filter", "1", f"{laid_out:.0f}", "", ""),
        (label, f"view JSON: scores + JSON ({len(body) / 1024:,.0f} KiB)", "1", f"{built:.0f}", "", ""),
        (label, "view JSON, cached", *cached.row()),
    ]
    if browser is None:
        return rows
    url, stop = _serve(store)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page.goto(url + "/network?top=5")  # warms the server's caches
        page.wait_for_function(
            "window.coopgraphNetwork && window.coopgraphNetwork.firstFrame", timeout=300_000
        )
        first: list[float] = []
        hover: list[float] = []
        zoom: list[float] = []
        for _ in range(repeat):
            page.goto(url + "/network?top=5")
            page.wait_for_function(
                "window.coopgraphNetwork && window.coopgraphNetwork.firstFrame", timeout=300_000
            )
            first.append(page.evaluate("window.coopgraphNetwork.firstFrame"))
            page.locator("#network-canvas").scroll_into_view_if_needed()
            top = max(data["nodes"], key=lambda n: n["value"])["id"]
            point = page.evaluate("n => window.coopgraphNetwork.position(n)", top)
            page.mouse.move(point["x"] - 30, point["y"] - 30)
            page.evaluate(
                "() => { const n = window.coopgraphNetwork; n.t0 = performance.now(); n.done = null;"
                " n.sigma.once('afterRender', () => { n.done = performance.now(); }); }"
            )
            page.mouse.move(point["x"], point["y"])
            page.wait_for_function("window.coopgraphNetwork.done", timeout=60_000)
            hover.append(page.evaluate("window.coopgraphNetwork.done - window.coopgraphNetwork.t0"))
            zoom.append(
                page.evaluate(
                    "() => new Promise(resolve => { const s = window.coopgraphNetwork.sigma; const t0 = performance.now();"
                    " s.once('afterRender', () => resolve(performance.now() - t0));"
                    " const c = s.getCamera(); c.setState({ ratio: c.getState().ratio * 0.5 }); })"
                )
            )
        page.close()
    finally:
        stop()
    rows += [
        (label, "Chromium: navigation to first drawn frame", *Timing(first).row()),
        (label, "Chromium: hover, mouse move to drawn frame", *Timing(hover).row()),
        (label, "Chromium: zoom, camera change to drawn frame", *Timing(zoom).row()),
    ]
    return rows


def network_main(argv: list[str]) -> int:
    """``bench/explorer.py network``: the network explorer on the project data, 100k triples and 10k actors.

    Server side: the projection, the layout and the view JSON (built once, then cached), with the
    JSON's size. In Chromium (Playwright, ``/usr/bin/chromium``; skipped with ``--no-browser``):
    the time from navigation to sigma's first drawn frame, and from a hover or a zoom to the
    frame that shows it. Written as the ``network`` section of ``bench/RESULTS-explorer.md``.
    """
    parser = argparse.ArgumentParser(
        prog="explorer.py network", description=network_main.__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", nargs="*", default=["100k"], help="generated data sizes (100k, 1M)")
    parser.add_argument("--actors", type=int, default=NETWORK_ACTORS, help="actors of the synthetic network")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from generate import parse_size

    stores = [("project data", project_store)]
    stores += [(f"generated {s}", lambda s=s: generated_store(parse_size(s))) for s in args.sizes]
    stores.append((f"{args.actors:,} actors (network_bench)", lambda: network_store(args.actors)))
    rows: list[tuple[str, ...]] = []
    playwright = browser = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    try:
        for name, make in stores:
            rows += network_rows(name, make(), args.repeat, browser)
            print(f"{name}: done", file=sys.stderr)
    finally:
        if browser is not None:
            browser.close()  # type: ignore[attr-defined]
        if playwright is not None:
            playwright.stop()
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, {platform.system()}"
    lines = [
        "## Network explorer: layout, JSON, drawing",
        "",
        f"`.venv/bin/python bench/explorer.py network` ({time.strftime('%Y-%m-%d')}, {machine}), the "
        f"co-participation network, no filter, {args.repeat} runs. Server: the library calls behind "
        "`GET /network/co-participation/view`. Chromium (headless, software WebGL): `/network` with "
        "the server's caches warm; times from `performance.now()` in the page (sigma's `afterRender`).",
        "",
        *table(rows),
    ]
    print("\n".join(lines) + "\n")
    write_sections({"network": lines})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
