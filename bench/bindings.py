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
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

import run
from coopgraph.config import Settings
from coopgraph.queries import NamedQuery, QueryCatalogue
from coopgraph.sparqltext import with_values
from coopgraph.store import EmbeddedStore
from coopgraph.store.load import load_project
from generate import parse_size

FORK = multiprocessing.get_context("fork")
"""Each query is timed in a forked child over the loaded store, so one that runs away is stopped."""
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


def queries_with_defaults(catalogue: QueryCatalogue) -> list[NamedQuery]:
    """The public, then the internal queries that have ``#+ defaults:``."""
    queries = catalogue.public() + [catalogue.internal(n) for n in catalogue.internal_names()]
    return [q for q in queries if any(p.default is not None for p in q.parameters)]


def display_name(query: NamedQuery) -> str:
    """The query's name as the report lists it (``internal/`` before an internal one)."""
    return f"internal/{query.name}" if query.internal else query.name


@dataclass(frozen=True)
class Compared:
    """One query's medians (ms), or why it has none (``over`` the cap, or ``not_sparql``)."""

    name: str
    bound: float | None = None
    written: float | None = None
    not_sparql: bool = False

    @property
    def ratio(self) -> float | None:
        """Bound over written in, when both were timed."""
        if self.bound is None or self.written is None:
            return None
        return self.bound / max(self.written, 1e-6)

    def order(self) -> float:
        """The report's order: over the cap first, then the slowest ratio, not SPARQL last."""
        if self.not_sparql:
            return -math.inf
        return math.inf if self.ratio is None else self.ratio


def compare(store: EmbeddedStore, catalogue: QueryCatalogue, reps: int, cap: float) -> list[Compared]:
    """Both forms of every query with defaults, timed on ``store``, in the report's order."""
    rows = []
    for query in queries_with_defaults(catalogue):
        terms = run.default_terms(query)
        bound, written = with_values(query.text, terms), written_in(query.text, terms)
        if not is_sparql(written):
            rows.append(Compared(display_name(query), not_sparql=True))
            continue
        medians = capped_medians(store, bound, written, reps, cap) or (None, None)
        rows.append(Compared(display_name(query), *medians))
    return sorted(rows, key=Compared.order, reverse=True)


def section(title: str, rows: list[Compared], cap: float) -> list[str]:
    """One data set's table, the slowest ratio first, and the queries it names."""
    out = [
        f"## {title}",
        "",
        "| query | bound (ms) | written in (ms) | bound/written |",
        "|---|---:|---:|---:|",
    ]
    over = f"over {cap:g} s"
    for row in rows:
        if row.not_sparql:
            out.append(f"| {row.name} | - | not SPARQL written in | - |")
        elif row.bound is None or row.written is None or row.ratio is None:
            out.append(f"| {row.name} | {over} | {over} | - |")
        else:
            out.append(f"| {row.name} | {row.bound:,.2f} | {row.written:,.2f} | {row.ratio:.2f}x |")
    ratios = [r.ratio for r in rows if r.ratio is not None]
    slow = [r.name for r in rows if r.ratio is not None and (r.bound or 0) >= 1.0 and r.ratio >= SLOW]
    capped = [r.name for r in rows if r.ratio is None and not r.not_sparql]
    mean = statistics.geometric_mean(ratios) if ratios else math.nan
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
