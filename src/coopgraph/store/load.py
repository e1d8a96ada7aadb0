"""Opening the store the settings choose, and loading the knowledge folders into it.

Loading is transactional: a graph is replaced only once its new content has parsed completely,
so a file that fails leaves the store as it was; after a crash, the next open for writing leaves
each graph with its old content or its new one (:meth:`EmbeddedStore.recover`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from coopgraph.config import Settings
from coopgraph.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH
from coopgraph.store.base import Store
from coopgraph.store.embedded import EmbeddedStore
from coopgraph.store.files import RDF_FORMATS
from coopgraph.store.remote import RemoteStore


@dataclass(frozen=True)
class GraphSource:
    """The files one named graph is loaded from."""

    graph: str
    paths: tuple[Path, ...]

    def content_hash(self) -> str:
        """A hash of the file names and contents, to skip reloading what did not change."""
        digest = hashlib.sha256()
        for path in self.paths:
            digest.update(path.name.encode())
            with path.open("rb") as f:
                while block := f.read(1_048_576):  # in blocks: a large file is never held whole
                    digest.update(block)
        return digest.hexdigest()


def project_sources(settings: Settings) -> list[GraphSource]:
    """The named graphs of the knowledge folders and the files each is loaded from.

    ``ontology/`` -> ``graph/ontology``; ``shapes/`` -> ``graph/shapes``; ``data/reference/`` ->
    ``graph/reference``; every other file ``data/NAME.ttl`` -> ``graph/NAME``.

    >>> [s.graph for s in project_sources(Settings())][:2]
    ['https://w3id.org/coopgraph/graph/ontology', 'https://w3id.org/coopgraph/graph/shapes']
    """

    def rdf_files(folder: Path) -> tuple[Path, ...]:
        return tuple(sorted(p for p in folder.glob("*") if p.suffix.lower() in RDF_FORMATS))

    sources = [
        GraphSource(str(ONTOLOGY_GRAPH), rdf_files(settings.ontology_dir)),
        GraphSource(str(SHAPES_GRAPH), rdf_files(settings.shapes_dir)),
        GraphSource(str(REFERENCE_GRAPH), rdf_files(settings.instance_dir / "reference")),
    ]
    for path in rdf_files(settings.instance_dir):
        sources.append(GraphSource(GRAPH_BASE + path.stem, (path,)))
    return [s for s in sources if s.paths]


def open_store(settings: Settings, read_only: bool = False) -> Store:
    """Open the store the settings choose: the remote endpoint if one is set, else embedded.

    Examples
    --------
    >>> open_store(Settings(in_memory=True)).kind
    'embedded'
    """
    if settings.sparql_endpoint:
        return RemoteStore(
            settings.sparql_endpoint,
            settings.sparql_update_endpoint,
            settings.sparql_user,
            settings.sparql_password,
            timeout=settings.remote_timeout,
            queries_dir=settings.queries_dir,
            graph_store=settings.sparql_graph_store,
        )
    return EmbeddedStore(None if settings.in_memory else settings.store_path, read_only=read_only)


@dataclass
class LoadReport:
    """What :func:`load_project` did for each named graph."""

    loaded: dict[str, int]
    skipped: list[str]


def load_project(store: Store, settings: Settings, force: bool = False) -> LoadReport:
    """Load ``ontology/``, ``shapes/`` and ``data/`` into their named graphs.

    Graphs whose files have not changed since the last load (same content hash) are skipped
    unless ``force``; graphs of files that were removed are dropped. A store that does not
    remember what it loaded (:meth:`Store.loaded_hashes` is empty) gets every graph loaded.

    Examples
    --------
    >>> store = EmbeddedStore(None)
    >>> report = load_project(store, Settings(in_memory=True))
    >>> "https://w3id.org/coopgraph/graph/ontology" in report.loaded
    True
    """
    sources = project_sources(settings)
    previous = store.loaded_hashes()
    hashes: dict[str, str] = {}
    report = LoadReport(loaded={}, skipped=[])
    for source in sources:
        digest = source.content_hash()
        hashes[source.graph] = digest
        if not force and previous.get(source.graph) == digest and source.graph in previous:
            report.skipped.append(source.graph)
            continue
        report.loaded[source.graph] = store.replace_graph(source.graph, source.paths)
    current = {s.graph for s in sources}
    gone = [graph for graph in previous if graph not in current]
    if gone:
        present = set(store.named_graphs())
        for graph in gone:
            if graph in present:
                store.drop_graph(graph)
    store.record_loaded(hashes)
    # whatever loaded the files (this, `coopgraph load`, a copied store), readers that open the
    # store after this read merged files
    store.compact()
    return report
