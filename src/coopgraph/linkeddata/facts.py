"""What the pages and VoID read from the store, each one ``queries/internal/`` query.

Plain functions of the store and the catalogue; :class:`coopgraph.linkeddata.LinkedData` caches
their answers per store version.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from coopgraph.linkeddata.labels import qname
from coopgraph.namespaces import ANALYSIS_GRAPH
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

Row = dict[str, Any]
"""One solution: variable name to pyoxigraph term."""


def select(
    store: Store, catalogue: QueryCatalogue, name: str, **bindings: ox.NamedNode | ox.Literal
) -> list[Row]:
    """Run the internal query ``name`` with its parameters bound as RDF terms.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> select(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir), "graph-sizes")
    []
    """
    return store.select(catalogue.internal(name).text, bindings or None)


def _label(row: Row, node: str) -> str:
    return row["label"].value if "label" in row else qname(row[node].value)


def graph_sources(store: Store, catalogue: QueryCatalogue) -> dict[str, tuple[str, str]]:
    """Source document ``(iri, English label)`` of each named graph that has one."""
    return {
        r["graph"].value: (r["source"].value, r["label"].value if "label" in r else "")
        for r in select(store, catalogue, "graph-sources")
    }


def graph_sizes(store: Store, catalogue: QueryCatalogue) -> dict[str, int]:
    """Triples per named graph, by graph IRI in IRI order."""
    return {r["graph"].value: int(r["triples"].value) for r in select(store, catalogue, "graph-sizes")}


def instances(store: Store, catalogue: QueryCatalogue, cls: str) -> list[tuple[str, str]]:
    """Named instances ``(iri, English label)`` of a class and its subclasses."""
    return [
        (r["s"].value, _label(r, "s"))
        for r in select(store, catalogue, "instances-of-class", _class_iri=ox.NamedNode(cls))
    ]


def class_counts(store: Store, catalogue: QueryCatalogue) -> list[dict[str, Any]]:
    """Instances per class (``iri``, ``label``, ``instances``), the most used first."""
    return [
        {"iri": r["class"].value, "label": _label(r, "class"), "instances": int(r["instances"].value)}
        for r in select(store, catalogue, "class-counts")
    ]


def convention_articles(store: Store, catalogue: QueryCatalogue) -> list[tuple[str, str]]:
    """The Convention's articles on cooperation ``(iri, English label)``."""
    return [
        (r["article"].value, _label(r, "article")) for r in select(store, catalogue, "convention-articles")
    ]


def resource_labels(store: Store, catalogue: QueryCatalogue) -> dict[str, list[str]]:
    """Labels of every published resource, by IRI."""
    labels: dict[str, list[str]] = defaultdict(list)
    for row in select(store, catalogue, "resource-labels"):
        labels[row["s"].value].append(row["label"].value)
    return dict(labels)


def partners(store: Store, catalogue: QueryCatalogue, iri: ox.NamedNode) -> list[Row]:
    """Agents sharing an activity with ``iri``: ``partner``, ``label``, ``activities``, ``example``."""
    return select(store, catalogue, "partners", _agent_iri=iri)


def centrality(store: Store, catalogue: QueryCatalogue, iri: ox.NamedNode) -> list[Row]:
    """Network measurements of ``iri`` from the analysis graph (empty when there is none)."""
    if str(ANALYSIS_GRAPH) not in store.named_graphs():
        return []
    return select(store, catalogue, "centrality", _node_iri=iri)
