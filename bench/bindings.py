"""What binding its parameters costs each named query, in the embedded engine.

coopgraph binds a query's parameters with a ``VALUES`` block at the head of the WHERE group
(:func:`coopgraph.sparqltext.with_values`); grlc writes the values into the text. The two mean
the same, but the engine may not carry a ``VALUES`` binding into every part of a query: a UNION
branch with a ``FILTER`` of its own, a sub-query or an ``OPTIONAL`` between patterns can be
evaluated for every resource before the value meets them. This run times every query that has
``#+ defaults:`` both ways on pyoxigraph, in process, on the project data and on a generated
file, and names the queries where the bound form is much slower. Medians of interleaved runs (ms).

Usage::

    python bench/bindings.py                  # project data and 100k; writes bench/RESULTS-bindings.md
    python bench/bindings.py --size 1M --reps 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import re
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

import run
from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.sparqltext import with_values
from coopgraph.store import EmbeddedStore
from coopgraph.store.load import load_project
from generate import parse_size

FORK = multiprocessing.get_context("fork")
"""Each query is timed in a forked child over the loaded store, so one that runs away is stopped."""
NOT_SPARQL = -1.0
"""The written-in time of a query that projects or assigns a parameter: not SPARQL written in."""
Row = tuple[str, float | None, float | None]
SLOW = 2.0
"""A bound query this many times slower than the written one is named (when it takes 1 ms or more)."""


def written_in(text: str, bound: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with each bound parameter's term written in place of its variable, as grlc does.

    >>> written_in("SELECT ?s WHERE { ?s ?_p_iri ?_p_iri_more }", {"_p_iri": ox.NamedNode("http://e/a")})
    'SELECT ?s WHERE { ?s <http://e/a> ?_p_iri_more }'
    """
    for variable, term in bound.items():
        text = re.sub(rf"[?$]{re.escape(variable)}(?!\w)", str(term).replace("\\", r"\\"), text)
    return text


def is_sparql(text: str) -> bool:
    """Whether ``text`` parses (an internal query may project its parameters: not once written in).

    >>> is_sparql("SELECT <http://e/a> WHERE {}")
    False
    """
    try:
        ox.Store().query(text)
    except SyntaxError:
        return False
    return True


def timed(store: EmbeddedStore, text: str) -> float:
    """Milliseconds to run ``text`` and read every solution."""
    started = time.perf_counter()
    result = store.oxigraph.query(text, use_default_graph_as_union=True)
    if not isinstance(result, ox.QueryBoolean):
        for _ in result:
            pass
    return (time.perf_counter() - started) * 1000


def _medians(store: EmbeddedStore, bound: str, written: str, reps: int, out: Connection) -> None:
    """In a child: warm both forms, then send the medians of ``reps`` interleaved runs (ms)."""
    timed(store, bound), timed(store, written)
    pairs = [(timed(store, bound), timed(store, written)) for _ in range(reps)]
    out.send((statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)))


def capped_medians(
    store: EmbeddedStore, bound: str, written: str, reps: int, cap: float
) -> tuple[float, float] | None:
    """The medians of both forms, timed in a forked child; ``None`` when it takes over ``cap`` s."""
    receive, send = FORK.Pipe(duplex=False)
    child = FORK.Process(target=_medians, args=(store, bound, written, reps, send))
    child.start()
    send.close()
    try:
        if receive.poll(cap):
            medians: tuple[float, float] = receive.recv()
            return medians
        return None
    except EOFError:  # the child failed: its error is on standard error
        return None
    finally:
        child.kill()
        child.join()
        receive.close()


def compare(store: EmbeddedStore, catalogue: QueryCatalogue, reps: int, cap: float) -> list[Row]:
    """``(query, bound ms, written ms)`` of every query with defaults; ``None`` for over ``cap`` s."""
    rows: list[Row] = []
    queries = catalogue.public() + [catalogue.internal(n) for n in catalogue.internal_names()]
    for query in queries:
        defaults = {p.name: p.default for p in query.parameters if p.default is not None}
        if not defaults:
            continue
        bound_terms = query.bind(defaults)
        bound, written = with_values(query.text, bound_terms), written_in(query.text, bound_terms)
        name = f"internal/{query.name}" if query.internal else query.name
        if not is_sparql(written):
            rows.append((name, None, NOT_SPARQL))
            continue
        medians = capped_medians(store, bound, written, reps, cap)
        rows.append((name, *(medians or (None, None))))
    return sorted(rows, key=_ratio, reverse=True)


def _ratio(row: Row) -> float:
    _, bound, written = row
    if written == NOT_SPARQL:
        return -math.inf  # listed last
    return math.inf if bound is None or written is None else bound / max(written, 1e-6)


def section(title: str, rows: list[Row], cap: float) -> list[str]:
    """One data set's table, the slowest ratio first, and the queries it names."""
    out = [
        f"## {title}",
        "",
        "| query | bound (ms) | written in (ms) | bound/written |",
        "|---|---:|---:|---:|",
    ]
    over = f"over {cap:g} s"
    for name, bound, written in rows:
        if written == NOT_SPARQL:
            out.append(f"| {name} | - | not SPARQL written in | - |")
        elif bound is None or written is None:
            out.append(f"| {name} | {over} | {over} | - |")
        else:
            out.append(f"| {name} | {bound:,.2f} | {written:,.2f} | {_ratio((name, bound, written)):.2f}x |")
    timed_rows = [r for r in rows if r[1] is not None and r[2] is not None]
    slow = [r[0] for r in timed_rows if (r[1] or 0) >= 1.0 and _ratio(r) >= SLOW]
    capped = [r[0] for r in rows if r[1] is None and r[2] != NOT_SPARQL]
    mean = statistics.geometric_mean([_ratio(r) for r in timed_rows]) if timed_rows else math.nan
    out += [
        "",
        f"{len(rows)} queries; geometric mean {mean:.2f}x; {SLOW:g}x or more and 1 ms or more: "
        f"{', '.join(slow) if slow else 'none'}; {over}: {', '.join(capped) if capped else 'none'}.",
        "",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", default="100k", help="generated triples besides the project data ('' for none)"
    )
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds for both forms of one query")
    parser.add_argument("--out", type=Path, default=run.HERE / "RESULTS-bindings.md")
    args = parser.parse_args(argv)
    settings = Settings(in_memory=True)
    catalogue = QueryCatalogue(settings.queries_dir)
    project = EmbeddedStore(None)
    load_project(project, settings)
    sets = [("Project data", compare(project, catalogue, args.reps, args.cap))]
    if args.size:
        n = parse_size(args.size)
        generated = EmbeddedStore(None)
        generated.oxigraph.bulk_load(path=str(run.data_file(n)), format=ox.RdfFormat.N_QUADS)
        sets.append(
            (
                f"Generated data, {run.size_label(n)} triples",
                compare(generated, catalogue, args.reps, args.cap),
            )
        )
    lines = [
        "# What binding its parameters costs each named query",
        "",
        f"`python bench/bindings.py --size '{args.size}' --reps {args.reps} --cap {args.cap:g}`, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, pyoxigraph {ox.__version__} in process. "
        "*bound*: the defaults in a `VALUES` block at the head of the WHERE group, as coopgraph "
        "sends them; *written in*: the same terms in place of the variables, as grlc sends them. "
        "Medians of interleaved runs. See `queries/README.md` (Parameters) for how a query keeps "
        "the two alike.",
        "",
    ]
    for title, rows in sets:
        lines += section(title, rows, args.cap)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
