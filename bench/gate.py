"""The gate's cost: validating a typical submission and a 100k-triple upload.

For each input the gate's check (:func:`coopgraph.gate.change.check_change`: shapes, declared
terms, datatypes, with the context the store holds) is timed beside a baseline in the same run:
pySHACL alone over the same triples plus the reference graph (what ``coopgraph validate`` of
one file costs). Inputs: the Global Alliance document as a submission (a few hundred triples)
and the synthetic graph of ``bench/generate.py`` at 100k triples (its source documents only, the
ontology and reference quads left out), as one graph. Medians of ``--repeat`` runs.

Usage::

    .venv/bin/python bench/gate.py [--repeat 3] [--large 100k]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from coopgraph.config import Settings
from coopgraph.gate.change import check_change, put_change, read_rdf, to_rdflib
from coopgraph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from coopgraph.store import EmbeddedStore, load_project
from coopgraph.validation import validate_graph

HERE = Path(__file__).resolve().parent

SUBMISSION_GRAPH = "https://w3id.org/coopgraph/graph/submission-bench"


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(
    name: str, triples: list[ox.Triple], store: EmbeddedStore, settings: Settings, repeat: int
) -> None:
    reference = to_rdflib(q.triple for q in store.quads(str(REFERENCE_GRAPH)))
    change = put_change(store, SUBMISSION_GRAPH, triples, {})

    def baseline() -> object:
        data = Graph()
        data += reference
        to_rdflib(triples, data)
        return validate_graph(data, settings, checked=Graph())  # the shapes only

    def gate() -> object:
        return check_change(store, change, settings)

    report = check_change(store, change, settings)
    base = median_seconds(baseline, repeat)
    gated = median_seconds(gate, repeat)
    print(
        f"{name}: {len(triples):,} triples; baseline (shapes over data + reference) {base:.2f} s; "
        f"gate {gated:.2f} s; ratio {gated / base:.2f}; conforms {report.conforms} "
        f"({report.violations} violations, {report.warnings} warnings)"
    )


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from generate import generate, parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", type=parse_size, default=100_000)
    args = parser.parse_args(argv)
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    load_project(store, settings)
    validate_graph(Graph(), settings)  # parse the shapes and the ontology once, outside the timings
    small, _ = read_rdf(Path(settings.instance_dir / "global-alliance-2002.ttl").read_bytes(), "text/turtle")
    measure("typical submission (global-alliance-2002.ttl)", small, store, settings, args.repeat)
    skip = {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)}
    large = [q.triple for q in generate(args.large) if q.graph_name.value not in skip]  # type: ignore[union-attr]
    measure(f"upload ({args.large:,} synthetic)", large, store, settings, max(1, args.repeat - 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
